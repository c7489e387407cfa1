import { escapeHtml } from "../contract/html.js";
import { REQUEST_KIND_LABELS, type RequestKind } from "../contract/constants.js";

/**
 * Every e-mail the requester gets about their request once it is verified, in one place: what happened, as plain text
 * and as HTML, in each language shipped. (The verification code's own e-mail is in ./notifications.ts.) To add a
 * language, add a catalogue entry; MAIL_LANGUAGE picks one.
 */

/** The moments the requester is told about. */
export const REQUESTER_EVENTS = ["verified", "extended", "denied", "completed"] as const;
export type RequesterEvent = (typeof REQUESTER_EVENTS)[number];

export const MAIL_LANGUAGES = ["en", "de"] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

/** What a message may say about the request; never anything the requester did not give or need. */
export interface RequestFacts {
  reference: string;
  kind: RequestKind;
  /** The due date in force after the event (the extended one for "extended"). */
  dueAt: Date;
  /** Staff's reason: required for an extension and a denial, optional on completion. */
  reason?: string | null | undefined;
}

export interface RequesterMessage {
  subject: string;
  text: string;
  html: string;
}

interface Wording {
  /** How the request is named in a sentence: "your request (Delete my data)". */
  request: (kind: RequestKind) => string;
  date: (date: Date) => string;
  greeting: string;
  signOff: string;
  reasonHeading: string;
  /** Completion has no reason; what staff add there is a note. */
  noteHeading: string;
  events: Record<RequesterEvent, { subject: (f: RequestFacts) => string; body: (f: RequestFacts, w: Wording) => string[] }>;
}

const dateIn = (locale: string) => (date: Date) =>
  date.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

const GERMAN_KINDS: Record<RequestKind, string> = {
  access: "Kopie meiner Daten erhalten",
  erasure: "Meine Daten löschen",
  rectification: "Meine Daten berichtigen",
  portability: "Meine Daten zu einem anderen Dienst übertragen",
  restriction: "Die Verarbeitung meiner Daten einschränken",
  objection: "Der Verarbeitung meiner Daten widersprechen",
  withdraw_consent: "Meine Einwilligung widerrufen",
  opt_out_sale: "Dem Verkauf oder der Weitergabe meiner Daten widersprechen",
  enquiry: "Frage an das Datenschutzteam",
};

const CATALOGUE: Record<MailLanguage, Wording> = {
  en: {
    request: (kind) => `your request (${REQUEST_KIND_LABELS[kind]})`,
    date: dateIn("en-GB"),
    greeting: "Hello,",
    signOff: "The privacy team",
    reasonHeading: "The reason:",
    noteHeading: "A note from the privacy team:",
    events: {
      verified: {
        subject: (f) => `We have your privacy request ${f.reference}`,
        body: (f, w) => [
          `Thank you for confirming your e-mail address. We have ${w.request(f.kind)} under the reference ${f.reference}.`,
          `We will answer by ${w.date(f.dueAt)}. Quote the reference if you write to us about it.`,
        ],
      },
      extended: {
        subject: (f) => `More time needed for your privacy request ${f.reference}`,
        body: (f, w) => [
          `We need more time to answer ${w.request(f.kind)}, reference ${f.reference}. The law allows this once, and we must tell you why.`,
          `We will now answer by ${w.date(f.dueAt)}.`,
        ],
      },
      denied: {
        subject: (f) => `Your privacy request ${f.reference} was declined`,
        body: (f, w) => [
          `We cannot carry out ${w.request(f.kind)}, reference ${f.reference}.`,
          "If you disagree, reply to this e-mail. You may also complain to your data protection authority.",
        ],
      },
      completed: {
        subject: (f) => `Your privacy request ${f.reference} is complete`,
        body: (f, w) => [
          `We have completed ${w.request(f.kind)}, reference ${f.reference}.`,
          "Reply to this e-mail if anything is missing.",
        ],
      },
    },
  },
  de: {
    request: (kind) => `Ihre Anfrage (${GERMAN_KINDS[kind]})`,
    date: dateIn("de-DE"),
    greeting: "Guten Tag,",
    signOff: "Ihr Datenschutzteam",
    reasonHeading: "Der Grund:",
    noteHeading: "Ein Hinweis des Datenschutzteams:",
    events: {
      verified: {
        subject: (f) => `Ihre Datenschutzanfrage ${f.reference} ist eingegangen`,
        body: (f, w) => [
          `Danke für die Bestätigung Ihrer E-Mail-Adresse. ${capital(w.request(f.kind))} ist unter dem Aktenzeichen ${f.reference} bei uns eingegangen.`,
          `Wir antworten bis zum ${w.date(f.dueAt)}. Bitte nennen Sie das Aktenzeichen, wenn Sie uns dazu schreiben.`,
        ],
      },
      extended: {
        subject: (f) => `Mehr Zeit für Ihre Datenschutzanfrage ${f.reference}`,
        body: (f, w) => [
          `Für ${w.request(f.kind)}, Aktenzeichen ${f.reference}, brauchen wir mehr Zeit. Das Gesetz erlaubt das einmal, und wir müssen Ihnen den Grund nennen.`,
          `Wir antworten nun bis zum ${w.date(f.dueAt)}.`,
        ],
      },
      denied: {
        subject: (f) => `Ihre Datenschutzanfrage ${f.reference} wurde abgelehnt`,
        body: (f, w) => [
          `Wir können ${w.request(f.kind)}, Aktenzeichen ${f.reference}, nicht ausführen.`,
          "Wenn Sie nicht einverstanden sind, antworten Sie auf diese E-Mail. Sie können sich auch bei Ihrer Datenschutzbehörde beschweren.",
        ],
      },
      completed: {
        subject: (f) => `Ihre Datenschutzanfrage ${f.reference} ist erledigt`,
        body: (f, w) => [
          `Wir haben ${w.request(f.kind)}, Aktenzeichen ${f.reference}, erledigt.`,
          "Antworten Sie auf diese E-Mail, falls etwas fehlt.",
        ],
      },
    },
  },
};

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The e-mail for one event, in plain text and HTML; every value is escaped in the HTML.
 * @example requesterMessage("extended", { reference: "PR-7K4M-Q2XD", kind: "access", dueAt, reason: "Archives" }, "en").subject
 * // "More time needed for your privacy request PR-7K4M-Q2XD"
 */
export function requesterMessage(event: RequesterEvent, facts: RequestFacts, language: MailLanguage = "en"): RequesterMessage {
  const wording = CATALOGUE[language];
  const { subject, body } = wording.events[event];
  const paragraphs = body(facts, wording);
  const reason = facts.reason?.trim();
  const heading = event === "completed" ? wording.noteHeading : wording.reasonHeading;
  const text = [
    wording.greeting,
    ...paragraphs.slice(0, 1),
    ...(reason ? [`${heading}\n${reason}`] : []),
    ...paragraphs.slice(1),
    wording.signOff,
  ].join("\n\n");
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family: system-ui, sans-serif; line-height: 1.5">`,
    `<p>${escapeHtml(wording.greeting)}</p>`,
    ...paragraphs.slice(0, 1).map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(reason
      ? [
          `<p>${escapeHtml(heading)}</p>`,
          `<blockquote style="margin: 0 0 1em; padding-left: 1em; border-left: 3px solid #767b84">${escapeHtml(reason).replace(/\n/g, "<br>")}</blockquote>`,
        ]
      : []),
    ...paragraphs.slice(1).map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p>${escapeHtml(wording.signOff)}</p>`,
    "</body></html>",
  ].join("\n");
  return { subject: subject(facts), text, html };
}

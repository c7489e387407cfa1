import { RIGHT_LABELS, type Right } from "../../server/contract/constants.js";

/** Every word the widget shows; a host page overrides any of them with the `strings` attribute (JSON). */
export const DEFAULT_STRINGS = {
  heading: "Privacy questions",
  greeting: "Hi! Ask me anything about how we handle your personal data. Answers quote our privacy policy.",
  openLabel: "Ask about privacy",
  closeLabel: "Close privacy chat",
  inputLabel: "Your question",
  inputPlaceholder: "Ask about your data…",
  send: "Send",
  thinking: "Looking in the policy…",
  suggestionsLabel: "Suggested questions",
  sourcesLabel: "Sources",
  openSource: "Open in the policy (new tab)",
  showExcerpt: "Excerpt from source %s",
  showMore: "Show more",
  showLess: "Show less",
  askTeam: "Ask the privacy team",
  feedbackQuestion: "Was this helpful?",
  feedbackUp: "Yes, this helped",
  feedbackDown: "No, this did not help",
  feedbackThanks: "Thanks for the feedback.",
  answerAnnouncement: "Answer:",
  retry: "Try again",
  startRequest: "Make a request: %s",
  intakeHeading: "Request: %s",
  intakeRight: "What you want us to do",
  intakeEmail: "E-mail (required)",
  intakeName: "Name",
  intakeCountry: "Country of residence",
  intakeState: "State",
  intakeStateNone: "Choose your state",
  intakeDetails: "Details",
  intakeNotice:
    "We use these details only to handle this request and keep them as long as the law requires. We send a 6-digit code to your e-mail address to confirm it is yours.",
  intakeSubmit: "Send request",
  intakeCancel: "Cancel",
  enquiryHeading: "Ask the privacy team",
  enquiryQuestion: "Question for the privacy team",
  enquirySubmit: "Send question",
  codeHeading: "Confirm your e-mail address",
  codeSent: "We sent a 6-digit code to %s. It is valid for a limited time.",
  codeLabel: "6-digit code",
  codeSubmit: "Confirm",
  codeResend: "Send a new code",
  codeResendIn: "Send a new code (in %s s)",
  codeResent: "A new code is on its way.",
  doneHeading: "Request received",
  doneText: "Your reference is %s. We will answer by %s.",
  doneClose: "Back to the chat",
  errorEmail: "Enter an e-mail address such as name@example.com.",
  errorTooLong: "This is longer than %s characters.",
  errorCountry: "Choose a country from the list.",
  errorCode: "Enter the 6 digits from the e-mail.",
  errorNetwork: "We could not reach the server. Check your connection; what you typed is kept, so you can try again.",
  errorUnavailable: "The privacy assistant is not available on this page right now.",
  errorRateLimited: "Too many tries in a short time. Please wait %s seconds and try again.",
  errorServer: "Something went wrong on our side. What you typed is kept; please try again.",
  /** The contract's wording, shared with the staff console. */
  rights: { ...RIGHT_LABELS } satisfies Record<Right, string>,
};

export type ChatStrings = typeof DEFAULT_STRINGS;

/** The languages shipped besides English, each loaded only by a page that asks for it. */
const TRANSLATIONS: Record<string, () => Promise<{ default: ChatStrings }>> = {
  de: () => import("./strings.de.js"),
  fr: () => import("./strings.fr.js"),
};

/**
 * The widget's words in a language ("de-CH" -> German), or undefined for English and languages not shipped.
 * @example (await loadStrings("fr"))?.send === "Envoyer"
 */
export async function loadStrings(lang: string | undefined): Promise<ChatStrings | undefined> {
  const primary = lang?.toLowerCase().split(/[-_]/)[0] ?? "";
  const load = Object.hasOwn(TRANSLATIONS, primary) ? TRANSLATIONS[primary] : undefined;
  return load ? (await load()).default : undefined;
}

/**
 * Lays a host page's overrides over the defaults, keeping only known keys with string values.
 * @example mergeStrings('{"send":"Senden"}').send === "Senden"
 */
export function mergeStrings(overrides: unknown, base: ChatStrings = DEFAULT_STRINGS): ChatStrings {
  const merged: ChatStrings = { ...base, rights: { ...base.rights } };
  if (!overrides || typeof overrides !== "object") return merged;
  const given = overrides as Record<string, unknown>;
  for (const key of Object.keys(base) as Array<keyof ChatStrings>) {
    const value = given[key];
    if (key === "rights") {
      if (value && typeof value === "object") {
        for (const right of Object.keys(merged.rights) as Right[]) {
          const label = (value as Record<string, unknown>)[right];
          if (typeof label === "string") merged.rights[right] = label;
        }
      }
    } else if (typeof value === "string") {
      merged[key] = value;
    }
  }
  return merged;
}

/** Fills each `%s` in turn. */
export function fill(template: string, ...args: Array<string | number>): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++] ?? ""));
}

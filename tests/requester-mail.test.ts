import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp, staffHeaders } from "./rights-support/app.js";
import { type ReceivedMail, startSmtp } from "./rights-support/smtp.js";

/**
 * The requester hears of every step after verification, through the same outbox and a real SMTP exchange: the
 * reference and due date once verified, the reason and new date of an extension, the reason of a denial, and the
 * completion. Each e-mail is multipart, plain text and HTML.
 */

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let english: Awaited<ReturnType<typeof rightsApp>>;
let german: Awaited<ReturnType<typeof rightsApp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  [english, german] = await Promise.all([rightsApp({ SMTP_URL: smtp.url }), rightsApp({ SMTP_URL: smtp.url, MAIL_LANGUAGE: "de" })]);
});
afterAll(async () => {
  await english?.close();
  await german?.close();
  await smtp?.close();
});

/** One MIME part of a received message, its transfer encoding undone, as UTF-8. */
function part(mail: ReceivedMail, type: "text/plain" | "text/html"): string {
  const match = mail.raw.match(
    new RegExp(`Content-Type: ${type}[^\\r\\n]*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n([\\s\\S]*?)(?:\\r?\\n--|$)`, "i"),
  );
  if (!match) throw new Error(`no ${type} part in:\n${mail.raw}`);
  const headers = mail.raw.slice(mail.raw.indexOf(match[0]), mail.raw.indexOf(match[0]) + match[0].length - match[1]!.length);
  const body = match[1]!;
  if (/base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/quoted-printable/i.test(headers)) {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, "%25"));
  }
  return body;
}

/** Waits for the SMTP server to have received `count` messages to `to`; returns them, oldest first. */
async function mailsTo(to: string, count: number): Promise<ReceivedMail[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = smtp.messages.filter((m) => m.to.includes(to));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`only ${found.length} of ${count} messages reached ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function createVerified(built: typeof english, email: string, right: string, country = "FR") {
  const created = await postJson(
    built.app,
    "/api/requests",
    { site: "acme", right, email, country, source: "form" },
    { "idempotency-key": crypto.randomUUID() },
  );
  const { reference } = (await created.json()) as { reference: string };
  const code = await smtp.codeFor(email);
  const verified = await postJson(built.app, `/api/requests/${reference}/verify`, { code });
  expect(verified.status).toBe(200);
  return (await verified.json()) as { reference: string; dueAt: string };
}

const longDate = (iso: string, locale: string) =>
  new Date(iso).toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

describe("e-mails to the requester over SMTP", () => {
  it("tells of the verified request, its extension with the reason, and its denial with the reason", async () => {
    const email = "told.everything@example.com";
    const { reference, dueAt } = await createVerified(english, email, "erasure");
    const [, verified] = await mailsTo(email, 2);
    expect(verified!.raw).toMatch(new RegExp(`Subject: We have your privacy request ${reference}`));
    expect(verified!.raw).toMatch(/multipart\/alternative/);
    expect(part(verified!, "text/plain")).toContain(`We will answer by ${longDate(dueAt, "en-GB")}.`);
    expect(part(verified!, "text/html")).toContain(`under the reference ${reference}`);

    const reason = "Your data sits in <three> archives & a backup; restoring them takes weeks.";
    const extended = await postJson(english.app, `/api/staff/requests/${reference}/extend`, { reason }, staffHeaders);
    const newDue = ((await extended.json()) as { request: { dueAt: string } }).request.dueAt;
    const [, , extension] = await mailsTo(email, 3);
    expect(extension!.raw).toContain(`Subject: More time needed for your privacy request ${reference}`);
    expect(part(extension!, "text/plain")).toContain(`The reason:\n${reason}`.replace(/\n/g, "\r\n"));
    expect(part(extension!, "text/plain")).toContain(`We will now answer by ${longDate(newDue, "en-GB")}.`);
    expect(part(extension!, "text/html")).toContain("in &#60;three&#62; archives &#38; a backup");

    const denial = "We hold no data for this address.";
    await postJson(english.app, `/api/staff/requests/${reference}/transition`, { to: "denied", note: denial }, staffHeaders);
    const [, , , denied] = await mailsTo(email, 4);
    expect(denied!.raw).toContain(`Subject: Your privacy request ${reference} was declined`);
    expect(part(denied!, "text/plain")).toContain(denial);
    expect(part(denied!, "text/html")).toContain(denial);
  });

  it("tells of a completed request; moves the requester need not hear of send nothing", async () => {
    const email = "told.done@example.com";
    const { reference } = await createVerified(english, email, "access");
    await mailsTo(email, 2);
    await postJson(english.app, `/api/staff/requests/${reference}/transition`, { to: "in_progress" }, staffHeaders);
    await postJson(english.app, `/api/staff/requests/${reference}/notes`, { text: "Asked IT." }, staffHeaders);
    await postJson(english.app, `/api/staff/requests/${reference}/transition`, { to: "completed" }, staffHeaders);
    const mails = await mailsTo(email, 3);
    expect(mails).toHaveLength(3);
    expect(mails[2]!.raw).toContain(`Subject: Your privacy request ${reference} is complete`);
    expect(part(mails[2]!, "text/plain")).toContain(`We have completed your request (Get a copy of my data), reference ${reference}.`);
    // Sent e-mails are not kept: the outbox row is deleted once the SMTP server took it (just after it arrived there).
    const deadline = Date.now() + 5_000;
    let left = await english.rights.db.query("SELECT 1 FROM mail_outbox WHERE reference = $1", [reference]);
    while (left.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      left = await english.rights.db.query("SELECT 1 FROM mail_outbox WHERE reference = $1", [reference]);
    }
    expect(left).toEqual([]);
  });

  it("writes in the language MAIL_LANGUAGE names", async () => {
    const email = "auf.deutsch@example.com";
    const { reference, dueAt } = await createVerified(german, email, "erasure", "DE");
    const [, verified] = await mailsTo(email, 2);
    const text = part(verified!, "text/plain");
    expect(text).toContain(`Ihre Anfrage (Meine Daten löschen) ist unter dem Aktenzeichen ${reference} bei uns eingegangen.`);
    expect(text).toContain(`Wir antworten bis zum ${longDate(dueAt, "de-DE")}.`);
    expect(part(verified!, "text/html")).toContain('<html lang="de">');
  });
});

import { describe, expect, it } from "vitest";
import { MAIL_LANGUAGES, REQUESTER_EVENTS, requesterMessage } from "./requester-mail.js";

const dueAt = new Date("2027-01-03T12:00:00.000Z");
const hostile = `Our archive <script>alert("x")</script> & backups take weeks.`;

describe("e-mails to the requester", () => {
  it("names the reference and the due date in every event and language, as text and HTML", () => {
    for (const language of MAIL_LANGUAGES) {
      for (const event of REQUESTER_EVENTS) {
        const message = requesterMessage(event, { reference: "PR-7K4M-Q2XD", kind: "erasure", dueAt, reason: "A reason." }, language);
        expect(message.subject, `${event} ${language}`).toContain("PR-7K4M-Q2XD");
        expect(message.text).toContain("PR-7K4M-Q2XD");
        expect(message.html).toContain("PR-7K4M-Q2XD");
        expect(message.html).toContain(`<html lang="${language}">`);
        if (event === "verified" || event === "extended") {
          expect(message.text).toContain(language === "en" ? "3 January 2027" : "3. Januar 2027");
        }
      }
    }
  });

  it("says what was asked for in the widget's wording", () => {
    const message = requesterMessage("verified", { reference: "PR-1", kind: "opt_out_sale", dueAt }, "en");
    expect(message.text).toContain("your request (Opt out of the sale or sharing of my data)");
    expect(requesterMessage("completed", { reference: "PR-1", kind: "enquiry", dueAt }, "de").text).toContain(
      "Frage an das Datenschutzteam",
    );
  });

  it("quotes staff's reason, escaped in the HTML", () => {
    for (const event of ["extended", "denied"] as const) {
      const message = requesterMessage(event, { reference: "PR-1", kind: "access", dueAt, reason: hostile }, "en");
      expect(message.text).toContain(`The reason:\n${hostile}`);
      expect(message.html).not.toContain("<script>");
      expect(message.html).toContain("Our archive &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; backups take weeks.");
    }
    expect(requesterMessage("verified", { reference: "PR-1", kind: "access", dueAt }, "en").text).not.toContain("reason");
    const done = requesterMessage("completed", { reference: "PR-1", kind: "access", dueAt, reason: "Sent as a ZIP file." }, "en");
    expect(done.text).toContain("A note from the privacy team:\nSent as a ZIP file.");
    expect(done.text).not.toContain("The reason:");
  });
});

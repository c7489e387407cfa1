import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchBrowser, openGuardedPage, saveScreenshot, startTestServer, widget, type TestServer } from "./harness.js";

const STAFF_TOKEN = "rights-flow-test-token-0123456789";

interface Mail {
  to: string[];
  body: string;
}

/** A real SMTP server on a free port that keeps every message it is given. */
async function startMailbox(): Promise<{ url: string; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        // Quoted-printable soft line breaks would split a code; join them before reading the body.
        const body = raw.slice(raw.indexOf("\r\n\r\n") + 4).replace(/=\r?\n/g, "");
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!chromiumPath)("a rights request from the chat to the staff console", () => {
  let server: TestServer;
  let browser: Browser;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;

  beforeAll(async () => {
    mailbox = await startMailbox();
    [server, browser] = await Promise.all([startTestServer({ env: { STAFF_TOKEN, SMTP_URL: mailbox.url } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mailbox?.close();
  });

  it("hands off, verifies with the e-mailed code, confirms, and shows the ticket in the console", async () => {
    const { context, page, outside } = await openGuardedPage(browser, server.url);
    await page.goto(`${server.url}/?site=altexsoft`);
    await page.evaluate(() => {
      document.addEventListener("privacy-chat-request-created", (event) => {
        (window as unknown as { created: unknown }).created = (event as CustomEvent).detail;
      });
    });
    const chat = widget(page);
    await chat.launcher.click();
    await chat.question.fill("I want a copy of all the personal data you hold about me.");
    await chat.question.press("Enter");
    await chat.intake.waitFor({ timeout: 30_000 });
    expect(await chat.intake.getByLabel("What you want us to do").inputValue()).toBe("access");

    const email = `flow-${Date.now()}@example.com`;
    await chat.intake.getByLabel("E-mail (required)").fill("not-an-address");
    await chat.intake.getByRole("button", { name: "Send request" }).click();
    expect(await chat.intake.locator("#intake-email-error").innerText()).toContain("Enter an e-mail address");
    await chat.intake.getByLabel("E-mail (required)").fill(email);
    await chat.intake.getByLabel("Name").fill("Flow Tester");
    await chat.intake.getByLabel("Country of residence").fill("Germany");
    await chat.intake.getByLabel("Details").fill("Everything from my chats and my job application.");
    await chat.intake.getByRole("button", { name: "Send request" }).click();

    const codeField = chat.intake.getByLabel("6-digit code");
    await codeField.waitFor({ timeout: 15_000 });
    const created = await page.evaluate(() => (window as unknown as { created: { reference: string; right: string } }).created);
    expect(created.right).toBe("access");
    expect(created).not.toHaveProperty("email");
    // The resend button waits for the server's cool-down and says so.
    expect(await chat.intake.getByRole("button", { name: /Send a new code \(in \d+ s\)/ }).isDisabled()).toBe(true);

    await expect.poll(() => mailbox.mails.filter((mail) => mail.to.includes(email)).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const mail = mailbox.mails.filter((m) => m.to.includes(email)).at(-1)!;
    const code = /(?<!\d)\d{6}(?!\d)/.exec(mail.body)?.[0];
    expect(code, "a six-digit code in the e-mail").toBeDefined();

    const wrong = code === "000000" ? "111111" : "000000";
    await codeField.fill(wrong);
    await codeField.press("Enter");
    await expect.poll(() => chat.intake.getByRole("alert").innerText()).not.toBe("");
    expect(await codeField.inputValue()).toBe(wrong);

    await codeField.fill(code!);
    await codeField.press("Enter");
    const done = chat.intake.getByRole("heading", { name: "Request received" });
    await done.waitFor({ timeout: 15_000 });
    const confirmation = await chat.intake.innerText();
    expect(confirmation).toContain(created.reference);
    expect(confirmation).toMatch(/We will answer by \d{1,2} \w+ \d{4}|We will answer by \w+ \d{1,2}, \d{4}/);
    await expect.poll(() => chat.status.innerText()).toContain(created.reference);
    await saveScreenshot(page, "widget-request-confirmed");
    expect(outside).toEqual([]);

    // The ticket in the staff console, as support sees it.
    const staff = await openGuardedPage(browser, server.url);
    await staff.page.goto(`${server.url}/staff/`);
    await staff.page.getByLabel("Staff token").fill(STAFF_TOKEN);
    await staff.page.getByRole("button", { name: "Sign in" }).click();
    const ticket = staff.page.getByRole("link", { name: created.reference });
    await ticket.waitFor({ timeout: 15_000 });
    await saveScreenshot(staff.page, "console-queue-with-chat-request");
    await ticket.click();
    // Playwright's text locators reach into the console's shadow roots.
    await staff.page.getByText(email).first().waitFor({ timeout: 15_000 });
    expect(await staff.page.getByText(/pending/i).count()).toBeGreaterThan(0);
    expect(await staff.page.getByText(/\bchat\b/i).count()).toBeGreaterThan(0);
    await saveScreenshot(staff.page, "console-request-from-chat");
    await staff.context.close();
    await context.close();
  });
});

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { ARTIFACTS, chromiumPath, launchBrowser, openGuardedPage, saveScreenshot, startTestServer, type TestServer } from "./harness.js";

const STAFF_TOKEN = "console-test-token-0123456789";
const staffHeaders = { authorization: `Bearer ${STAFF_TOKEN}` };

interface Created {
  reference: string;
  dueAt: string;
}

/** A request made and verified the way a visitor would: the form's POST, then the code from the outbox. */
async function createVerifiedRequest(server: TestServer, email: string, details: string): Promise<Created> {
  const created = await fetch(`${server.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ site: "altexsoft", right: "access", email, name: "Console Tester", country: "DE", details, source: "form" }),
  });
  expect(created.status).toBe(201);
  const { reference } = (await created.json()) as Created;

  const outbox = (await (await fetch(`${server.url}/api/staff/outbox`, { headers: staffHeaders })).json()) as {
    messages: Array<{ to: string; text: string }>;
  };
  const mail = outbox.messages.find((message) => message.to.includes(email));
  const code = mail?.text.match(/(?<![\d-])\d{6}(?![\d-])/)?.[0];
  expect(code, "a six-digit code in the verification e-mail").toBeDefined();

  const verified = await fetch(`${server.url}/api/requests/${encodeURIComponent(reference)}/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  expect(verified.status).toBe(200);
  return (await verified.json()) as Created;
}

async function signIn(page: Page, server: TestServer): Promise<void> {
  await page.goto(`${server.url}/staff/`);
  await page.getByLabel("Staff token").fill(STAFF_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** The element with focus, looking through open shadow roots, as "tag: text". */
function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    return active ? active.tagName.toLowerCase() + ": " + (active.textContent || "").trim().slice(0, 60) : "";
  })()`);
}

/** The due date as the console writes it, computed in the page so the browser's locale is the same. */
function consoleDate(page: Page, iso: string): Promise<string> {
  return page.evaluate(
    (value) => new Date(value).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
    iso,
  );
}

describe.skipIf(!chromiumPath)("staff console in Chromium against the real server", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ env: { STAFF_TOKEN } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("refuses a wrong token and keeps the right one in sessionStorage only", async () => {
    const { context, page, outside } = await openGuardedPage(browser, server.url);
    await page.goto(`${server.url}/staff`);
    await page.getByLabel("Staff token").fill("not-the-token-at-all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").first().innerText()).toContain("not accepted");
    await saveScreenshot(page, "console-sign-in-refused");

    await page.getByLabel("Staff token").fill(STAFF_TOKEN);
    await page.getByLabel("Staff token").press("Enter");
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("privacy-staff-token"))).toBe(STAFF_TOKEN);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await context.cookies()).toEqual([]);

    await page.reload();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Staff token").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("privacy-staff-token"))).toBeNull();
    expect(outside).toEqual([]);
    await context.close();
  });

  it("searches a policy and marks the matching words in ranked passages", async () => {
    const { context, page, outside, errors } = await openGuardedPage(browser, server.url);
    await signIn(page, server);
    await page.getByRole("link", { name: "Policy search" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#/search");
    await page.getByLabel("Site").selectOption("altexsoft");
    await page.getByLabel("Words to find").fill("chat data");
    await page.getByLabel("Words to find").press("Enter");

    const results = page.locator("staff-search ol > li");
    await results.first().waitFor({ timeout: 30_000 });
    expect(await results.count()).toBeGreaterThan(1);
    const marked = (await page.locator("staff-search mark").allInnerTexts()).map((word) => word.toLowerCase());
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.every((word) => word.startsWith("chat") || word.startsWith("data"))).toBe(true);
    const link = results.first().locator("h3 a");
    expect(await link.getAttribute("href")).toMatch(/^https:\/\/[^#]+#.+/);
    expect(await link.getAttribute("rel")).toContain("noopener");
    expect(await page.evaluate(() => location.hash)).toBe("#/search?q=chat+data&site=altexsoft");
    await saveScreenshot(page, "console-search");

    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a verified request in the queue, opens it, starts work, extends, notes, denies with a reason, erases it and exports CSV", async () => {
    const hostile = `<img src=x onerror="window.__pwned=1">Please send my chat transcripts.`;
    const created = await createVerifiedRequest(server, "console.tester@example.test", hostile);
    const { context, page, outside, errors } = await openGuardedPage(browser, server.url, { acceptDownloads: true });
    await signIn(page, server);

    const row = page.locator("staff-queue tbody tr", { has: page.getByRole("link", { name: created.reference }) });
    await row.waitFor();
    expect(await row.innerText()).toContain(await consoleDate(page, created.dueAt));
    expect(await row.innerText()).toContain("Pending");
    const charts = page.locator("staff-chart svg[role=img]");
    expect(await charts.count()).toBe(2);
    expect(await charts.first().getAttribute("aria-label")).toMatch(/Pending [1-9]/);
    await saveScreenshot(page, "console-queue");

    const dueHeader = page.locator("staff-queue th[aria-sort]");
    expect(await dueHeader.getAttribute("aria-sort")).toBe("ascending");
    await dueHeader.getByRole("button").click();
    expect(await dueHeader.getAttribute("aria-sort")).toBe("descending");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^requests-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
    expect(csv).toContain(created.reference);

    await page.getByLabel("Status", { exact: true }).selectOption("in_progress");
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#/requests?status=in_progress");
    await expect.poll(() => row.count()).toBe(0);
    await page.getByLabel("Status", { exact: true }).selectOption("pending");
    await row.waitFor();

    await page.getByRole("link", { name: created.reference }).click();
    await page.getByRole("heading", { name: `Request ${created.reference}` }).waitFor();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    expect(await page.locator("staff-request dd.details").innerText()).toBe(hostile);
    expect(await page.locator("staff-request dl").innerText()).toContain("AltexSoft Inc.");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.getByRole("button", { name: "Start work" }).click();
    await expect.poll(() => page.locator("staff-request .title .badge").innerText()).toBe("In progress");
    await expect.poll(() => page.locator("staff-request table").innerText()).toContain("Pending → In progress");
    const api = (await (await fetch(`${server.url}/api/staff/requests/${created.reference}`, { headers: staffHeaders })).json()) as {
      request: { status: string };
    };
    expect(api.request.status).toBe("in_progress");

    await page.getByLabel("Add a note").fill("Asked the data team for the transcripts.");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByText("Asked the data team for the transcripts.").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "console-request.png"), fullPage: true });

    await page.getByRole("button", { name: "Extend deadline…" }).click();
    await page.getByLabel("Reason for the extension").fill("The transcripts sit in an archive that takes weeks to restore.");
    await page.getByRole("button", { name: "Extend deadline", exact: true }).click();
    await page.getByText("Extended: The transcripts sit in an archive").waitFor();
    const extended = (await (await fetch(`${server.url}/api/staff/requests/${created.reference}`, { headers: staffHeaders })).json()) as {
      request: { dueAt: string; extended: boolean };
    };
    expect(extended.request.extended).toBe(true);
    expect(Date.parse(extended.request.dueAt)).toBeGreaterThan(Date.parse(created.dueAt));
    expect(await page.locator("staff-request dl").innerText()).toContain(await consoleDate(page, extended.request.dueAt));
    expect(await page.getByRole("button", { name: "Extend deadline…" }).count()).toBe(0);
    // The audit log writes the extension's dates as dates, not as ISO timestamps.
    expect(await page.locator("staff-request table").innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    await page.getByRole("button", { name: "Deny…" }).click();
    const reason = page.getByLabel("Reason for the denial (sent to the requester)");
    await expect.poll(() => reason.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.getByRole("button", { name: "Deny request" }).click();
    expect(await reason.evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    await reason.fill("We hold no chat transcripts for this address.");
    await page.getByRole("button", { name: "Deny request" }).click();
    await expect.poll(() => page.locator("staff-request .title .badge").innerText()).toBe("Denied");
    expect(await page.locator("staff-request table").innerText()).toContain("We hold no chat transcripts for this address.");
    expect(await page.getByRole("button", { name: "Start work" }).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "console-request-denied.png"), fullPage: true });

    await page.getByRole("link", { name: "Outbox" }).click();
    await page.locator("staff-outbox article").first().waitFor();
    await saveScreenshot(page, "console-outbox");

    // Closed: the requester's data can be erased now, with a reason for the audit log; their e-mails leave the outbox.
    await page.goBack();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await page.getByRole("button", { name: "Erase personal data…" }).click();
    const why = page.getByLabel("Reason for erasing now (kept in the audit log; do not name the requester)");
    await expect.poll(() => why.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await why.fill("Asked on the phone to be forgotten at once.");
    await page.getByRole("button", { name: "Erase personal data", exact: true }).click();
    await page.getByText("The requester's personal data was erased on").waitFor();
    await expect.poll(() => page.locator("staff-console [role=status]").innerText()).toBe("Personal data erased.");
    expect(await page.locator("staff-request table").innerText()).toContain("Asked on the phone to be forgotten at once.");
    expect(await page.locator("staff-request dl").innerText()).not.toContain("console.tester@example.test");
    expect(await page.locator("staff-request ol.notes").innerText()).toContain("(text erased)");
    expect(await page.getByRole("button", { name: "Erase personal data…" }).count()).toBe(0);
    const erased = (await (await fetch(`${server.url}/api/staff/requests/${created.reference}`, { headers: staffHeaders })).json()) as {
      request: { email: string; name: string | null; details: string | null; anonymisedAt: string | null };
      audit: Array<{ actor: string; action: string; note: string | null }>;
    };
    expect(erased.request).toMatchObject({ email: "", name: null, details: null });
    expect(erased.request.anonymisedAt).not.toBeNull();
    expect(erased.audit.at(-1)).toMatchObject({ actor: "staff", action: "erased", note: "Asked on the phone to be forgotten at once." });
    await page.screenshot({ path: path.join(ARTIFACTS, "console-request-erased.png"), fullPage: true });
    const outbox = (await (await fetch(`${server.url}/api/staff/outbox`, { headers: staffHeaders })).json()) as {
      messages: Array<{ to: string }>;
    };
    expect(outbox.messages.filter((message) => message.to === "console.tester@example.test")).toEqual([]);

    expect(await context.cookies()).toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("can be used with the keyboard alone: sign in, open a request, start work", async () => {
    const created = await createVerifiedRequest(server, "keyboard.tester@example.test", "Keyboard only.");
    const { context, page, errors } = await openGuardedPage(browser, server.url);
    await page.goto(`${server.url}/staff/`);
    await page.keyboard.press("Tab");
    expect(await focused(page)).toBe("input: ");
    await page.keyboard.type(STAFF_TOKEN);
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: created.reference }).waitFor();
    expect(await focused(page)).toBe("h2: Requests");

    let steps = 0;
    while ((await focused(page)) !== `a: ${created.reference}` && steps++ < 40) await page.keyboard.press("Tab");
    const outline = await page.evaluate(`(() => {
      let active = document.activeElement;
      while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
      const style = getComputedStyle(active);
      return style.outlineStyle + " " + style.outlineWidth;
    })()`);
    expect(outline).toBe("solid 3px");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: `Request ${created.reference}` }).waitFor();
    await expect.poll(() => focused(page)).toBe(`h2: Request ${created.reference}`);

    steps = 0;
    while ((await focused(page)) !== "button: Start work" && steps++ < 20) await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("staff-request .title .badge").innerText()).toBe("In progress");
    await expect.poll(() => focused(page)).toBe(`h2: Request ${created.reference}`);
    await expect.poll(() => page.locator("staff-console [role=status]").innerText()).toBe("Moved to in progress.");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("works in the dark scheme on a narrow screen", async () => {
    const created = await createVerifiedRequest(server, "narrow.tester@example.test", "Please erase my account.");
    const { context, page, errors } = await openGuardedPage(browser, server.url, {
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
    });
    await signIn(page, server);
    await page.getByRole("link", { name: created.reference }).waitFor();
    expect(await page.locator("staff-chart svg[role=img]").first().getAttribute("aria-label")).toMatch(/Pending [1-9]/);
    const colours = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(colours).toBe("rgb(21, 23, 26)");
    // Wide tables scroll inside their own box; the page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, "console-queue-narrow-dark.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

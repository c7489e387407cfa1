import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import path from "node:path";
import {
  ARTIFACTS,
  chromiumPath,
  openGuardedPage,
  saveScreenshot,
  seriousViolations,
  useServerAndBrowser,
  type TestServer,
} from "./harness.js";

const STAFF_TOKEN = "console-insights-token-0123456789";

interface Reply {
  kind: string;
  citations: Array<{ title: string; section: string; url: string; text: string }>;
}

async function ask(server: TestServer, question: string): Promise<Reply> {
  const response = await fetch(`${server.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ site: "altexsoft", question }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Reply;
}

async function thumbs(server: TestServer, verdict: "up" | "down", reply: Reply): Promise<void> {
  const response = await fetch(`${server.url}/api/feedback`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      site: "altexsoft",
      verdict,
      kind: reply.kind,
      citations: reply.citations.map(({ title, section, url, text }) => ({ title, section, url, text })),
    }),
  });
  expect(response.status).toBe(201);
}

async function signIn(page: Page, server: TestServer, hash: string): Promise<void> {
  await page.goto(`${server.url}/staff/${hash}`);
  await page.getByLabel("Staff token").fill(STAFF_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** The cells of the table headed `heading`, row by row. */
function table(page: Page, heading: string): Promise<string[][]> {
  return page
    .locator("staff-insights section", { has: page.getByRole("heading", { name: heading }) })
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? "").trim())));
}

describe.skipIf(!chromiumPath)("insights in the console, over real questions and the real language layer", () => {
  const suite = useServerAndBrowser({ env: { STAFF_TOKEN } });

  it("counts this week's questions by outcome and topic, lists the thumbs-down answer with its passage, keeps no question", async () => {
    const { server, browser } = suite;
    const answered = await ask(server, "How long do you keep my personal data?");
    expect(answered.kind).toBe("answer");
    expect((await ask(server, "What is the capital of France?")).kind).toBe("no_answer");
    expect((await ask(server, "Delete all my data now.")).kind).toBe("rights_request");
    await thumbs(server, "down", answered);
    await thumbs(server, "up", answered);

    const { context, page, errors } = await openGuardedPage(browser, server.url);
    await signIn(page, server, "#/insights?site=altexsoft");
    await page.getByRole("heading", { name: "By week" }).waitFor();
    const [week] = await table(page, "By week");
    expect(week!.slice(1)).toEqual(["3", "1", "1", "1", "1", "1"]);
    expect(await page.locator("staff-insights .privacy").innerText()).toContain("No question text is stored");

    // The language layer names the retention question's topic; the counts by topic add up to the week's.
    const topics = await table(page, "By topic");
    expect(topics.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(3);
    expect(topics.some((row) => /retention|kept|keep/i.test(row[0]!))).toBe(true);

    const review = page.locator("staff-insights ol.reviews > li").first();
    expect(await review.locator("blockquote").first().innerText()).toBe(answered.citations[0]!.text);
    expect(await review.getByRole("link").first().getAttribute("href")).toBe(answered.citations[0]!.url);
    expect(await page.getByText("How long do you keep my personal data?").count()).toBe(0);
    await saveScreenshot(page, "console-insights");
    // The first cited passage is open; the others fold behind one line.
    const more = answered.citations.length - 1;
    expect(await review.locator("blockquote:visible").count()).toBe(1);
    if (more > 0) {
      await review.getByText(`${more} more cited`).click();
      expect(await review.locator("blockquote:visible").count()).toBe(more + 1);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, "console-insights-full.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a phone in the dark scheme with no serious axe violation", async () => {
    const { server, browser } = suite;
    const { context, page, errors } = await openGuardedPage(browser, server.url, {
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
    });
    await signIn(page, server, "#/insights?site=altexsoft");
    await page.getByRole("heading", { name: "By week" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    // The menu scrolls sideways on a phone; the current view's link (the last one) is scrolled into it.
    const current = await page.locator('staff-console header nav a[aria-current="page"]').boundingBox();
    expect(current!.x).toBeGreaterThanOrEqual(0);
    expect(current!.x + current!.width).toBeLessThanOrEqual(390);
    // Each week is a card: every count is in view with its label, none cut off to the right.
    const cells = page.locator("staff-insights table.counts td");
    expect(await cells.first().evaluate((td) => getComputedStyle(td, "::before").content)).toBe('"Asked"');
    for (const box of await cells.evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().right)))
      expect(box).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, "console-insights-narrow-dark.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

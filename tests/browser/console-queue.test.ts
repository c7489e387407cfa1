import http from "node:http";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { REQUEST_KIND_LABELS } from "../../server/contract/constants.js";
import { chromiumPath, openGuardedPage, saveScreenshot, useServerAndBrowser, type TestServer } from "./harness.js";

const STAFF_TOKEN = "console-queue-test-token-0123456789";
const staffHeaders = { authorization: `Bearer ${STAFF_TOKEN}`, "content-type": "application/json" };
const RIGHTS = ["access", "erasure", "opt_out_sale", "enquiry", "rectification"] as const;

/**
 * POST /api/requests from a given loopback address: the server allows 20 new requests per address an hour, and the
 * queue needs more than one page of them.
 */
function createFrom(server: TestServer, localAddress: string, body: object): Promise<{ reference: string }> {
  const url = new URL("/api/requests", server.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: "POST", localAddress, headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () =>
          response.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`${response.statusCode} ${text}`)),
        );
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

async function verify(server: TestServer, reference: string, email: string): Promise<void> {
  const outbox = (await (await fetch(`${server.url}/api/staff/outbox`, { headers: staffHeaders })).json()) as {
    messages: Array<{ to: string; text: string }>;
  };
  const code = outbox.messages.find((m) => m.to === email)?.text.match(/code is (\d{6})/)?.[1];
  const verified = await fetch(`${server.url}/api/requests/${reference}/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  expect(verified.status).toBe(200);
}

async function move(server: TestServer, reference: string, to: string, note?: string): Promise<void> {
  const moved = await fetch(`${server.url}/api/staff/requests/${reference}/transition`, {
    method: "POST",
    headers: staffHeaders,
    body: JSON.stringify(note ? { to, note } : { to }),
  });
  expect(moved.status).toBe(200);
}

/** 30 open requests over two sites and five kinds, plus one completed and one denied. */
async function seed(server: TestServer) {
  const made: Array<{ reference: string; email: string }> = [];
  for (let n = 0; n < 32; n++) {
    const email = `queue.person${n}@example.test`;
    const body = {
      site: n % 2 ? "altoros" : "altexsoft",
      right: RIGHTS[n % RIGHTS.length],
      email,
      country: n % 3 ? "DE" : "BR",
      details: RIGHTS[n % RIGHTS.length] === "enquiry" ? "Do you keep my chat transcripts?" : undefined,
      source: "form",
    };
    const { reference } = await createFrom(server, `127.0.0.${2 + Math.floor(n / 15)}`, body);
    made.push({ reference, email });
  }
  for (const { reference, email } of made.slice(0, 4)) await verify(server, reference, email);
  await move(server, made[1]!.reference, "in_progress");
  await move(server, made[2]!.reference, "in_progress");
  await move(server, made[2]!.reference, "completed");
  await move(server, made[3]!.reference, "denied", "We hold no data for this address.");
  return made;
}

async function signIn(page: Page, server: TestServer, hash = ""): Promise<void> {
  await page.goto(`${server.url}/staff/${hash}`);
  await page.getByLabel("Staff token").fill(STAFF_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

const rows = (page: Page) => page.locator("staff-queue table.queue > tbody > tr");

describe.skipIf(!chromiumPath)("the request queue in Chromium: open by default, searched, paged on the server", () => {
  const suite = useServerAndBrowser({ env: { STAFF_TOKEN } });

  it("shows open requests page by page, with statuses in colour and glyph, site names and the widget's wording", async () => {
    const { server, browser } = suite;
    const made = await seed(server);
    const { context, page, errors } = await openGuardedPage(browser, server.url);
    await signIn(page, server);

    await expect.poll(() => page.locator("#queue-count").innerText()).toBe("Showing 1–25 of 30 requests");
    expect(await rows(page).count()).toBe(25);
    const statuses = await page.locator("staff-queue table.queue .badge").allInnerTexts();
    expect(statuses.some((text) => /Completed|Denied/.test(text))).toBe(false);

    // Each status its own colour and glyph, besides its words.
    const looks = await page.locator("staff-queue table.queue .badge").evaluateAll((badges) =>
      badges.map((badge) => ({
        status: badge.getAttribute("data-status"),
        glyph: getComputedStyle(badge, "::before").content,
        colour: getComputedStyle(badge).borderLeftColor,
      })),
    );
    const byStatus = new Map(looks.map((look) => [look.status, look]));
    expect([...byStatus.keys()].sort()).toEqual(["identity_unverified", "in_progress", "pending"]);
    expect(new Set([...byStatus.values()].map((look) => look.glyph)).size).toBe(3);
    expect(new Set([...byStatus.values()].map((look) => look.colour)).size).toBe(3);
    expect([...byStatus.values()].every((look) => look.glyph !== "none" && look.glyph !== '""')).toBe(true);

    const sites = await page.locator('staff-queue td[data-label="Site"]').allInnerTexts();
    expect(new Set(sites)).toEqual(new Set(["AltexSoft Inc.", "Altoros"]));
    const rights = await page.locator('staff-queue td[data-label="Right"]').allInnerTexts();
    expect(rights).toContain(REQUEST_KIND_LABELS.opt_out_sale);
    expect(rights).toContain(REQUEST_KIND_LABELS.enquiry);
    expect(rights.some((text) => /_|Opt out sale/.test(text))).toBe(false);

    // The header's content and the page's start at the same x; the chart cards are one height.
    const edges = await page.evaluate(() => {
      const root = document.querySelector("staff-console")!.shadowRoot!;
      return [root.querySelector("header h1")!, root.querySelector("main h2, main > * ")!].map((el) =>
        Math.round(el.getBoundingClientRect().left),
      );
    });
    const queueHeading = await page.locator("staff-queue h2").boundingBox();
    expect(Math.round(queueHeading!.x)).toBe(edges[0]);
    const cards = await page
      .locator("staff-chart figure")
      .evaluateAll((figures) => figures.map((f) => Math.round(f.getBoundingClientRect().height)));
    expect(cards).toHaveLength(2);
    expect(cards[0]).toBe(cards[1]);
    await saveScreenshot(page, "console-queue-open");

    await page.getByRole("link", { name: "Next →" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#/requests?page=2");
    await expect.poll(() => page.locator("#queue-count").innerText()).toBe("Showing 26–30 of 30 requests");
    expect(await rows(page).count()).toBe(5);
    expect(await page.getByText("Page 2 of 2").count()).toBe(1);
    await page.locator("staff-queue .pager").scrollIntoViewIfNeeded();
    await saveScreenshot(page, "console-queue-page-2");

    // Any status brings the closed ones back; the filter starts again at page 1.
    await page.getByLabel("Status", { exact: true }).selectOption("all");
    await expect.poll(() => page.locator("#queue-count").innerText()).toBe("Showing 1–25 of 32 requests");
    expect(await page.evaluate(() => location.hash)).toBe("#/requests?status=all");

    // Search by part of an e-mail, then by a reference typed in lower case.
    await page.getByLabel("Reference or e-mail").fill("person17@");
    await page.getByLabel("Reference or e-mail").press("Enter");
    await expect.poll(() => page.locator("#queue-count").innerText()).toBe("1 request");
    expect(await rows(page).first().innerText()).toContain(made[17]!.reference);
    await page.getByLabel("Reference or e-mail").fill(made[3]!.reference.toLowerCase());
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.locator("#queue-count").innerText()).toBe("1 request");
    expect(await rows(page).first().innerText()).toContain("Denied");
    await saveScreenshot(page, "console-queue-search");

    await page.getByLabel("Reference or e-mail").fill("nobody@nowhere.test");
    await page.getByLabel("Reference or e-mail").press("Enter");
    await page.getByText("No request matches this filter.").waitFor();
    expect(await page.getByRole("button", { name: "Export CSV" }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("turns the queue into cards on a phone, with a one-line menu and charts whose words keep their size (dark)", async () => {
    const { server, browser } = suite;
    const { context, page, errors } = await openGuardedPage(browser, server.url, {
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
    });
    await signIn(page, server);
    await rows(page).first().waitFor();
    expect(
      await rows(page)
        .first()
        .evaluate((row) => getComputedStyle(row).display),
    ).toBe("block");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "console-queue-narrow");
    // The views stay on one line that scrolls sideways by itself, instead of wrapping onto three ragged rows.
    const navTops = await page
      .locator("staff-console header nav a")
      .evaluateAll((links) => links.map((a) => a.getBoundingClientRect().top));
    expect(Math.max(...navTops) - Math.min(...navTops)).toBeLessThan(4);
    await page.getByRole("link", { name: "Policy coverage" }).focus();
    expect(await page.getByRole("link", { name: "Policy coverage" }).evaluate((a) => a.getBoundingClientRect().right)).toBeLessThanOrEqual(
      390,
    );
    // Chart words are drawn at their CSS size: the SVG is not scaled down to fit.
    const scale = await page
      .locator("staff-chart svg")
      .first()
      .evaluate((svg) => svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width);
    expect(scale).toBeGreaterThan(0.98);
    const labelHeight = await page
      .locator("staff-chart svg text.label")
      .first()
      .evaluate((text) => text.getBoundingClientRect().height);
    expect(labelHeight).toBeGreaterThanOrEqual(13);
    await saveScreenshot(page, "console-queue-narrow");
    await page.locator("staff-queue .toolbar").scrollIntoViewIfNeeded();
    await saveScreenshot(page, "console-queue-narrow-cards");
    expect(errors).toEqual([]);
    await context.close();
  });
});

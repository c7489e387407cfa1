import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchBrowser, openGuardedPage, ROOT, saveScreenshot, startTestServer, type TestServer } from "./harness.js";

const STAFF_TOKEN = "console-coverage-token-012345";

describe.skipIf(!chromiumPath)("staff console: policy coverage", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ corpusDir: `${ROOT}/tests/fixtures/tiny-corpus`, env: { STAFF_TOKEN } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows, for the site, the topics its policy does not address and those it does", async () => {
    const { context, page, outside, errors } = await openGuardedPage(browser, server.url);
    await page.goto(`${server.url}/staff/`);
    await page.getByLabel("Staff token").fill(STAFF_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Policy coverage" }).click();
    await page.getByRole("heading", { name: "Policy coverage" }).waitFor();
    const missing = page.getByRole("list", { name: "Topics the policy does not address" });
    const addressed = page.getByRole("list", { name: "Topics the policy addresses" });
    await expect.poll(() => missing.getByRole("listitem").count()).toBeGreaterThan(0);
    // The tiny policy speaks of how long it keeps data, and nothing of health or biometric data.
    expect((await addressed.innerText()).toLowerCase()).toContain("retention");
    expect((await missing.innerText()).toLowerCase()).toMatch(/health|biometric/);
    await saveScreenshot(page, "console-policy-coverage");
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

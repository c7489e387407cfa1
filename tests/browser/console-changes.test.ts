import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchBrowser, openGuardedPage, ROOT, saveScreenshot, startTestServer, type TestServer } from "./harness.js";

const STAFF_TOKEN = "console-changes-token-012345";

describe.skipIf(!chromiumPath)("staff console: policy changes seen by npm run fetch-policies", () => {
  let server: TestServer;
  let browser: Browser;
  let corpus: string;

  beforeAll(async () => {
    corpus = await mkdtemp(path.join(tmpdir(), "console-changes-"));
    await cp(path.join(ROOT, "tests/fixtures/tiny-corpus"), corpus, { recursive: true });
    // The changelog fetch-policies writes (tests/fetch-policies.test.ts checks the writing).
    await writeFile(
      path.join(corpus, "acme", ".changelog.json"),
      JSON.stringify([
        {
          date: "2026-04-15",
          document: "privacy-policy.html",
          source: "https://acme.example/privacy",
          sections: ["Cookies", "Your rights"],
          summary: "changed on 2026-04-15: sections Cookies, Your rights",
        },
        {
          date: "2026-03-01",
          document: "privacy-policy.html",
          source: "javascript:alert(1)",
          sections: [],
          summary: "first fetched on 2026-03-01",
        },
      ]),
    );
    [server, browser] = await Promise.all([startTestServer({ corpusDir: corpus, env: { STAFF_TOKEN } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(corpus, { recursive: true, force: true });
  });

  it("lists each site's changes newest first, linking only http(s) sources", async () => {
    const { context, page, outside, errors } = await openGuardedPage(browser, server.url);
    await page.goto(`${server.url}/staff/`);
    await page.getByLabel("Staff token").fill(STAFF_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Policy changes" }).click();
    await page.getByRole("heading", { name: "Policy changes" }).waitFor();
    const list = page.getByRole("list", { name: "Changes to acme, newest first" });
    await expect
      .poll(() => list.getByRole("listitem").allInnerTexts())
      .toEqual([
        "changed on 2026-04-15: sections Cookies, Your rights (privacy-policy.html, source)",
        "first fetched on 2026-03-01 (privacy-policy.html)",
      ]);
    expect(await list.getByRole("link", { name: "source" }).getAttribute("href")).toBe("https://acme.example/privacy");
    expect(page.url()).toMatch(/#\/changes$/);
    await saveScreenshot(page, "console-policy-changes");
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

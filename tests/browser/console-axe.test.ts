import { describe, expect, it } from "vitest";
import { chromiumPath, openGuardedPage, saveScreenshot, seriousViolations, useServerAndBrowser } from "./harness.js";

const STAFF_TOKEN = "console-axe-test-token-0123456789";

/** Every console view, signed out and signed in, audited by axe-core in both colour schemes. */
describe.skipIf(!chromiumPath)("staff console views, audited with axe-core", () => {
  const suite = useServerAndBrowser({ env: { STAFF_TOKEN } });

  for (const colorScheme of ["light", "dark"] as const) {
    it(`has no serious or critical axe violation on any view (${colorScheme})`, async () => {
      const { server, browser } = suite;
      const created = await fetch(`${server.url}/api/requests`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `axe-${colorScheme}` },
        body: JSON.stringify({ site: "altoros", right: "access", email: `axe-${colorScheme}@example.com`, country: "FR", source: "form" }),
      });
      const { reference } = (await created.json()) as { reference: string };
      const { context, page, errors } = await openGuardedPage(browser, server.url, { colorScheme, reducedMotion: "reduce" });
      await page.goto(`${server.url}/staff/`);
      await page.getByLabel("Staff token").waitFor();
      expect(await seriousViolations(page), "sign-in").toEqual([]);
      await page.getByLabel("Staff token").fill(STAFF_TOKEN);
      await page.getByRole("button", { name: "Sign in" }).click();

      const views: Array<[string, string, string]> = [
        ["requests", "#/requests", reference],
        ["request", `#/requests/${encodeURIComponent(reference)}`, reference],
        ["search", "#/search?q=cookies&site=altoros", "cookie"],
        ["outbox", "#/outbox", `axe-${colorScheme}@example.com`],
        ["changes", "#/changes", "Policy changes"],
        ["coverage", "#/coverage?site=altoros", "Not addressed"],
        ["insights", "#/insights?site=altoros", "Thumbs down, to review"],
      ];
      for (const [name, hash, shows] of views) {
        await page.goto(`${server.url}/staff/${hash}`);
        await page.getByText(shows, { exact: false }).first().waitFor();
        await saveScreenshot(page, `console-${name}-${colorScheme}`);
        expect(await seriousViolations(page), `axe on the ${name} view (${colorScheme})`).toEqual([]);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

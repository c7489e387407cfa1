import { describe, expect, it } from "vitest";
import { chromiumPath, openGuardedPage, saveScreenshot, useServerAndBrowser } from "./harness.js";

describe.skipIf(!chromiumPath)("/api/docs, the API reference", () => {
  const suite = useServerAndBrowser();

  it("renders every operation from /api/openapi.json from our own origin, under the CSP, with no error", async () => {
    const { context, page, outside, errors } = await openGuardedPage(suite.browser, suite.server.url);
    try {
      const csp = (await page.goto(`${suite.server.url}/api/docs`))?.headers()["content-security-policy"] ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe");
      await page.locator(".opblock").first().waitFor({ timeout: 30_000 });
      const document = (await (await fetch(`${suite.server.url}/api/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const operations = Object.values(document.paths).reduce((sum, methods) => sum + Object.keys(methods).length, 0);
      expect(await page.locator(".opblock").count()).toBe(operations);
      await expect(page.locator(".opblock-summary-path", { hasText: "/api/ask" }).count()).resolves.toBeGreaterThan(0);
      await saveScreenshot(page, "api-docs");
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});

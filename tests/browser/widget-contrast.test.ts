import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ask, chromiumPath, openGuardedPage, useServerAndBrowser, widget } from "./harness.js";

/** Text the visitor reads, by selector inside the widget; each must reach 4.5:1 against what is behind it. */
const TEXT = [
  "button.launcher span",
  "header h2",
  "li.visitor",
  "li.assistant[data-kind] .answer p",
  "li.assistant[data-kind] .answer blockquote p",
  ".citations-label",
  ".citation-title",
  ".citation-section",
  ".citation blockquote",
  ".citation-number",
  ".feedback span",
  "button.primary",
  ".contact",
  ".contact a",
];

/** WCAG 2.1 contrast of each selector's text colour against the first opaque background behind it. */
async function contrasts(page: Page): Promise<Array<{ selector: string; ratio: number; fg: string; bg: string }>> {
  return page.evaluate((selectors) => {
    const root = document.querySelector("privacy-chat")!.shadowRoot!;
    const parse = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const channel = (value: number) => {
        const v = value / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: Element | null): string => {
      for (let node = element; node; node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host ?? null) {
        const color = getComputedStyle(node).backgroundColor;
        const alpha = parse(color)[3];
        if (color !== "transparent" && (alpha === undefined || alpha > 0.99)) return color;
        if (node === document.documentElement) break;
      }
      return getComputedStyle(document.body).backgroundColor;
    };
    return selectors.flatMap((selector) => {
      const element = root.querySelector(selector);
      if (!element) return [];
      const fg = getComputedStyle(element).color;
      const bg = background(element);
      const [a, b] = [luminance(parse(fg)), luminance(parse(bg))].sort((x, y) => y - x) as [number, number];
      return [{ selector, ratio: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100, fg, bg }];
    });
  }, TEXT);
}

describe.skipIf(!chromiumPath)("<privacy-chat> colour contrast", () => {
  const suite = useServerAndBrowser();

  for (const colorScheme of ["light", "dark"] as const) {
    it(`reaches 4.5:1 for every kind of text in the ${colorScheme} scheme, with reduced motion respected`, async () => {
      const { context, page } = await openGuardedPage(suite.browser, suite.server.url, { colorScheme, reducedMotion: "reduce" });
      await page.goto(`${suite.server.url}/?site=altoros`);
      const chat = widget(page);
      const launcher = await contrasts(page);
      await chat.launcher.click();
      expect(await chat.panel.evaluate((el) => getComputedStyle(el).animationName)).toBe("none");
      await ask(page, "How long do you keep my chat data?");
      await ask(page, "What is the favourite colour of your chief executive?");
      // The no-answer reply names the privacy contact; measure only once it is there.
      await chat.host.locator(".contact a").waitFor({ timeout: 30_000 });
      const measured = [...launcher, ...(await contrasts(page))];
      expect(new Set(measured.map((m) => m.selector))).toEqual(new Set(TEXT));
      const failing = measured.filter((m) => m.ratio < 4.5);
      expect(failing).toEqual([]);
      await context.close();
    });
  }
});

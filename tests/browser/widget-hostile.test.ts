import { describe, expect, it } from "vitest";
import { HOSTILE_CORPUS, ask, chromiumPath, useServerAndBrowser, openGuardedPage, saveScreenshot, widget } from "./harness.js";

/**
 * tests/fixtures/hostile-corpus has a policy whose title, headings and text carry <script>, <img onerror>,
 * <svg onload>, javascript: links in Markdown and HTML, and an off-site image. Every payload that runs
 * sets window.__hostile or opens a dialog.
 */
describe.skipIf(!chromiumPath)("a hostile policy in the widget", () => {
  const suite = useServerAndBrowser({ corpusDir: HOSTILE_CORPUS });

  it("shows the policy's text, runs none of its script and loads nothing from elsewhere", async () => {
    const { context, page, outside, errors } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(`${suite.server.url}/?site=hostile`);
    const chat = widget(page);
    await chat.launcher.click();
    await ask(page, "How long do you keep my chat data?");
    await ask(page, "Do you use cookies?");

    const answer = chat.answers.first();
    const text = await answer.innerText();
    expect(text).toContain("We keep your chat data for 90 days");
    // The title's markup is shown as the characters it is, not parsed.
    expect(text).toContain("<script>window.__hostile='title'</script>");
    expect(text).toContain(`<img src=x onerror="window.__hostile='title-img'">`);

    // Hover and click everything a visitor could, to give event-handler payloads their chance.
    for (const element of await chat.host.locator(".answer *, li.citation *").all()) {
      await element.hover({ timeout: 1000 }).catch(() => {});
    }
    for (const link of await chat.host.locator(".answer a").all()) await link.click({ modifiers: ["Shift"] }).catch(() => {});

    const dom = await page.evaluate(() => {
      const root = document.querySelector("privacy-chat")?.shadowRoot;
      // Everything the policy's words reached: the rendered answers and their source cards (not the widget's own icons).
      const all = [...(root?.querySelectorAll("li.assistant[data-kind] .answer *, li.assistant[data-kind] li.citation *") ?? [])];
      return {
        hostile: (window as unknown as { __hostile?: string }).__hostile ?? null,
        dangerousElements: all.filter((el) =>
          ["SCRIPT", "IMG", "SVG", "IFRAME", "STYLE", "OBJECT", "EMBED"].includes(el.tagName.toUpperCase()),
        ).length,
        handlerAttributes: all.flatMap((el) => [...el.attributes].map((a) => a.name)).filter((name) => name.startsWith("on")),
        hrefs: all.map((el) => el.getAttribute("href")).filter((href): href is string => href !== null),
      };
    });
    expect(dom.hostile).toBeNull();
    expect(dom.dangerousElements).toBe(0);
    expect(dom.handlerAttributes).toEqual([]);
    expect(dom.hrefs.filter((href) => !/^(https?:|mailto:)/.test(href))).toEqual([]);
    // The refused javascript: link is left as its word, not as an anchor that looks clickable.
    expect(await chat.host.locator(".answer a:not([href])").count()).toBe(0);
    expect(text).toContain("Privacy Policy");
    // The close button stays on screen however long the site's name is.
    const close = await chat.host.getByRole("button", { name: "Close privacy chat" }).boundingBox();
    expect(close && close.x + close.width).toBeLessThanOrEqual(1280);
    // The policy URL in the front matter is javascript:, so citation cards carry no link at all.
    expect(await chat.host.locator("li.citation a").count()).toBe(0);
    expect(await chat.host.locator("li.citation").count()).toBeGreaterThan(0);

    // The demo page escapes the hostile organisation name too.
    expect(await page.title()).toContain("<script>");

    await saveScreenshot(page, "widget-hostile-policy");
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumPath, useServerAndBrowser, focusedInWidget, openGuardedPage, saveScreenshot, widget } from "./harness.js";

type Focused = NonNullable<Awaited<ReturnType<typeof focusedInWidget>>>;

/** Presses Tab (or Shift+Tab) until the focused widget element matches, as a keyboard user would. */
async function tabUntil(page: Page, matches: (focused: Focused) => boolean, { back = false, max = 60 } = {}): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const focused = await focusedInWidget(page);
    if (focused && matches(focused)) return focused;
  }
  throw new Error(`no matching element within ${max} presses of ${back ? "Shift+Tab" : "Tab"}`);
}

/** A 3 px outline is the widget's focus indicator; "none" would mean an invisible focus. */
const VISIBLE_FOCUS = "solid 3px";

describe.skipIf(!chromiumPath)("<privacy-chat> with the keyboard only", () => {
  const suite = useServerAndBrowser();

  it("opens, asks, follows a citation, hands a deletion request to the form, survives an outage, and closes with Escape", async () => {
    const { context, page, errors, outside } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(`${suite.server.url}/?site=altoros`);
    const chat = widget(page);

    const launcher = await tabUntil(page, (f) => f.className.includes("launcher"));
    expect(launcher.outline).toBe(VISIBLE_FOCUS);
    await page.keyboard.press("Enter");
    expect((await focusedInWidget(page))?.tag).toBe("textarea");

    await page.keyboard.type("How long do you keep my chat data?");
    await page.keyboard.press("Enter");
    await chat.lastAnswer.waitFor({ timeout: 30_000 });

    // Sources come before the question field in reading order, so Shift+Tab reaches them.
    const citation = await tabUntil(page, (f) => f.className.includes("citation-title"), { back: true });
    expect(citation.outline).toBe(VISIBLE_FOCUS);
    expect(citation.label).toMatch(/^\d\. The Altoros Privacy Policy \(Open in the policy \(new tab\)\)$/);
    const href = citation.href;
    expect(href).toMatch(/^https:\/\/www\.altoros\.com\//);
    const [popup] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("Enter")]);
    // The policy opens in a new tab (the guard stops it at the door: the test stays offline).
    await expect.poll(() => outside).toContain(href?.split("#")[0]);
    await popup.close();
    await page.bringToFront();

    await tabUntil(page, (f) => f.tag === "textarea");
    await page.keyboard.type("Please delete all my personal data.");
    await page.keyboard.press("Enter");
    await chat.intake.waitFor({ timeout: 30_000 });
    expect(await chat.lastAnswer.getAttribute("data-kind")).toBe("rights_request");
    expect(await chat.intake.locator("select").inputValue()).toBe("erasure");
    await expect.poll(async () => (await focusedInWidget(page))?.tag).toBe("h3");

    const typed = {
      "intake-email": "visitor@example.com",
      "intake-name": "Kim Visitor",
      "intake-country": "Norway",
      "intake-details": "Everything from the chat, please.",
    };
    const activeId = () =>
      page.evaluate(() => {
        let active = document.querySelector("privacy-chat")?.shadowRoot?.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return active?.id;
      });
    await page.keyboard.press("Tab");
    expect(await activeId()).toBe("intake-right");
    for (const [id, value] of Object.entries(typed)) {
      await page.keyboard.press("Tab");
      expect(await activeId()).toBe(id);
      await page.keyboard.type(value);
    }
    const submit = await tabUntil(page, (f) => f.label === "Send request");
    expect(submit.outline).toBe(VISIBLE_FOCUS);
    await saveScreenshot(page, "widget-intake-form");

    // The network drops: the visitor is told in words and keeps everything typed.
    await page.route("**/api/requests", (route) => route.abort("internetdisconnected"));
    await page.keyboard.press("Enter");
    const alert = chat.intake.getByRole("alert");
    await expect.poll(() => alert.innerText()).toContain("We could not reach the server");
    for (const [id, value] of Object.entries(typed)) expect(await chat.intake.locator(`#${id}`).inputValue()).toBe(value);
    await page.unroute("**/api/requests");

    // Same key on the retry, so the server can tell it apart from a second request.
    const keys: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/api/requests")) keys.push(request.headers()["idempotency-key"] ?? "");
    });
    await page.keyboard.press("Enter");
    await chat.host.locator("#intake-code").waitFor({ timeout: 15_000 });
    expect((await focusedInWidget(page))?.tag).toBe("input");
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/);

    await page.keyboard.type("000000");
    await page.keyboard.press("Enter");
    await expect.poll(() => alert.innerText()).toMatch(/code/i);
    expect(await chat.host.locator("#intake-code").inputValue()).toBe("000000");
    await saveScreenshot(page, "widget-code-step");

    await page.keyboard.press("Escape");
    expect(await chat.panel.isHidden()).toBe(true);
    expect((await focusedInWidget(page))?.className).toContain("launcher");
    expect(errors.filter((e) => !e.includes("/verify"))).toEqual([]);
    await context.close();
  });
});

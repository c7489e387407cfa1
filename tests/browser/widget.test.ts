import { describe, expect, it } from "vitest";
import { ask, chromiumPath, useServerAndBrowser, openGuardedPage, saveScreenshot, widget } from "./harness.js";

/** Words each site's policy uses about how long chat data is kept (read from corpus/<site>/privacy-policy.md). */
const CHAT_DATA_GOLD: Record<string, string> = {
  altexsoft: "deleted on an annual basis",
  altoros: "chatbot to 6 years",
};
const CHAT_QUESTION = "How long do you keep my chat data?";

describe.skipIf(!chromiumPath)("<privacy-chat> in Chromium against the real server", () => {
  const suite = useServerAndBrowser();

  it("answers the chat-data question on every site with cited passages", async () => {
    const health = (await (await fetch(`${suite.server.url}/api/health`)).json()) as { corpus: { sites: string[] } };
    expect(health.corpus.sites.sort()).toEqual(Object.keys(CHAT_DATA_GOLD).sort());
    for (const site of health.corpus.sites) {
      const { context, page, outside, errors } = await openGuardedPage(suite.browser, suite.server.url);
      await page.goto(`${suite.server.url}/?site=${site}`);
      await page.evaluate(() => {
        document.addEventListener("privacy-chat-answer", (event) => {
          (window as unknown as { answers: unknown[] }).answers = [
            ...((window as unknown as { answers?: unknown[] }).answers ?? []),
            (event as CustomEvent).detail,
          ];
        });
      });
      const chat = widget(page);
      expect(await chat.host.getAttribute("site")).toBe(site);
      await chat.launcher.click();
      await expect.poll(() => chat.question.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      // The suggested questions come first; the chat-data question is one of them.
      await chat.host.getByRole("button", { name: CHAT_QUESTION }).click();
      await chat.lastAnswer.waitFor({ timeout: 30_000 });

      expect(await chat.lastAnswer.getAttribute("data-kind")).toBe("answer");
      const cards = chat.citations;
      expect(await cards.count()).toBeGreaterThan(0);
      const passages = (await cards.locator("blockquote").allInnerTexts()).join(" ").toLowerCase();
      expect(passages).toContain(CHAT_DATA_GOLD[site]);
      const firstLink = cards.first().locator("a");
      expect(await firstLink.getAttribute("href")).toMatch(/^https:\/\//);
      expect(await firstLink.getAttribute("rel")).toContain("noopener");
      expect((await cards.first().innerText()).startsWith("1")).toBe(true);
      await expect.poll(() => chat.status.innerText()).toMatch(/^Answer: /);
      const events = await page.evaluate(
        () => (window as unknown as { answers: Array<{ question: string; citations: unknown[] }> }).answers,
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.question).toBe(CHAT_QUESTION);

      await saveScreenshot(page, `widget-answer-${site}-desktop`);
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("sets no cookie, keeps the conversation in sessionStorage only, and sends nothing off the server", async () => {
    const { context, page, outside, errors } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(suite.server.url);
    const chat = widget(page);
    await chat.launcher.click();
    await ask(page, CHAT_QUESTION);
    await chat.lastAnswer.getByRole("button", { name: "Yes, this helped" }).click();
    await expect.poll(() => chat.lastAnswer.innerText()).toContain("Thanks for the feedback.");
    expect(await chat.lastAnswer.getByRole("button", { name: "Yes, this helped" }).getAttribute("aria-pressed")).toBe("true");
    await chat.lastAnswer.locator(".feedback").scrollIntoViewIfNeeded();
    await saveScreenshot(page, "widget-feedback");

    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    const stored = await page.evaluate(() => Object.keys(sessionStorage));
    expect(stored).toEqual([`privacy-chat:${await chat.host.getAttribute("site")}`]);
    expect(await page.evaluate(() => indexedDB.databases().then((dbs) => dbs.length))).toBe(0);

    // A reload in the same tab brings the conversation back.
    await page.reload();
    await chat.launcher.click();
    expect(await chat.answers.count()).toBe(1);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps nothing at all with no-storage", async () => {
    const { context, page } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(suite.server.url);
    await page.evaluate(() => document.querySelector("privacy-chat")?.setAttribute("no-storage", ""));
    const chat = widget(page);
    await chat.launcher.click();
    await ask(page, CHAT_QUESTION);
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await context.close();
  });

  it("explains a network failure in words and sends the same question again on retry", async () => {
    const { context, page } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(suite.server.url);
    const chat = widget(page);
    await chat.launcher.click();
    await page.route("**/api/ask", (route) => route.abort("internetdisconnected"));
    await chat.question.fill(CHAT_QUESTION);
    await chat.question.press("Enter");
    const failure = chat.host.locator("li.error-message");
    await failure.waitFor();
    expect(await failure.innerText()).toContain("We could not reach the server");
    await page.unroute("**/api/ask");
    await failure.getByRole("button", { name: "Try again" }).click();
    await chat.lastAnswer.waitFor({ timeout: 30_000 });
    expect(await chat.host.locator("li.error-message").count()).toBe(0);
    expect(await chat.host.locator("li.visitor").allInnerTexts()).toEqual([CHAT_QUESTION]);
    await context.close();
  });

  it("fills the screen on a 390 px phone and keeps inputs at 16 px; screenshots in both colour schemes", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { context, page, errors } = await openGuardedPage(suite.browser, suite.server.url, {
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        colorScheme,
      });
      await page.goto(`${suite.server.url}/?site=altoros`);
      const chat = widget(page);
      await saveScreenshot(page, `widget-launcher-narrow-${colorScheme}`);
      await chat.launcher.click();
      await ask(page, CHAT_QUESTION);
      // The panel slides in; measure where it comes to rest.
      await chat.panel.evaluate((el) =>
        Promise.all(
          el
            .getAnimations({ subtree: true })
            .filter((animation) => animation.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY)
            .map((animation) => animation.finished),
        ),
      );
      const box = await chat.panel.boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
      expect(await chat.question.evaluate((el) => getComputedStyle(el).fontSize)).toBe("16px");
      await saveScreenshot(page, `widget-answer-narrow-${colorScheme}`);
      expect(errors).toEqual([]);
      await context.close();
    }
    const { context, page } = await openGuardedPage(suite.browser, suite.server.url, { colorScheme: "dark" });
    await page.goto(`${suite.server.url}/?site=altexsoft`);
    await widget(page).launcher.click();
    await ask(page, CHAT_QUESTION);
    await saveScreenshot(page, "widget-answer-altexsoft-desktop-dark");
    await context.close();
  });
});

import { describe, expect, it } from "vitest";
import { ask, chromiumPath, openGuardedPage, saveScreenshot, seriousViolations, useServerAndBrowser, widget } from "./harness.js";

const STAFF_TOKEN = "widget-states-test-token-0123456789";
/** The latest code e-mailed to an address, read from the local outbox through the staff API. */
async function codeFor(serverUrl: string, email: string): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const response = await fetch(`${serverUrl}/api/staff/outbox`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
    const { messages } = (await response.json()) as { messages: Array<{ to: string; text: string }> };
    const code = /(?<!\d)\d{6}(?!\d)/.exec(messages.find((m) => m.to === email)?.text ?? "")?.[0];
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no code e-mailed to ${email}`);
}

async function staffRequests(serverUrl: string, query: string) {
  const response = await fetch(`${serverUrl}/api/staff/requests?${query}`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
  return ((await response.json()) as { requests: Array<Record<string, unknown>> }).requests;
}

describe.skipIf(!chromiumPath)("<privacy-chat> states, audited with axe-core", () => {
  const suite = useServerAndBrowser({ env: { STAFF_TOKEN } });

  for (const colorScheme of ["light", "dark"] as const) {
    it(`has no serious or critical axe violation in any state (${colorScheme}): empty, answer, no-answer, form, code, confirmation`, async () => {
      // Reduced motion: axe measures contrast as the panel rests, not halfway through its fade-in.
      const { context, page, errors } = await openGuardedPage(suite.browser, suite.server.url, { colorScheme, reducedMotion: "reduce" });
      await page.goto(`${suite.server.url}/?site=altoros`);
      const chat = widget(page);
      const audit = async (state: string) => {
        await saveScreenshot(page, `widget-state-${state}-${colorScheme}`);
        expect(await seriousViolations(page), `axe in state "${state}"`).toEqual([]);
      };
      await chat.launcher.click();
      await audit("empty");

      // Answer: compact sources, the excerpt opens on demand, centred on the quoted words and marking them.
      await ask(page, "How long do you keep my chat data?");
      const answer = chat.lastAnswer;
      const quote = (await answer.locator(".answer blockquote").innerText()).trim();
      expect(await answer.locator("li.citation blockquote:visible").count()).toBe(0);
      const box = await answer.boundingBox();
      expect(box?.height ?? 0, "an answer with three sources fits in the panel").toBeLessThan(480);
      const toggle = answer.locator("li.citation").first().locator("button.excerpt-toggle");
      await toggle.click();
      expect(await toggle.getAttribute("aria-expanded")).toBe("true");
      const mark = (await answer.locator("li.citation").first().locator("mark").innerText()).replace(/\s+/g, " ");
      expect(quote.replace(/\s+/g, " ")).toContain(mark.slice(0, 40));
      await audit("answer");

      // No answer: the contact once, and a way to hand the question to a person.
      const question = "What is the favourite colour of your chief executive?";
      await ask(page, question);
      const noAnswer = chat.lastAnswer;
      expect(await noAnswer.getAttribute("data-kind")).toBe("no_answer");
      expect(await noAnswer.locator('a[href^="mailto:"]').count()).toBe(1);
      await audit("no-answer");

      // The enquiry form: the question filled in, the chat input hidden, the primary action in view.
      await noAnswer.getByRole("button", { name: "Ask the privacy team" }).click();
      await chat.intake.waitFor();
      expect(await chat.intake.getByLabel("Question for the privacy team").inputValue()).toBe(question);
      expect(await chat.question.isHidden()).toBe(true);
      const send = chat.intake.getByRole("button", { name: "Send question" });
      const [sendBox, panelBox] = [await send.boundingBox(), await chat.panel.boundingBox()];
      expect(sendBox && panelBox && sendBox.y + sendBox.height <= panelBox.y + panelBox.height).toBe(true);
      await audit("form");

      const email = `enquiry-${colorScheme}-${Date.now()}@example.com`;
      await chat.intake.getByLabel("E-mail (required)").fill(email);
      await send.click();
      const codeField = chat.intake.getByLabel("6-digit code");
      await codeField.waitFor({ timeout: 15_000 });
      // One row of equal buttons on a desktop.
      const buttons = await chat.intake.locator(".code-actions button").evaluateAll((all) =>
        all.map((b) => {
          const r = b.getBoundingClientRect();
          return { y: Math.round(r.y), width: Math.round(r.width) };
        }),
      );
      expect(buttons).toHaveLength(3);
      expect(new Set(buttons.map((b) => b.y)).size).toBe(1);
      expect(new Set(buttons.map((b) => b.width)).size).toBe(1);
      await audit("code");

      await codeField.fill(await codeFor(suite.server.url, email));
      await codeField.press("Enter");
      await chat.intake.getByRole("heading", { name: "Request received" }).waitFor({ timeout: 15_000 });
      await audit("confirmation");

      // The enquiry is in the staff queue like any request, due by the site's default days.
      const [listed] = await staffRequests(suite.server.url, "right=enquiry");
      expect(listed).toMatchObject({ right: "enquiry", site: "altoros", jurisdiction: "DEFAULT", source: "chat" });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("takes the country from a list with typeahead and asks US residents for their state", async () => {
    const { context, page } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(`${suite.server.url}/?site=altexsoft`);
    const chat = widget(page);
    await chat.launcher.click();
    await ask(page, "I want a copy of all the personal data you hold about me.");
    await chat.intake.waitFor({ timeout: 30_000 });
    expect(await chat.question.isHidden()).toBe(true);
    const country = chat.intake.getByLabel("Country of residence");
    expect(await country.getAttribute("list")).toBe("intake-countries");
    expect(await chat.intake.locator("datalist option").count()).toBe(249);
    await country.fill("Atlantis");
    await chat.intake.getByLabel("E-mail (required)").fill(`state-${Date.now()}@example.com`);
    await chat.intake.getByRole("button", { name: "Send request" }).click();
    expect(await chat.intake.locator("#intake-country-error").innerText()).toBe("Choose a country from the list.");
    expect(await chat.intake.getByLabel("State").count()).toBe(0);
    await country.fill("United States");
    await chat.intake.getByLabel("State").selectOption("CA");
    await saveScreenshot(page, "widget-intake-us-state");
    await chat.intake.getByRole("button", { name: "Send request" }).click();
    await chat.intake.getByLabel("6-digit code").waitFor({ timeout: 15_000 });
    const [request] = await staffRequests(suite.server.url, "site=altexsoft&right=access");
    expect(request).toMatchObject({ country: "US-CA", jurisdiction: "CCPA" });
    await context.close();
  });

  it("stacks the code step's buttons full width on a phone", async () => {
    const { context, page } = await openGuardedPage(suite.browser, suite.server.url, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(`${suite.server.url}/?site=altoros`);
    const chat = widget(page);
    await chat.launcher.click();
    await ask(page, "Please delete all my personal data.");
    await chat.intake.waitFor({ timeout: 30_000 });
    await chat.intake.getByLabel("E-mail (required)").fill(`phone-${Date.now()}@example.com`);
    await chat.intake.getByRole("button", { name: "Send request" }).click();
    await chat.intake.getByLabel("6-digit code").waitFor({ timeout: 15_000 });
    const widths = await chat.intake.locator(".code-actions button").evaluateAll((all) => all.map((b) => b.getBoundingClientRect().width));
    const formWidth = await chat.intake.locator(".code-actions").evaluate((el) => el.getBoundingClientRect().width);
    for (const width of widths) expect(Math.abs(width - formWidth)).toBeLessThan(1);
    await saveScreenshot(page, "widget-code-step-phone");
    await context.close();
  });

  it("speaks German and French by lang attribute or page language; answers stay in the policy's language", async () => {
    const { context, page } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(`${suite.server.url}/?site=altoros`);
    const chat = widget(page);
    await page.evaluate(() => document.querySelector("privacy-chat")?.setAttribute("lang", "de"));
    await expect.poll(() => chat.launcher.innerText()).toBe("Fragen zum Datenschutz");
    await chat.launcher.click();
    expect(await chat.launcher.getAttribute("aria-label")).toBe("Datenschutz-Chat schließen");
    await chat.host.getByLabel("Ihre Frage").fill("How long do you keep my chat data?");
    await chat.host.getByLabel("Ihre Frage").press("Enter");
    await chat.lastAnswer.waitFor({ timeout: 30_000 });
    expect(await chat.lastAnswer.locator(".answer").innerText()).toMatch(/chat/i);
    expect(await chat.lastAnswer.innerText()).toContain("Quellen");
    await saveScreenshot(page, "widget-answer-de");

    await page.evaluate(() => {
      document.querySelector("privacy-chat")?.removeAttribute("lang");
      document.documentElement.lang = "fr-FR";
      document.querySelector("privacy-chat")?.requestUpdate();
    });
    await expect.poll(() => chat.launcher.getAttribute("aria-label")).toBe("Fermer le chat confidentialité");
    expect(await chat.host.getByRole("button", { name: "Envoyer" }).count()).toBe(1);
    expect(await chat.lastAnswer.innerText()).toContain("Sources");
    await saveScreenshot(page, "widget-answer-fr");
    await context.close();
  });

  it("follows --privacy-chat-accent everywhere, focus ring included, at 3:1 or more; the launcher closes the panel; a logo slot", async () => {
    const { context, page } = await openGuardedPage(suite.browser, suite.server.url);
    await page.goto(`${suite.server.url}/?site=altoros`);
    const accent = "rgb(15, 118, 110)";
    await page.evaluate((color) => {
      const host = document.querySelector("privacy-chat")!;
      host.style.setProperty("--privacy-chat-accent", color);
      const logo = document.createElement("span");
      logo.slot = "logo";
      logo.textContent = "ACME";
      host.append(logo);
    }, accent);
    const chat = widget(page);
    await chat.launcher.click();
    expect(await chat.launcher.getAttribute("aria-label")).toBe("Close privacy chat");
    expect(await chat.launcher.isVisible()).toBe(true);
    expect(await chat.host.locator('slot[name="logo"]').evaluate((slot) => (slot as HTMLSlotElement).assignedElements().length)).toBe(1);
    await ask(page, "How long do you keep my chat data?");
    await chat.lastAnswer.locator(".citation-title").first().focus();
    const colours = await chat.lastAnswer.evaluate((answer) => {
      const root = answer.getRootNode() as ShadowRoot;
      const get = (selector: string, property: string) => getComputedStyle(root.querySelector(selector)!).getPropertyValue(property);
      return {
        header: get("header", "background-color"),
        visitor: get("li.visitor", "background-color"),
        link: get(".citation-title", "color"),
        focus: get(".citation-title", "outline-color"),
        toggle: get(".excerpt-toggle", "color"),
        number: get(".citation-number", "background-color"),
        launcher: get("button.launcher", "background-color"),
        background: get(".panel", "background-color"),
      };
    });
    for (const [name, value] of Object.entries(colours)) if (name !== "background") expect(value, name).toBe(accent);
    const contrast = await page.evaluate(
      ([a, b]) => {
        const lum = (c: string) => {
          const [r = 0, g = 0, bl = 0] = (c.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
        };
        const [hi, lo] = [lum(a!), lum(b!)].sort((x, y) => y - x) as [number, number];
        return (hi + 0.05) / (lo + 0.05);
      },
      [colours.focus, colours.background],
    );
    expect(contrast).toBeGreaterThanOrEqual(3);
    await saveScreenshot(page, "widget-accent-teal");
    await chat.launcher.click();
    expect(await chat.panel.isHidden()).toBe(true);
    await context.close();
  });
});

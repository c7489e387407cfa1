import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { ensureBuilt } from "../../scripts/build-widget.js";
import { memoryLogger } from "../rights-support/logs.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const REAL_CORPUS = path.join(ROOT, "corpus");
export const HOSTILE_CORPUS = path.join(ROOT, "tests", "fixtures", "hostile-corpus");
export const ARTIFACTS = path.join(ROOT, "test-results");

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Debian's Chromium, if installed; the browser tests skip without it. */
export const chromiumPath = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));

export const NO_BROWSER_MESSAGE =
  "browser tests skipped: no Chromium at /usr/bin/chromium. Install it with `apt-get update && apt-get install -y chromium` (.ci/run does this).";

if (!chromiumPath) console.warn(NO_BROWSER_MESSAGE);

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error(NO_BROWSER_MESSAGE);
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The real server (server/main.ts) on a free port, with its own index and data folders so parallel test
 * files never share state. The widget and console are built first if the build is stale.
 */
export async function startTestServer({
  corpusDir = REAL_CORPUS,
  env = {},
  log = () => {},
}: {
  corpusDir?: string;
  env?: Record<string, string>;
  /** Receives the server's log lines (JSON, as it would print them). */
  log?: (line: string) => void;
} = {}): Promise<TestServer> {
  await ensureBuilt({ log: () => {} });
  const { startServer } = await import("../../server/main.js");
  const dataDir = await mkdtemp(path.join(tmpdir(), "browser-test-"));
  const server = await startServer({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      CORPUS_DIR: corpusDir,
      INDEX_DIR: path.join(dataDir, "index"),
      DATA_DIR: dataDir,
      // The packaged encoder needs no download, so the tests run the same offline and on CI.
      EMBEDDER: "use-lite",
      ...env,
    },
    logger: memoryLogger({ onLine: log }).logger,
  });
  return {
    url: server.url,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The real server and Chromium for one suite: started before its tests, stopped after them. */
export function useServerAndBrowser(options?: Parameters<typeof startTestServer>[0]): { server: TestServer; browser: Browser } {
  const suite = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    [suite.server, suite.browser] = await Promise.all([startTestServer(options), launchBrowser()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

export interface Guarded {
  context: BrowserContext;
  page: Page;
  /** Every URL the page tried to reach outside the test server (each was blocked). */
  outside: string[];
  /** Uncaught page errors and console errors, CSP violations included. */
  errors: string[];
}

/**
 * A fresh browser context (no cookies, no storage) whose requests may only go to the test server:
 * anything else is recorded and aborted, so a test can assert that nothing left the machine.
 */
export async function openGuardedPage(
  browser: Browser,
  serverUrl: string,
  options: BrowserContextOptions = {},
  /** Other local servers the page may reach, e.g. a host page on another origin. */
  extraOrigins: string[] = [],
): Promise<Guarded> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const allowedOrigins = new Set([serverUrl, ...extraOrigins].map((url) => new URL(url).origin));
  const outside: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (allowedOrigins.has(new URL(url).origin)) return route.continue();
    outside.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400)
      errors.push(`HTTP ${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on("dialog", (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, outside, errors };
}

/** Saves a screenshot under test-results/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** The widget's shadow-DOM locators, by role and text as a visitor perceives them. */
export function widget(page: Page) {
  const host = page.locator("privacy-chat");
  return {
    host,
    launcher: host.locator("button.launcher"),
    panel: host.locator("section.panel"),
    question: host.getByLabel("Your question"),
    send: host.getByRole("button", { name: "Send" }),
    answers: host.locator("li.assistant[data-kind]"),
    lastAnswer: host.locator("li.assistant[data-kind]").last(),
    citations: host.locator("li.assistant[data-kind]").last().locator("li.citation"),
    status: host.locator('[role="status"]'),
    intake: host.locator(".intake"),
  };
}

/** Types a question into the open panel and waits for the reply to appear. */
export async function ask(page: Page, question: string): Promise<void> {
  const chat = widget(page);
  const before = await chat.answers.count();
  await chat.question.fill(question);
  await chat.question.press("Enter");
  await chat.answers.nth(before).waitFor({ timeout: 30_000 });
}

/** The element focused inside the widget's shadow root (or a nested one), described for assertions. */
export async function focusedInWidget(
  page: Page,
): Promise<{ tag: string; label: string; className: string; outline: string; href: string | null } | null> {
  return page.evaluate(() => {
    const host = document.querySelector("privacy-chat");
    // The request form is an element of its own, with its own shadow root: follow focus into it.
    let active = host?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement as HTMLElement;
    if (document.activeElement !== host || !active) return null;
    const style = getComputedStyle(active);
    return {
      tag: active.tagName.toLowerCase(),
      label: active.getAttribute("aria-label") ?? active.textContent?.replace(/\s+/g, " ").trim().slice(0, 120) ?? "",
      className: active.className,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      href: active.getAttribute("href"),
    };
  });
}

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface Violation {
  id: string;
  impact: string;
  nodes: string[];
}

/** axe-core, injected into the page, over the whole document (it reads open shadow roots); serious and critical only. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not apply to.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(await AXE_SOURCE);
  return page.evaluate(async () => {
    type Result = { id: string; impact?: string; nodes: Array<{ target: unknown }> };
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: Result[] }> } }).axe;
    const { violations } = await axe.run(document);
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact ?? "", nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

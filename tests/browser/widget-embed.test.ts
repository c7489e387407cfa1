import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, chromiumPath, launchBrowser, openGuardedPage, ROOT, startTestServer, widget, type TestServer } from "./harness.js";

/** The README's embed snippet and the ALLOWED_ORIGINS line beside it, as a new user would copy them. */
async function readmeEmbed(): Promise<{ snippet: string; allowLine: string }> {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The chat widget"));
  const snippet = /```html\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const allowLine = /```sh\n([\s\S]*?)```/.exec(section)?.[1]?.trim() ?? "";
  return { snippet, allowLine };
}

interface HostPage {
  url: string;
  close(): Promise<void>;
  setServerUrl(url: string): void;
}

/** A customer's page on its own origin, carrying the README's snippet with the server's address put in. */
async function startHostPage(snippet: string): Promise<HostPage> {
  let body = "";
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"></head>
<body><h1>A shop on another origin</h1>
${body}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost" rather than 127.0.0.1 makes it a different origin from the API server.
    url: `http://localhost:${port}`,
    setServerUrl: (url) => {
      body = snippet.replaceAll("https://privacy.example.com", url);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!chromiumPath)("<privacy-chat> embedded on another origin, as the README says", () => {
  let allowedHost: HostPage;
  let otherHost: HostPage;
  let server: TestServer;
  let browser: Browser;
  const serverLog: string[] = [];

  beforeAll(async () => {
    const { snippet, allowLine } = await readmeEmbed();
    expect(snippet).toContain('<script type="module" src="https://privacy.example.com/widget.js"></script>');
    expect(allowLine).toBe("ALLOWED_ORIGINS=https://www.example.com npm start");
    [allowedHost, otherHost] = await Promise.all([startHostPage(snippet), startHostPage(snippet)]);
    const allowedOrigins = /^ALLOWED_ORIGINS=(\S+)/.exec(allowLine)![1]!.replace("https://www.example.com", allowedHost.url);
    [server, browser] = await Promise.all([
      startTestServer({ env: { ALLOWED_ORIGINS: allowedOrigins }, log: (line) => serverLog.push(line) }),
      launchBrowser(),
    ]);
    allowedHost.setServerUrl(server.url);
    otherHost.setServerUrl(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await allowedHost?.close();
    await otherHost?.close();
  });

  it("loads widget.js cross-origin and asks the API it came from, when the host is in ALLOWED_ORIGINS", async () => {
    const { context, page, outside, errors } = await openGuardedPage(browser, server.url, {}, [allowedHost.url]);
    const apiCalls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/")) apiCalls.push(request.url());
    });
    await page.goto(allowedHost.url);
    const chat = widget(page);
    await chat.launcher.click();
    await ask(page, "How long do you keep my chat data?");
    expect(await chat.lastAnswer.getAttribute("data-kind")).toBe("answer");
    expect(apiCalls.every((url) => url.startsWith(`${server.url}/api/`))).toBe(true);
    expect(await context.cookies()).toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    expect(serverLog.filter((line) => line.includes("CORS"))).toEqual([]);
    await context.close();
  });

  it("on an origin that is not allowed, tells the visitor plainly, hints the site owner in the console, and logs it once", async () => {
    const hints: string[] = [];
    for (let visit = 0; visit < 2; visit++) {
      const { context, page } = await openGuardedPage(browser, server.url, {}, [otherHost.url]);
      page.on("console", (message) => {
        if (message.type() === "warning") hints.push(message.text());
      });
      await page.goto(otherHost.url);
      const chat = widget(page);
      await chat.launcher.click();
      await chat.question.fill("How long do you keep my chat data?");
      await chat.question.press("Enter");
      const failure = chat.host.locator("li.error-message");
      await failure.waitFor({ timeout: 15_000 });
      expect(await failure.innerText()).toContain("The privacy assistant is not available on this page right now.");
      expect(await failure.innerText()).not.toContain("We could not reach the server");
      await context.close();
    }
    expect(hints.filter((hint) => hint.includes(`add ${otherHost.url} to ALLOWED_ORIGINS`))).toHaveLength(2);
    const cors = serverLog.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((entry) => entry.msg.includes("CORS"));
    expect(cors.map(({ level, msg }) => `${level}: ${msg}`)).toEqual([
      `warn: CORS: refused API calls from origin ${otherHost.url}: if the widget is on pages there, add ALLOWED_ORIGINS=${otherHost.url} (comma-separated with any others). Logged once an hour per origin.`,
    ]);
  });
});

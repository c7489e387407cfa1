import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, chromiumPath, launchBrowser, openGuardedPage, startTestServer, widget, type TestServer } from "./harness.js";

interface HostPage {
  url: string;
  close(): Promise<void>;
  setWidgetOrigin(origin: string): void;
}

/** A customer's page on its own origin, embedding the widget with the one-tag snippet. */
async function startHostPage(): Promise<HostPage> {
  let widgetOrigin = "";
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"></head>
<body><h1>A shop on another origin</h1>
<script type="module" src="${widgetOrigin}/widget.js"></script>
<privacy-chat site="altoros"></privacy-chat></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost" rather than 127.0.0.1 makes it a different origin from the API server.
    url: `http://localhost:${port}`,
    setWidgetOrigin: (origin) => {
      widgetOrigin = origin;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!chromiumPath)("<privacy-chat> embedded on another origin", () => {
  let allowedHost: HostPage;
  let otherHost: HostPage;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [allowedHost, otherHost] = await Promise.all([startHostPage(), startHostPage()]);
    [server, browser] = await Promise.all([startTestServer({ env: { ALLOWED_ORIGINS: allowedHost.url } }), launchBrowser()]);
    allowedHost.setWidgetOrigin(server.url);
    otherHost.setWidgetOrigin(server.url);
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
    await context.close();
  });

  it("cannot read the API from an origin that is not allowed, and says so in words", async () => {
    const { context, page } = await openGuardedPage(browser, server.url, {}, [otherHost.url]);
    await page.goto(otherHost.url);
    const chat = widget(page);
    await chat.launcher.click();
    await chat.question.fill("How long do you keep my chat data?");
    await chat.question.press("Enter");
    const failure = chat.host.locator("li.error-message");
    await failure.waitFor({ timeout: 15_000 });
    expect(await failure.innerText()).toContain("We could not reach the server");
    await context.close();
  });
});

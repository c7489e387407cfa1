import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { siteDirectory } from "../../tests/rights-support/knowledge.js";
import type { SiteInfo } from "../knowledge/types.js";
import { Hono } from "hono";
import { IMMUTABLE, SHORT, apiCors, contentSecurityPolicy } from "./static.js";

const SITES: SiteInfo[] = [
  {
    site: "altexsoft",
    title: "AltexSoft Privacy Policy",
    organization: "AltexSoft Inc.",
    url: "https://www.altexsoft.com/privacy-policy/",
    contact: "legal@altexsoft.com",
    documents: ["privacy-policy.md"],
  },
  {
    site: "altoros",
    title: "The Altoros Privacy Policy",
    organization: "Altoros",
    url: "javascript:alert(1)",
    contact: "dpo@altoros.com",
    documents: ["privacy-policy.md"],
  },
];

/** Only the site list matters to these routes; the question-time methods are never reached. */
const knowledge = siteDirectory(SITES);

let distDir = "";
beforeAll(async () => {
  distDir = await mkdtemp(path.join(tmpdir(), "static-test-"));
  await mkdir(path.join(distDir, "widget", "assets"), { recursive: true });
  await mkdir(path.join(distDir, "staff", "assets"), { recursive: true });
  await writeFile(path.join(distDir, "widget", "widget.js"), "export const widget = 1;");
  await writeFile(path.join(distDir, "widget", "assets", "markdown-Ab12Cd34.js"), "export const chunk = 1;");
  await writeFile(path.join(distDir, "staff", "index.html"), "<!doctype html><title>Staff</title>");
  await writeFile(path.join(distDir, "staff", "assets", "index-Zz98Yy76.css"), "body{}");
});
afterAll(() => rm(distDir, { recursive: true, force: true }));

const app = (allowedOrigins?: string[]) => createApp({ knowledge, distDir, allowedOrigins, log: () => {} });

describe("widget files", () => {
  it("serves widget.js with a short cache, an ETag and CORS for module scripts on other origins", async () => {
    const response = await app().request("/widget.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe(SHORT);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.text()).toBe("export const widget = 1;");
    const again = await app().request("/widget.js", { headers: { "If-None-Match": response.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
  });

  it("caches hashed chunks for a year and refuses names that are not hashed files", async () => {
    const chunk = await app().request("/assets/markdown-Ab12Cd34.js");
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get("cache-control")).toBe(IMMUTABLE);
    expect((await app().request("/assets/..%2Fwidget.js")).status).toBe(404);
    expect((await app().request("/assets/missing-Qq11Ww22.js")).status).toBe(404);
  });

  it("says how to build when nothing is built", async () => {
    const bare = createApp({ knowledge, distDir: path.join(distDir, "nowhere"), log: () => {} });
    const response = await bare.request("/widget.js");
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/npm start/);
  });
});

describe("staff console files", () => {
  it("redirects /staff to /staff/ and serves index.html with a CSP and no cache", async () => {
    expect((await app().request("/staff")).headers.get("location")).toBe("/staff/");
    const page = await app().request("/staff/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toBe(contentSecurityPolicy());
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect((await app().request("/staff/assets/index-Zz98Yy76.css")).headers.get("cache-control")).toBe(IMMUTABLE);
  });
});

describe("demo page", () => {
  it("puts the widget for the first site on / and links every other site", async () => {
    const response = await app().request("/");
    const html = await response.text();
    expect(html).toContain('<privacy-chat site="altexsoft"');
    expect(html).toContain('<script type="module" src="/widget.js"></script>');
    expect(html).toContain('href="/?site=altoros"');
    expect(response.headers.get("cache-control")).toBe("no-cache");
  });

  it("shows the site named by ?site= and never links a policy URL that is not http(s)", async () => {
    const html = await (await app().request("/?site=altoros")).text();
    expect(html).toContain('<privacy-chat site="altoros"');
    expect(html).toContain('href="/?site=altexsoft"');
    expect(html).not.toContain("javascript:");
  });

  it("allows its inline style by a fresh nonce and no script but its own origin's", async () => {
    const first = await app().request("/");
    const second = await app().request("/");
    const csp = first.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await first.text()).toContain(`<style nonce="${nonce}">`);
    expect(second.headers.get("content-security-policy")).not.toBe(csp);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe");
    expect(first.headers.get("referrer-policy")).toBe("no-referrer");
  });
});

describe("API CORS", () => {
  it("adds no CORS headers by default, so only same-origin pages can read the API", async () => {
    const response = await app().request("/api/health", { headers: { Origin: "https://shop.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows the listed origins, with the Idempotency-Key header, and no others", async () => {
    const allowed = app(["https://shop.example"]);
    const preflight = await allowed.request("/api/requests", {
      method: "OPTIONS",
      headers: {
        Origin: "https://shop.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,idempotency-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).not.toContain("authorization");
    const other = await allowed.request("/api/health", { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("logs a refused origin at warn level once an hour per origin, naming the ALLOWED_ORIGINS line to add", async () => {
    const lines: string[] = [];
    let clock = 1_000_000;
    const api = new Hono()
      .use("/api/*", apiCors(["https://shop.example"], { log: (line) => lines.push(line), now: () => clock }))
      .get("/api/health", (c) => c.json({ status: "ok" }));
    const from = (origin: string, url = "http://127.0.0.1:3000/api/health") => api.request(url, { headers: { Origin: origin } });

    await from("https://shop.example");
    await from("http://127.0.0.1:3000");
    await from("https://127.0.0.1:3000");
    expect(lines).toEqual([]);

    await from("https://blog.example");
    await from("https://blog.example");
    clock += 59 * 60_000;
    await from("https://blog.example");
    expect(lines).toEqual([
      "warn: CORS: refused API calls from origin https://blog.example: if the widget is on pages there, add ALLOWED_ORIGINS=https://blog.example (comma-separated with any others). Logged once an hour per origin.",
    ]);
    await from("https://other.example");
    clock += 60_000;
    await from("https://blog.example");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("origin https://other.example");
    expect(lines[2]).toContain("origin https://blog.example");

    await from("null");
    await from("not an origin");
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain("origin null: a page opened from a file");
  });

  it("logs refusals with no ALLOWED_ORIGINS too, through the app's log", async () => {
    const lines: string[] = [];
    const plain = createApp({ knowledge, distDir, log: (line) => lines.push(line) });
    const response = await plain.request("http://127.0.0.1:3000/api/ask", {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:8080", "Access-Control-Request-Method": "POST" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(lines).toEqual([expect.stringMatching(/^warn: CORS: refused .* ALLOWED_ORIGINS=http:\/\/localhost:8080 /)]);
  });

  it("keeps the JSON not-found reply for unknown API paths", async () => {
    const response = await app().request("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});

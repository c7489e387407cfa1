import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, joinUrl, parseResponse } from "../api/client.js";
import { ApiError, describeError } from "./api.js";
import { DEFAULT_STRINGS } from "./strings.js";

/**
 * A real HTTP server answering on the API's paths the way the API can, so the typed client's fetch, headers and
 * JSON are exercised for real: an echo, a rate limit, a wrong code and a crash.
 */
let base = "";
let close: () => void = () => {};
const seen: Array<{ cookie: string | undefined; key: string | undefined; type: string | undefined }> = [];

beforeAll(async () => {
  const app = new Hono()
    .post("/api/requests", async (c) => {
      seen.push({ cookie: c.req.header("cookie"), key: c.req.header("idempotency-key"), type: c.req.header("content-type") });
      return c.json({ echo: await c.req.json() }, 201);
    })
    .post("/api/feedback", (c) =>
      c.json({ error: { code: "RATE_LIMITED", message: "Too many requests; try again in 7 seconds." } }, 429, { "Retry-After": "7" }),
    )
    .post("/api/requests/:reference/verify", (c) =>
      c.json({ error: { code: "CODE_INVALID", message: "That code is wrong; 2 attempts left." } }, 400),
    )
    .post("/api/ask", (c) => c.text("oops", 500));
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  close = () => server.close();
});
afterAll(() => close());

const BODY = { site: "acme", right: "access", email: "a@example.com", source: "form" } as const;
const call = {
  ok: (options: Parameters<typeof apiClient>[0] = { base }) =>
    parseResponse(apiClient(options).api.requests.$post({ header: { "idempotency-key": "k-1" }, json: BODY })),
  limited: () => parseResponse(apiClient({ base }).api.feedback.$post({ json: { site: "acme", verdict: "up", kind: "answer" } })),
  code: () =>
    parseResponse(apiClient({ base }).api.requests[":reference"].verify.$post({ param: { reference: "PR-1" }, json: { code: "1" } })),
  broken: () => parseResponse(apiClient({ base }).api.ask.$post({ json: { question: "q", site: "acme" } })),
};
const DEAD = "http://127.0.0.1:9";

describe("apiClient (hc<AppType>)", () => {
  it("posts JSON with the given headers and returns the parsed reply", async () => {
    const reply: unknown = await call.ok();
    expect(reply).toEqual({ echo: BODY });
    expect(seen.at(-1)).toEqual({ cookie: undefined, key: "k-1", type: "application/json" });
  });

  it("carries the error code, the server's message and Retry-After", async () => {
    const error = await call.limited().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: "RATE_LIMITED", retryAfterSeconds: 7 });
  });

  it("reports an unreachable server as a network error", async () => {
    const error = await call.ok({ base: DEAD }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: "NETWORK" });
  });

  it("tells a refused origin from a dead network when the page is on another origin", async () => {
    // What a browser does without Access-Control-Allow-Origin: the readable call fails, an opaque one goes through.
    const asBrowser: typeof fetch = (input, init) =>
      init?.mode === "no-cors" ? fetch(input, init) : Promise.reject(new TypeError("Failed to fetch"));
    const hints: string[] = [];
    const warn = console.warn;
    console.warn = (line: string) => hints.push(line);
    try {
      const refused = await call.ok({ base, fetch: asBrowser, pageOrigin: "https://shop.example" }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 0, code: "ORIGIN_REFUSED" });
      expect(describeError(refused, DEFAULT_STRINGS)).toBe("The privacy assistant is not available on this page right now.");
      expect(hints).toEqual([expect.stringContaining("add https://shop.example to ALLOWED_ORIGINS")]);

      const sameOrigin = await call.ok({ base, fetch: asBrowser, pageOrigin: new URL(base).origin }).catch((e: unknown) => e);
      expect(sameOrigin).toMatchObject({ code: "NETWORK" });
      const dead = await call.ok({ base: DEAD, fetch: asBrowser, pageOrigin: "https://shop.example" }).catch((e: unknown) => e);
      expect(dead).toMatchObject({ code: "NETWORK" });
      expect(hints).toHaveLength(1);
    } finally {
      console.warn = warn;
    }
  });
});

describe("describeError", () => {
  it("explains each failure in words", async () => {
    const limited = await call.limited().catch((e: unknown) => e);
    expect(describeError(limited, DEFAULT_STRINGS)).toBe("Too many tries in a short time. Please wait 7 seconds and try again.");
    const wrongCode = await call.code().catch((e: unknown) => e);
    expect(describeError(wrongCode, DEFAULT_STRINGS)).toBe("That code is wrong; 2 attempts left.");
    const broken = await call.broken().catch((e: unknown) => e);
    expect(describeError(broken, DEFAULT_STRINGS)).toBe(DEFAULT_STRINGS.errorServer);
    const offline = await call.ok({ base: DEAD }).catch((e: unknown) => e);
    expect(describeError(offline, DEFAULT_STRINGS)).toBe(DEFAULT_STRINGS.errorNetwork);
  });

  it("joins a base with or without a trailing slash", () => {
    expect(joinUrl("https://h/", "/api/ask")).toBe("https://h/api/ask");
    expect(joinUrl("", "/api/ask")).toBe("/api/ask");
  });
});

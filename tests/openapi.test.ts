import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ZodTypeAny } from "zod";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.js";
import * as routes from "../server/contract/routes.js";
import { readEnv } from "../server/env.js";
import { TransformersEmbedder } from "../server/knowledge/embed/transformers.js";
import { ingest, openKnowledge } from "../server/knowledge/index.js";
import { LiveKnowledge } from "../server/ops/live-knowledge.js";
import { createMetrics } from "../server/ops/metrics.js";
import { createReindexer } from "../server/ops/reindex.js";
import { openRights, type OpenedRights } from "../server/rights/index.js";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./support/fixture-model.js";
import { siteDirectory } from "./rights-support/knowledge.js";

const TINY_CORPUS = fileURLToPath(new URL("./fixtures/tiny-corpus/", import.meta.url));
const TOKEN = "openapi-test-token-0123456789";
const staff = { authorization: `Bearer ${TOKEN}` };
const json = { "content-type": "application/json" };

interface Declared {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema: ZodTypeAny }> }>;
}
/** Every route of the contract, with its path as served (under /api). */
const DECLARED = Object.values(routes as Record<string, unknown>)
  .filter(
    (value): value is Declared & { getRoutingPath(): string } => typeof value === "object" && value !== null && "getRoutingPath" in value,
  )
  .map((route) => ({ ...route, served: `/api${route.getRoutingPath()}`, documented: `/api${route.path}` }));

/** The documentation routes describe the API; they are not part of it. */
const NOT_DOCUMENTED = /^\/api\/(openapi\.json|docs(\/.*)?)$/;

describe("the OpenAPI document", () => {
  let work: string;
  let rights: OpenedRights;
  let app: ReturnType<typeof createApp>;
  const seen: Array<{ method: string; route: string; status: number; body: unknown; type: string }> = [];

  /** Calls the app and records the reply with the declared route it answers for. */
  const call = async (method: string, url: string, init: { headers?: Record<string, string>; body?: unknown } = {}) => {
    const response = await app.request(url, {
      method,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
    });
    const pathname = new URL(url, "http://x").pathname;
    const route = DECLARED.find((r) => r.method === method.toLowerCase() && matches(r.served, pathname));
    const type = response.headers.get("content-type") ?? "";
    const body = type.includes("json") ? await response.json() : await response.text();
    if (route) seen.push({ method: route.method, route: route.documented, status: response.status, body, type });
    return { status: response.status, body };
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "openapi-"));
    const corpusDir = path.join(work, "corpus");
    const indexDir = path.join(work, "index");
    await cp(TINY_CORPUS, corpusDir, { recursive: true });
    const embedder = await TransformersEmbedder.load({
      model: FIXTURE_MODEL,
      modelsDir: FIXTURE_MODELS_DIR,
      allowRemote: false,
      cacheDir: path.join(work, "cache"),
    });
    const initial = await ingest({ corpusDir, indexDir, embedder });
    rights = await openRights(readEnv({ DATA_DIR: path.join(work, "data"), STAFF_TOKEN: TOKEN }), () => {}, {
      pollMs: 60_000,
      resendCooldownMs: 0,
    });
    const live = new LiveKnowledge(await openKnowledge({ indexDir, embedder }));
    const reindexer = createReindexer({
      corpusDir,
      indexDir,
      embedder,
      live,
      log: () => {},
      initial: { at: new Date(), failures: initial.failures },
    });
    app = createApp({
      knowledge: live,
      staffToken: TOKEN,
      rights,
      log: () => {},
      ops: { metrics: createMetrics(), db: rights.db, reindexer },
    });
  }, 120_000);
  afterAll(async () => {
    await rights?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("validates as OpenAPI 3.1", async () => {
    const document = await (await app.request("/api/openapi.json")).json();
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("lists every route the app serves under /api, and serves every route it lists", async () => {
    const document = (await (await app.request("/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/") && !NOT_DOCUMENTED.test(r.path))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([p, operations]) => Object.keys(operations).map((method) => `${method} ${p}`)),
    );
    expect([...served].filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((route) => !served.has(route))).toEqual([]);
    for (const route of [
      "post /api/ask",
      "get /api/search",
      "post /api/requests",
      "post /api/requests/{reference}/verify",
      "get /api/staff/requests",
      "get /api/health",
    ]) {
      expect(documented).toContain(route);
    }
  });

  it("answers every route in a documented status with a body its schema accepts", async () => {
    const { body: created } = await call("POST", "/api/requests", {
      headers: { ...json, "idempotency-key": "openapi-1" },
      body: { site: "acme", right: "access", email: "someone@example.com", country: "FR", source: "form" },
    });
    const reference = (created as { reference: string }).reference;

    await call("GET", "/api/health");
    await call("GET", "/api/health/live");
    await call("GET", "/api/health/ready");
    await call("POST", "/api/staff/reindex", { headers: staff });
    await call("POST", "/api/staff/reindex");
    await call("GET", "/api/staff/changelog", { headers: staff });
    await call("GET", "/api/staff/changelog");
    await call("GET", "/api/staff/coverage?site=acme", { headers: staff });
    await call("GET", "/api/staff/coverage?site=nowhere", { headers: staff });
    await call("GET", "/api/staff/coverage?site=acme");
    await call("GET", "/api/staff/summary", { headers: staff });
    await call("GET", "/api/staff/summary");
    await call("GET", "/api/staff/insights?site=acme", { headers: staff });
    await call("GET", "/api/staff/insights?site=nowhere", { headers: staff });
    await call("GET", "/api/staff/insights?site=acme&weeks=0", { headers: staff });
    await call("GET", "/api/sites");
    await call("POST", "/api/ask", { headers: json, body: { question: "How long do you keep my chat messages?", site: "acme" } });
    await call("POST", "/api/ask", { headers: json, body: { question: "I want you to delete my data", site: "acme" } });
    await call("POST", "/api/ask", { headers: json, body: { site: "acme" } });
    await call("POST", "/api/ask", { headers: json, body: { question: "hi", site: "nowhere" } });
    await call("POST", "/api/ask", { headers: { "content-type": "text/plain" }, body: "hi" });
    await call("GET", "/api/search?q=cookies&site=acme&limit=2", { headers: staff });
    await call("GET", "/api/search?q=cookies&site=acme", { headers: { authorization: "Bearer wrong" } });
    await call("POST", "/api/feedback", { headers: json, body: { site: "acme", verdict: "up", kind: "answer" } });
    await call("POST", "/api/requests", { headers: json, body: { site: "acme", right: "access", email: "a@example.com", source: "form" } });
    await call("POST", `/api/requests/${reference}/resend`);
    await call("POST", `/api/requests/${reference}/resend`, { headers: json, body: {} });
    const code = (await rights.service.localMessages())[0]!.text.match(/code is (\d{6})/)![1]!;
    await call("POST", `/api/requests/${reference}/verify`, { headers: json, body: { code: code === "000000" ? "111111" : "000000" } });
    await call("POST", `/api/requests/${reference}/verify`, { headers: json, body: { code } });
    await call("POST", "/api/requests/PR-0000-0000/verify", { headers: json, body: { code } });
    await call("GET", "/api/staff/requests?status=pending", { headers: staff });
    await call("GET", "/api/staff/requests?status=bogus", { headers: staff });
    await call("GET", "/api/staff/requests.csv", { headers: staff });
    await call("GET", `/api/staff/requests/${reference}`, { headers: staff });
    await call("POST", `/api/staff/requests/${reference}/transition`, { headers: { ...staff, ...json }, body: { to: "in_progress" } });
    await call("POST", `/api/staff/requests/${reference}/transition`, { headers: { ...staff, ...json }, body: { to: "pending" } });
    await call("POST", `/api/staff/requests/${reference}/extend`, { headers: { ...staff, ...json }, body: { reason: "complex" } });
    await call("POST", `/api/staff/requests/${reference}/notes`, { headers: { ...staff, ...json }, body: { text: "called back" } });
    const erase = (body: unknown) => call("POST", `/api/staff/requests/${reference}/erase`, { headers: { ...staff, ...json }, body });
    await erase({ reason: "asked to be forgotten" }); // still open: 409
    await erase({});
    await call("POST", `/api/staff/requests/${reference}/transition`, { headers: { ...staff, ...json }, body: { to: "canceled" } });
    await erase({ reason: "asked to be forgotten" });
    await call("GET", "/api/staff/outbox", { headers: staff });
    await call("GET", "/api/staff/outbox");

    const problems = seen.flatMap(({ method, route, status, body, type }) => {
      const declared = DECLARED.find((r) => r.method === method && r.documented === route)!;
      const response = declared.responses[String(status)];
      if (!response) return [`${method} ${route}: ${status} is not documented`];
      const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
      if (!media || !mediaType) return [];
      if (!type.startsWith(mediaType)) return [`${method} ${route} ${status}: ${type} instead of ${mediaType}`];
      const parsed = media.schema.safeParse(body);
      return parsed.success
        ? []
        : [`${method} ${route} ${status}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`];
    });
    expect(problems).toEqual([]);
    const succeeded = new Set(seen.filter((s) => s.status < 300).map((s) => `${s.method} ${s.route}`));
    expect(DECLARED.map((r) => `${r.method} ${r.documented}`).filter((r) => !succeeded.has(r))).toEqual([]);
    expect(seen.filter((s) => s.status >= 400).length).toBeGreaterThan(8);
  }, 60_000);

  it("keeps the rights routes, documented, when the server has no rights storage: they answer 503", async () => {
    const bare = createApp({ knowledge: siteDirectory(), staffToken: TOKEN, log: () => {} });
    const document = (await (await bare.request("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain("/api/requests");
    const response = await bare.request("/api/requests", { method: "POST", headers: json, body: "{}" });
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error.code).toBe("RIGHTS_NOT_CONFIGURED");
    expect(routes.createRequestRoute.responses[503].content["application/json"].schema.safeParse(body).success).toBe(true);
    expect((await bare.request("/api/staff/outbox")).status).toBe(401);
    expect((await bare.request("/api/staff/outbox", { headers: staff })).status).toBe(503);
  });
});

function matches(template: string, pathname: string): boolean {
  const pattern = new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/:\w+/g, "[^/]+")}$`);
  return pattern.test(pathname);
}

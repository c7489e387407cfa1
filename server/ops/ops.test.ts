import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../tests/rights-support/logs.js";
import { createApp } from "../app.js";
import { readEnv } from "../env.js";
import { embedderFromEnv, ingest, openKnowledge } from "../knowledge/index.js";
import type { Knowledge } from "../knowledge/types.js";
import { lineLog } from "./log.js";
import { createMetrics } from "./metrics.js";
import { type OpenedRights, openRights } from "../rights/index.js";

const root = path.resolve(import.meta.dirname, "../..");
const STAFF_TOKEN = "ops-test-staff-token-0123456";
const staff = { authorization: `Bearer ${STAFF_TOKEN}` };
const dir = mkdtempSync(path.join(os.tmpdir(), "ops-test-"));
let knowledge: Knowledge;
let rights: OpenedRights;
let metrics: ReturnType<typeof createMetrics>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  metrics = createMetrics();
  const embedder = metrics.timed(await embedderFromEnv(readEnv({ EMBEDDER: "use-lite", DATA_DIR: dir }), () => {}));
  const indexDir = path.join(dir, "index");
  await ingest({ corpusDir: path.join(root, "tests/fixtures/tiny-corpus"), indexDir, embedder });
  knowledge = await openKnowledge({ indexDir, embedder });
  const { logger } = memoryLogger();
  rights = await openRights(readEnv({ DATA_DIR: dir }), lineLog(logger));
  metrics.track({ db: rights.db, knowledge });
  app = createApp({ knowledge, staffToken: STAFF_TOKEN, logger, rights, ops: { metrics, db: rights.db } });
}, 60_000);
afterAll(async () => {
  await rights?.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

const postJson = (url: string, body: unknown) =>
  app.request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(name));
  return line ? Number(line.split(" ").at(-1)) : undefined;
}

describe("health routes", () => {
  it("live answers as long as the process does; ready checks database, index and embedder", async () => {
    expect(await (await app.request("/api/health/live")).json()).toMatchObject({ status: "live" });
    const ready = await app.request("/api/health/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ready",
      checks: { database: { ok: true }, index: { ok: true, passages: 5, documents: 2 }, embedder: { ok: true } },
    });
  });

  it("says 503 with the reason when the index is empty", async () => {
    const empty: Knowledge = { ...knowledge, health: () => ({ ...knowledge.health(), chunks: 0 }) };
    const response = await createApp({ knowledge: empty, log: () => {} }).request("/api/health/ready");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "not_ready",
      checks: { index: { ok: false, detail: "the index has no passages" } },
    });
  });
});

describe("/metrics", () => {
  it("is refused without the staff token", async () => {
    expect((await app.request("/metrics")).status).toBe(401);
  });

  it("counts requests per route, ask replies by kind, embedding time, requests by status and the outbox", async () => {
    expect((await postJson("/api/ask", { question: "How long do you keep my chat messages?", site: "acme" })).status).toBe(200);
    expect((await postJson("/api/ask", { question: "Do you accept bitcoin for invoices?", site: "acme" })).status).toBe(200);
    const created = await app.request("/api/requests", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "ops-metrics-1" },
      body: JSON.stringify({ site: "acme", right: "access", email: "metrics@example.test", name: "M", country: "DE", source: "form" }),
    });
    expect(created.status).toBe(201);

    const response = await app.request("/metrics", { headers: staff });
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(sample(text, 'http_requests_total{method="POST",route="/api/ask",status="200"}')).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_count{method="POST",route="/api/ask"}')).toBe(2);
    expect(sample(text, 'privacy_ask_replies_total{kind="answer"}')).toBe(1);
    expect(sample(text, 'privacy_ask_replies_total{kind="no_answer"}')).toBe(1);
    expect(sample(text, "privacy_ask_abstention_ratio")).toBe(0.5);
    expect(sample(text, 'privacy_embedding_duration_seconds_count{kind="query"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'privacy_requests{status="identity_unverified"}')).toBe(1);
    expect(sample(text, 'privacy_requests{status="pending"}')).toBe(0);
    expect(sample(text, "privacy_requests_overdue")).toBe(0);
    expect(sample(text, 'privacy_outbox_backlog{outbox="webhook"}')).toBe(0);
    expect(sample(text, 'privacy_outbox_failed_attempts{outbox="mail"}')).toBe(0);
    expect(sample(text, "privacy_index_passages")).toBe(5);
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("turns readiness to 503 naming the database when it stops answering", async () => {
    await rights.close();
    const response = await app.request("/api/health/ready");
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: { database: { ok: boolean; detail: string } } };
    expect(body.checks.database.ok).toBe(false);
    expect(body.checks.database.detail).toBeTruthy();
  });
});

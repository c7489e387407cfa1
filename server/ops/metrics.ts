import { createMiddleware } from "hono/factory";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type AskKind, STATUSES } from "../contract/constants.js";
import type { Embedder } from "../knowledge/embed/embedder.js";
import type { Knowledge } from "../knowledge/types.js";
import type { Db } from "../rights/db.js";
import type { ReindexResult, ReindexState } from "./reindex.js";
import { matchedRoute } from "./request-log.js";

/** What the gauges read when Prometheus scrapes: the database, the live index, the re-index state. */
export interface MetricsSources {
  db?: Db;
  knowledge?: Knowledge;
  reindex?: () => ReindexState;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The kind of reply /api/ask made, counted by the metrics (set by the route, so the body is not read again). */
    askReplyKind?: AskKind;
  }
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The server's Prometheus metrics (prom-client), in a registry of their own so every app and test has its own.
 * Counters and histograms are fed as things happen; the database and index gauges are read at scrape time.
 */
export function createMetrics() {
  const registry = new Registry();
  const sources: MetricsSources = {};
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: SECONDS,
    registers,
  });
  const replies = new Counter({
    name: "privacy_ask_replies_total",
    help: "Replies of POST /api/ask by kind (answer, no_answer = abstention, rights_request)",
    labelNames: ["kind"] as const,
    registers,
  });
  new Gauge({
    name: "privacy_ask_abstention_ratio",
    help: "Share of /api/ask replies since start-up that abstained (no_answer)",
    registers,
    async collect() {
      const values = (await replies.get()).values;
      const total = values.reduce((sum, value) => sum + value.value, 0);
      const abstained = values.find((value) => value.labels.kind === "no_answer")?.value ?? 0;
      this.set(total ? abstained / total : 0);
    },
  });
  const embedding = new Histogram({
    name: "privacy_embedding_duration_seconds",
    help: "Time to embed a question (query) or a batch of passages (passages)",
    labelNames: ["kind"] as const,
    buckets: SECONDS,
    registers,
  });
  const intake = new Gauge({
    name: "privacy_requests",
    help: "Rights requests by status",
    labelNames: ["status"] as const,
    registers,
    async collect() {
      if (!sources.db) return;
      const rows = await sources.db.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM requests GROUP BY status");
      for (const status of STATUSES) intake.set({ status }, rows.find((row) => row.status === status)?.n ?? 0);
    },
  });
  new Gauge({
    name: "privacy_requests_overdue",
    help: "Verified requests still open (pending, in_progress) past their due date",
    registers,
    async collect() {
      if (!sources.db) return;
      const [row] = await sources.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM requests WHERE status IN ('pending', 'in_progress') AND due_at < $1",
        [new Date()],
      );
      this.set(row?.n ?? 0);
    },
  });
  const backlog = new Gauge({
    name: "privacy_outbox_backlog",
    help: "Messages waiting to be sent: e-mails queued, webhook deliveries not yet accepted",
    labelNames: ["outbox"] as const,
    registers,
    async collect() {
      if (!sources.db) return;
      const [row] = await sources.db.query<{ mail: number; webhook: number }>(
        `SELECT (SELECT count(*)::int FROM mail_outbox WHERE state = 'queued') AS mail,
                (SELECT count(*)::int FROM webhook_outbox) AS webhook`,
      );
      backlog.set({ outbox: "mail" }, row?.mail ?? 0);
      backlog.set({ outbox: "webhook" }, row?.webhook ?? 0);
    },
  });
  const failures = new Gauge({
    name: "privacy_outbox_failed_attempts",
    help: "Delivery attempts that failed, over every message still in the outbox (a delivered one is deleted)",
    labelNames: ["outbox"] as const,
    registers,
    async collect() {
      if (!sources.db) return;
      const [row] = await sources.db.query<{ mail: number; webhook: number }>(
        `SELECT (SELECT coalesce(sum(attempts), 0)::int FROM mail_outbox) AS mail,
                (SELECT coalesce(sum(attempts), 0)::int FROM webhook_outbox) AS webhook`,
      );
      failures.set({ outbox: "mail" }, row?.mail ?? 0);
      failures.set({ outbox: "webhook" }, row?.webhook ?? 0);
    },
  });
  new Gauge({
    name: "privacy_index_passages",
    help: "Passages in the live index",
    registers,
    collect() {
      if (sources.knowledge) this.set(sources.knowledge.health().chunks);
    },
  });
  new Gauge({
    name: "privacy_index_documents",
    help: "Documents in the live index",
    registers,
    collect() {
      if (sources.knowledge) this.set(sources.knowledge.health().documents);
    },
  });
  new Gauge({
    name: "privacy_index_age_seconds",
    help: "Seconds since the last successful (re-)index",
    registers,
    collect() {
      const at = sources.reindex?.().lastSuccessAt;
      if (at) this.set((Date.now() - at.getTime()) / 1000);
    },
  });
  new Gauge({
    name: "privacy_corpus_failing_documents",
    help: "Corpus documents that did not load at the last (re-)index; their old passages are still served",
    registers,
    collect() {
      const state = sources.reindex?.();
      if (state) this.set(state.failures.length);
    },
  });
  const reindexRuns = new Counter({
    name: "privacy_reindex_total",
    help: "Re-index runs by outcome (ok, failed)",
    labelNames: ["outcome"] as const,
    registers,
  });
  const reindexSeconds = new Histogram({
    name: "privacy_reindex_duration_seconds",
    help: "Time to re-index while serving",
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });

  return {
    registry,
    /** Points the scrape-time gauges at the running server's parts. */
    track(parts: MetricsSources) {
      Object.assign(sources, parts);
    },
    /** Counts each request and, for /api/ask, the kind of reply. */
    middleware: createMiddleware(async (c, next) => {
      const began = performance.now();
      await next();
      const route = matchedRoute(c);
      requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      latency.observe({ method: c.req.method, route }, (performance.now() - began) / 1000);
      if (route === "/api/ask" && c.res.status === 200 && c.var.askReplyKind) replies.inc({ kind: c.var.askReplyKind });
    }),
    /** The same embedder, timed. */
    timed(embedder: Embedder): Embedder {
      return {
        info: embedder.info,
        async embedQuery(text) {
          const stop = embedding.startTimer({ kind: "query" });
          try {
            return await embedder.embedQuery(text);
          } finally {
            stop();
          }
        },
        async embedPassages(texts) {
          const stop = embedding.startTimer({ kind: "passages" });
          try {
            return await embedder.embedPassages(texts);
          } finally {
            stop();
          }
        },
      };
    },
    /** A question embedded elsewhere (a worker of the question pool) took this long. */
    embeddedQuestion(seconds: number) {
      embedding.observe({ kind: "query" }, seconds);
    },
    reindexed(result: ReindexResult) {
      reindexRuns.inc({ outcome: result.ok ? "ok" : "failed" });
      if (result.ok) reindexSeconds.observe(result.seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

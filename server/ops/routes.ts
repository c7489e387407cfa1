import { Hono } from "hono";
import { errorBody } from "../errors.js";
import { staffAuth } from "../http.js";
import type { Knowledge } from "../knowledge/types.js";
import type { Db } from "../rights/db.js";
import { readiness } from "./health.js";
import type { Metrics } from "./metrics.js";
import type { Reindexer } from "./reindex.js";

/** What the operations routes need (AppDeps.ops); readiness works without it. */
export interface OpsDeps {
  metrics: Metrics;
  db?: Db;
  reindexer?: Reindexer;
  /** METRICS_PORT is set: /metrics is served there, without a token, and not on the main port. */
  metricsOnOwnPort?: boolean;
}

/**
 * GET /api/health/live (the process answers), GET /api/health/ready (database, index, embedder; 503 otherwise),
 * POST /api/staff/reindex, GET /metrics (staff token) unless METRICS_PORT serves it.
 */
export function opsRoutes({ ops = {}, knowledge, staffToken }: { ops?: Partial<OpsDeps>; knowledge: Knowledge; staffToken?: string }) {
  const staff = staffAuth(staffToken);
  const app = new Hono()
    .get("/api/health/live", (c) => c.json({ status: "live", uptimeSeconds: Math.round(process.uptime()) }))
    .get("/api/health/ready", async (c) => {
      const ready = await readiness({ knowledge, db: ops.db, reindex: ops.reindexer?.state });
      return c.json(ready, ready.status === "ready" ? 200 : 503);
    })
    .post("/api/staff/reindex", staff, async (c) => {
      if (!ops.reindexer) return c.json(errorBody("NOT_FOUND", "Re-indexing is not enabled on this server."), 404);
      const result = await ops.reindexer.run("staff");
      return result.ok ? c.json(result) : c.json({ ...errorBody("INTERNAL", `Re-index failed: ${result.error}`), result }, 500);
    });
  const { metrics } = ops;
  if (metrics && !ops.metricsOnOwnPort) app.get("/metrics", staff, () => metricsResponse(metrics));
  return app;
}

/** The Prometheus text exposition of a registry. */
export async function metricsResponse(metrics: Metrics): Promise<Response> {
  return new Response(await metrics.registry.metrics(), { headers: { "content-type": metrics.registry.contentType } });
}

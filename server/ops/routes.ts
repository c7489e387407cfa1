import { Hono } from "hono";
import { changelogRoute, liveRoute, readyRoute, reindexRoute } from "../contract/routes.js";
import { errorBody } from "../errors.js";
import { openApiRouter, staffAuth } from "../http.js";
import type { Knowledge } from "../knowledge/types.js";
import type { Db } from "../rights/db.js";
import { readChangelogs } from "../fetch/changelog.js";
import { readiness } from "./health.js";
import type { Metrics } from "./metrics.js";
import type { Reindexer } from "./reindex.js";

/** What the operations routes need (AppDeps.ops); readiness works without it. */
export interface OpsDeps {
  metrics: Metrics;
  db?: Db;
  reindexer?: Reindexer;
  /** CORPUS_DIR, for the fetched-policy changelogs (GET /api/staff/changelog). */
  corpusDir?: string;
  /** METRICS_PORT is set: /metrics is served there, without a token, and not on the main port. */
  metricsOnOwnPort?: boolean;
}

type OpsRouteDeps = { ops?: Partial<OpsDeps>; knowledge: Knowledge; staffToken?: string; staffTokens?: Record<string, string> };

/**
 * Mounted at /api, declared in server/contract/routes.ts: GET /api/health/live (the process answers),
 * GET /api/health/ready (database, index, embedder; 503 otherwise), POST /api/staff/reindex,
 * GET /api/staff/changelog (changes seen by `npm run fetch-policies`).
 */
export function opsRoutes({ ops = {}, knowledge, staffToken, staffTokens }: OpsRouteDeps) {
  const staff = staffAuth({ staffToken, staffTokens });
  return openApiRouter()
    .openapi(liveRoute, (c) => c.json({ status: "live" as const, uptimeSeconds: Math.round(process.uptime()) }, 200))
    .openapi(readyRoute, async (c) => {
      const ready = await readiness({ knowledge, db: ops.db, reindex: ops.reindexer?.state });
      return ready.status === "ready" ? c.json(ready, 200) : c.json(ready, 503);
    })
    .openapi({ ...changelogRoute, middleware: [staff] }, async (c) =>
      c.json({ sites: ops.corpusDir ? await readChangelogs(ops.corpusDir) : [] }, 200),
    )
    .openapi({ ...reindexRoute, middleware: [staff] }, async (c) => {
      if (!ops.reindexer) return c.json(errorBody("NOT_FOUND", "Re-indexing is not enabled on this server."), 404);
      const result = await ops.reindexer.run("staff");
      return result.ok ? c.json(result, 200) : c.json({ ...errorBody("INTERNAL", `Re-index failed: ${result.error}`), result }, 500);
    });
}

/** GET /metrics (staff token), unless METRICS_PORT serves it; Prometheus text, outside the documented /api. */
export function metricsRoutes({ ops = {}, staffToken, staffTokens }: OpsRouteDeps) {
  const app = new Hono();
  const { metrics } = ops;
  if (metrics && !ops.metricsOnOwnPort) app.get("/metrics", staffAuth({ staffToken, staffTokens }), () => metricsResponse(metrics));
  return app;
}

/** The Prometheus text exposition of a registry. */
export async function metricsResponse(metrics: Metrics): Promise<Response> {
  return new Response(await metrics.registry.metrics(), { headers: { "content-type": metrics.registry.contentType } });
}

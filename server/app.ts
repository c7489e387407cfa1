import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AskLimits } from "./ask-limits.js";
import { clientAddresses } from "./client-address.js";
import { STAFF_SECURITY_SCHEME } from "./contract/routes.js";
import { AppError, ERRORS, errorBody } from "./errors.js";
import type { Citation, Knowledge } from "./knowledge/types.js";
import type { Answered } from "./assistant.js";
import { createMiddleware } from "hono/factory";
import { LiveKnowledge } from "./ops/live-knowledge.js";
import { createLogger, type Logger, lineLog } from "./ops/log.js";
import { metricsRoutes, type OpsDeps, opsRoutes } from "./ops/routes.js";
import { requestLog } from "./ops/request-log.js";
import { StorageUnavailableError } from "./rights/db.js";
import type { RightsApi } from "./rights/index.js";
import { askRoutes } from "./routes/ask.js";
import { feedbackRoutes } from "./routes/feedback.js";
import { healthRoutes } from "./routes/health.js";
import { requestRoutes } from "./routes/requests.js";
import { insightsRoutes } from "./routes/insights.js";
import { coverageRoutes } from "./routes/coverage.js";
import { searchRoutes } from "./routes/search.js";
import { sitesRoutes } from "./routes/sites.js";
import { staffRequestRoutes } from "./routes/staff-requests.js";
import { verifyLinkRoutes } from "./routes/verify-link.js";
import { apiDocsRoutes, OPENAPI_INFO } from "./routes/docs.js";
import { apiCors, staticRoutes } from "./routes/static.js";

export interface AppDeps {
  knowledge: Knowledge;
  /** Answers questions and staff searches off the event loop (server/question-pool); without it, in-process on `knowledge`. */
  questions?: QuestionAnswerer;
  /** Bearer token for the staff API; when unset the staff API answers 401 to everyone. */
  staffToken?: string;
  /** STAFF_TOKENS: a token per person (name → token); the audit log names whoever acted. */
  staffTokens?: Record<string, string>;
  /** Structured logs and the request log; JSON lines on stdout when neither this nor `log` is given. */
  logger?: Logger;
  /** LOG_QUESTIONS: the request log of POST /api/ask carries the question. */
  logQuestions?: boolean;
  /** Where plain log lines go (default: through `logger`); never given an e-mail address or a name. */
  log?: (line: string) => void;
  /** Per-client budgets and load shedding on /api/ask and /api/search (server/ask-limits.ts); defaults when absent. */
  askLimits?: AskLimits;
  /** TRUST_PROXY: how many reverse proxies in front append to X-Forwarded-For (server/client-address.ts). */
  trustProxy?: number;
  /** Origins whose pages may call the public API (ALLOWED_ORIGINS); empty means same origin only. */
  allowedOrigins?: string[];
  /** The built widget and console (dist/ by default). */
  distDir?: string;
  /** Rights requests, feedback and the staff queue (server/rights, openRights); without it those routes answer 503. */
  rights?: RightsApi;
  /** Metrics, readiness and re-indexing (server/ops); without it only GET /api/health/live and /ready are served. */
  ops?: OpsDeps;
}

/** What answers a question or a staff search, wherever it runs. */
export interface QuestionAnswerer {
  ask(question: string, site: string): Promise<Answered>;
  search(query: string, site: string, limit?: number): Promise<Citation[]>;
}

const passThrough = createMiddleware((_c, next) => next());

/** What a 503 STORAGE_UNAVAILABLE tells the client to wait: about the time a restarted database takes to come back. */
const STORAGE_RETRY_AFTER_SECONDS = 5;

/** Builds the HTTP app from its dependencies; tests build their own with `app.request()`. */
export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? (deps.log ? undefined : createLogger());
  const log = deps.log ?? lineLog(logger as Logger);
  const base = new OpenAPIHono();
  base.use("*", clientAddresses(deps.trustProxy ?? 0));
  base.use("*", ...requestLog({ logger, logQuestions: deps.logQuestions }));
  base.use("*", deps.ops?.metrics.middleware ?? passThrough);
  // A request in flight during a live re-index finishes on the index it started with.
  base.use("*", (_c, next) => (deps.knowledge instanceof LiveKnowledge ? deps.knowledge.pinned(next) : next()));
  base.use("/api/*", apiCors(deps.allowedOrigins, { log }));
  // Staff replies carry requesters' personal data: no browser or proxy cache keeps a copy.
  base.use("/api/staff/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });
  base.openAPIRegistry.registerComponent("securitySchemes", "staffToken", STAFF_SECURITY_SCHEME);
  // Chained, so AppType (and so hc<AppType> in the widget and console) carries every API route.
  const app = base
    .route("/api", opsRoutes(deps))
    .route("/api", healthRoutes(deps))
    .route("/api", askRoutes(deps))
    .route("/api", searchRoutes(deps))
    .route("/api", coverageRoutes(deps))
    .route("/api", insightsRoutes(deps))
    .route("/api", sitesRoutes(deps))
    .route("/api", requestRoutes(deps))
    .route("/api", staffRequestRoutes(deps))
    .route("/api", feedbackRoutes(deps));
  app.doc31("/api/openapi.json", OPENAPI_INFO);
  app.route("/api", apiDocsRoutes());
  app.route("/", metricsRoutes(deps));
  app.route("/", verifyLinkRoutes(deps));
  app.route("/", staticRoutes({ distDir: deps.distDir, sites: () => deps.knowledge.sites() }));

  app.notFound((c) => c.json(errorBody("NOT_FOUND", `Not found: ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    // bearer-auth (server/http.ts staffAuth) throws with its finished 401 reply, already in the catalogue's shape.
    if (error instanceof HTTPException && error.res) return error.getResponse();
    const refuse = (refusal: AppError) => {
      for (const [name, value] of Object.entries(refusal.headers)) c.header(name, value);
      return c.json(errorBody(refusal.code, refusal.message), refusal.status as ContentfulStatusCode);
    };
    if (error instanceof AppError) return refuse(error);
    if (error instanceof StorageUnavailableError) {
      if (logger) logger.warn({ method: c.req.method, route: c.req.routePath, reason: error.message }, "storage unavailable");
      else log(`warn: ${c.req.method} ${c.req.path}: ${error.message}`);
      const seconds = String(STORAGE_RETRY_AFTER_SECONDS);
      return refuse(new AppError("STORAGE_UNAVAILABLE", [seconds], { "Retry-After": seconds }));
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(errorBody("INVALID_INPUT", error.message || "Bad request."), error.status as ContentfulStatusCode);
    }
    if (logger) logger.error({ err: error, method: c.req.method, route: c.req.routePath }, "unhandled error");
    else log(`error ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return c.json(errorBody("INTERNAL", ERRORS.INTERNAL.message), 500);
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;

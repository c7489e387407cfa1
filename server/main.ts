import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "./app.js";
import { readEnv } from "./env.js";
import { embedderOptionsFromEnv, ingest, missingFieldsWarning, openKnowledge } from "./knowledge/index.js";
import { withQuestionCache } from "./knowledge/embed/question-cache.js";
import { QuestionPool } from "./question-pool/pool.js";
import { openRights } from "./rights/index.js";
import { createLogger, type Logger, lineLog } from "./ops/log.js";
import { closeOnSignals } from "./ops/signals.js";
import { LiveKnowledge } from "./ops/live-knowledge.js";
import { loadLanguageModel } from "./language/index.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { createReindexer, watchCorpus } from "./ops/reindex.js";
import { metricsResponse } from "./ops/routes.js";
import { resolveStaffToken } from "./staff-token.js";

export interface StartOptions {
  /** Overrides for process.env (tests pass their own ports and folders). */
  env?: Record<string, string>;
  /** Default: JSON lines on stdout (pretty on a terminal) at LOG_LEVEL. */
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  /** Where /metrics is served without a token, when METRICS_PORT is set. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** How long shutdown waits for requests in flight before it drops their connections. */
const DRAIN_MS = 8_000;

/**
 * env -> database (and its folder lock) -> embedder -> index -> createApp(deps) -> serve. The database comes
 * first, so a second server on the same DATA_DIR is refused before it spends seconds loading models.
 */
export async function startServer({ env: overrides = {}, logger: given }: StartOptions = {}): Promise<RunningServer> {
  const env = readEnv({ ...process.env, ...overrides });
  const logger = given ?? createLogger({ level: env.LOG_LEVEL });
  const log = lineLog(logger);
  const metrics = createMetrics();
  const rights = await openRights(env, log);
  metrics.track({ db: rights.db });
  let watcher: ReturnType<typeof watchCorpus> | undefined;
  let pool: QuestionPool | undefined;
  try {
    pool = await QuestionPool.start({
      embedder: embedderOptionsFromEnv(env),
      questionCacheSize: env.QUESTION_CACHE_SIZE,
      ...(env.QUESTION_THREADS ? { threads: env.QUESTION_THREADS } : {}),
      onQuestionEmbedded: metrics.embeddedQuestion,
    });
    for (const line of pool.startLines) log(line);
    log(`questions: answered by ${pool.size} worker threads`);
    const questions = pool;
    // The main thread's embedder is the pool's: ingest and re-index embed there, and no model is loaded here.
    const embedder = withQuestionCache(metrics.timed(pool.embedder), env.QUESTION_CACHE_SIZE);
    log(`embedder: ${embedder.info.description}`);
    const language = await loadLanguageModel({ embedder, dataDir: env.DATA_DIR, log });
    log(
      `language: privacy-language layer trained ${language.trainedAt} on data ${language.dataHash} (${language.topics.labels.length} topics)`,
    );
    const summary = await ingest({ corpusDir: env.CORPUS_DIR, indexDir: env.INDEX_DIR, embedder });
    for (const failure of summary.failures) log(`warn: corpus: could not load ${failure.path}: ${failure.reason}`);
    for (const warning of summary.warnings) log(`warn: corpus: ${missingFieldsWarning(warning)}`);
    if (summary.embedded > 0 || summary.removedDocuments.length > 0) {
      log(
        `index: embedded ${summary.embedded} new passages, removed ${summary.removedDocuments.length} documents (${summary.seconds.toFixed(1)} s)`,
      );
    }
    const knowledge = new LiveKnowledge(await openKnowledge({ indexDir: env.INDEX_DIR, embedder, language }));
    const { chunks, documents, sites } = knowledge.health();
    log(`index: ${chunks} passages from ${documents} documents; sites: ${sites.join(", ")}`);
    const reindexer = createReindexer({
      corpusDir: env.CORPUS_DIR,
      indexDir: env.INDEX_DIR,
      embedder,
      language,
      live: knowledge,
      log,
      initial: { at: new Date(), failures: summary.failures },
      onResult: metrics.reindexed,
    });
    metrics.track({ knowledge, reindex: reindexer.state });
    watcher = watchCorpus(env.CORPUS_DIR, reindexer);
    await watcher.ready;
    log(`corpus: watching ${env.CORPUS_DIR}; changes are re-indexed while serving`);
    const staff = await resolveStaffToken(env);
    log(
      staff.token || Object.keys(env.STAFF_TOKENS).length > 0
        ? `staff API: enabled, ${[staff.token ? `the shared token from ${staff.source}` : "", ...Object.keys(env.STAFF_TOKENS).map((name) => `${name}'s token`)].filter(Boolean).join(", ")}`
        : "staff API: disabled (401 for everyone); run `npm run staff-token` (or set STAFF_TOKEN to a secret of 16+ characters) to enable it",
    );

    const current = () => ({ snapshot: knowledge.snapshot(), language });
    const app = createApp({
      knowledge,
      questions: {
        ask: (question, site) => questions.ask(current, question, site),
        search: (query, site, limit) => questions.search(current, query, site, limit),
      },
      staffToken: staff.token,
      staffTokens: env.STAFF_TOKENS,
      allowedOrigins: env.ALLOWED_ORIGINS,
      trustProxy: env.TRUST_PROXY,
      askLimits: {
        askPerClient: { limit: env.ASK_RATE_LIMIT, windowMs: 60_000 },
        searchPerClient: { limit: env.SEARCH_RATE_LIMIT, windowMs: 60_000 },
        maxInFlight: env.ASK_MAX_IN_FLIGHT,
      },
      logger,
      logQuestions: env.LOG_QUESTIONS,
      rights,
      ops: { metrics, db: rights.db, reindexer, corpusDir: env.CORPUS_DIR, metricsOnOwnPort: env.METRICS_PORT !== undefined },
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => resolve(started));
    });
    // A client that shuts its side once the request is sent still gets the reply: answers now come from a worker
    // thread, after the end of the request has been read (Node's http server would otherwise abort the request).
    (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    const { port } = server.address() as AddressInfo;
    const url = origin(env.HOST, port);
    log(`listening on ${url}`);
    const metricsServer = env.METRICS_PORT === undefined ? undefined : await serveMetrics(metrics, env.HOST, env.METRICS_PORT);
    const metricsUrl = metricsServer && `${origin(env.HOST, (metricsServer.address() as AddressInfo).port)}/metrics`;
    if (metricsUrl) log(`metrics on ${metricsUrl} (METRICS_PORT, no token)`);
    let closing: Promise<void> | undefined;
    const close = async () => {
      const began = performance.now();
      log("shutdown: no new connections; waiting for requests in flight");
      await watcher?.close();
      metricsServer?.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // Node closes idle keep-alive connections on close(); one still busy after DRAIN_MS is dropped.
      const overdue = setTimeout(() => {
        log(`warn: shutdown: requests still running after ${DRAIN_MS / 1000} s; closing their connections`);
        (server as Server).closeAllConnections();
      }, DRAIN_MS);
      await drained;
      clearTimeout(overdue);
      await reindexer.settled();
      await questions.close();
      await rights.close();
      log(`shutdown: done in ${((performance.now() - began) / 1000).toFixed(1)} s (outbox leases released, database closed)`);
    };
    return { url, metricsUrl, close: () => (closing ??= close()) };
  } catch (error) {
    await watcher?.close();
    await pool?.close();
    await rights.close();
    throw error;
  }
}

function origin(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** METRICS_PORT: /metrics alone, without the staff token, for a scraper on the private network. */
function serveMetrics(metrics: Metrics, hostname: string, port: number): Promise<ReturnType<typeof serve>> {
  const app = new Hono().get("/metrics", () => metricsResponse(metrics));
  return new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port, hostname }, () => resolve(started));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const logger = createLogger({ level: readEnv().LOG_LEVEL });
  startServer({ logger }).then(
    (server) => closeOnSignals(server, lineLog(logger)),
    (error: unknown) => {
      logger.fatal(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}

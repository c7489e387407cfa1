import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { readEnv } from "./env.js";
import { embedderFromEnv, ingest, openKnowledge } from "./knowledge/index.js";
import { openRights } from "./rights/index.js";
import { createLogger, type Logger, lineLog } from "./ops/log.js";
import { resolveStaffToken } from "./staff-token.js";

export interface StartOptions {
  /** Overrides for process.env (tests pass their own ports and folders). */
  env?: Record<string, string>;
  /** Default: JSON lines on stdout (pretty on a terminal) at LOG_LEVEL. */
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** env -> dependencies -> createApp(deps) -> serve. Brings the index up to date with the corpus first. */
export async function startServer({ env: overrides = {}, logger: given }: StartOptions = {}): Promise<RunningServer> {
  const env = readEnv({ ...process.env, ...overrides });
  const logger = given ?? createLogger({ level: env.LOG_LEVEL });
  const log = lineLog(logger);
  const embedder = await embedderFromEnv(env, log);
  log(`embedder: ${embedder.info.description}`);
  const summary = await ingest({ corpusDir: env.CORPUS_DIR, indexDir: env.INDEX_DIR, embedder });
  for (const failure of summary.failures) log(`corpus: could not load ${failure.path}: ${failure.reason}`);
  if (summary.embedded > 0 || summary.removedDocuments.length > 0) {
    log(
      `index: embedded ${summary.embedded} new passages, removed ${summary.removedDocuments.length} documents (${summary.seconds.toFixed(1)} s)`,
    );
  }
  const knowledge = await openKnowledge({ indexDir: env.INDEX_DIR, embedder });
  const { chunks, documents, sites } = knowledge.health();
  log(`index: ${chunks} passages from ${documents} documents; sites: ${sites.join(", ")}`);
  const staff = await resolveStaffToken(env);
  log(
    staff.token
      ? `staff API: enabled, token from ${staff.source}`
      : "staff API: disabled (401 for everyone); run `npm run staff-token` (or set STAFF_TOKEN to a secret of 16+ characters) to enable it",
  );

  const rights = await openRights(env, log);
  const app = createApp({
    knowledge,
    staffToken: staff.token,
    allowedOrigins: env.ALLOWED_ORIGINS,
    logger,
    logQuestions: env.LOG_QUESTIONS,
    rights,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${port}`;
  log(`listening on ${url}`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))).finally(() => rights.close()),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startServer().catch((error: unknown) => {
    createLogger().fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

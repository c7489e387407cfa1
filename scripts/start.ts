/**
 * npm start (`node --import tsx scripts/start.ts`, so SIGTERM and SIGINT reach this process): check the
 * configuration, build the widget and console if stale, bring the index up to date, serve until a signal.
 */
import { readEnv } from "../server/env.js";
import { startServer } from "../server/main.js";
import { createLogger, lineLog } from "../server/ops/log.js";
import { closeOnSignals } from "../server/ops/signals.js";
import { ensureBuilt } from "./build-widget.js";

let env: ReturnType<typeof readEnv>;
try {
  env = readEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const logger = createLogger({ level: env.LOG_LEVEL });
try {
  await ensureBuilt({ log: lineLog(logger) });
  closeOnSignals(await startServer({ logger }), lineLog(logger));
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

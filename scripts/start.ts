/** npm start: check the configuration, build the widget and console if stale, bring the index up to date, serve. */
import { readEnv } from "../server/env.js";
import { startServer } from "../server/main.js";
import { ensureBuilt } from "./build-widget.js";

try {
  readEnv();
  await ensureBuilt();
  const server = await startServer();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void server.close().finally(() => process.exit(0)));
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

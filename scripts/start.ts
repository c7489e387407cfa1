/** npm start: build the widget and console if stale, bring the index up to date, serve. */
import { ensureBuilt } from "./build-widget.js";
import { startServer } from "../server/main.js";

await ensureBuilt();
const server = await startServer();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().finally(() => process.exit(0)));
}

/**
 * The rights API as a process of its own, for the crash test (tests/rights-crash.test.ts): env as usual,
 * plus an optional JSON argument with OpenRightsOptions (limits, retry and lease times). Prints
 * "listening on <url>". It answers policy questions with nothing: the site directory comes from the
 * corpus folder names, which is all intake needs.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../app.js";
import { readEnv } from "../env.js";
import { listCorpus } from "../knowledge/load.js";
import type { Knowledge, SiteInfo } from "../knowledge/types.js";
import { createLogger, lineLog } from "../ops/log.js";
import { openRights, type OpenRightsOptions } from "./index.js";

const env = readEnv();
const options = JSON.parse(process.argv[2] ?? "{}") as OpenRightsOptions;
const logger = createLogger({ level: env.LOG_LEVEL, pretty: false });
const log = lineLog(logger);
const sites = new Map<string, SiteInfo>();
for (const file of await listCorpus(env.CORPUS_DIR)) {
  const known = sites.get(file.site);
  if (known) known.documents.push(file.path);
  else sites.set(file.site, { site: file.site, title: file.site, organization: file.site, url: "", documents: [file.path] });
}
const knowledge: Knowledge = {
  sites: () => [...sites.values()],
  site: (id) => sites.get(id),
  search: async () => [],
  ask: async () => ({ kind: "no_answer", text: "This server only takes rights requests.", citations: [] }),
  health: () => ({
    embedder: { id: "none", dimensions: 0, kind: "use-lite", description: "none" },
    chunks: 0,
    documents: 0,
    sites: [...sites.keys()],
  }),
};
const rights = await openRights(env, log, options);
const app = createApp({ knowledge, staffToken: env.STAFF_TOKEN, rights, log, logger });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info: AddressInfo) =>
  log(`listening on http://${env.HOST}:${info.port}`),
);
process.once("SIGTERM", () => server.close(() => void rights.close().finally(() => process.exit(0))));

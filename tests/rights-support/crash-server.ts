/**
 * The rights API as a process of its own, for the crash test (tests/rights-crash.test.ts): env as usual,
 * plus an optional JSON argument with OpenRightsOptions (limits, retry and lease times). Prints
 * "listening on <url>". Its knowledge is the tests' site directory, built from the corpus folder names,
 * which is all intake needs.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../../server/app.js";
import { readEnv } from "../../server/env.js";
import { listCorpus } from "../../server/knowledge/load.js";
import type { SiteInfo } from "../../server/knowledge/types.js";
import { createLogger, lineLog } from "../../server/ops/log.js";
import { openRights, type OpenRightsOptions } from "../../server/rights/index.js";
import { siteDirectory } from "./knowledge.js";

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
const knowledge = siteDirectory([...sites.values()]);
const rights = await openRights(env, log, options);
const app = createApp({ knowledge, staffToken: env.STAFF_TOKEN, trustProxy: env.TRUST_PROXY, rights, log, logger });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info: AddressInfo) =>
  log(`listening on http://${env.HOST}:${info.port}`),
);
process.once("SIGTERM", () => server.close(() => void rights.close().finally(() => process.exit(0))));

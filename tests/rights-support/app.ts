import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../server/app.js";
import { readEnv } from "../../server/env.js";
import { openRights, type OpenRightsOptions } from "../../server/rights/index.js";
import { lineLog } from "../../server/ops/log.js";
import { siteDirectory } from "./knowledge.js";
import { memoryLogger } from "./logs.js";

export const STAFF_TOKEN = "test-staff-token-0123456789";
export const staffHeaders = { authorization: `Bearer ${STAFF_TOKEN}` };

/** A full app with the rights routes over a fresh embedded database; every JSON log line the server writes is kept in `logs`. */
export async function rightsApp(env: Record<string, string> = {}, options: OpenRightsOptions = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rights-app-"));
  const { logger, lines: logs, entries } = memoryLogger();
  const config = readEnv({ DATA_DIR: dataDir, STAFF_TOKEN, ...env });
  const rights = await openRights(config, lineLog(logger), { pollMs: 200, ...options });
  const app = createApp({
    knowledge: siteDirectory(),
    staffToken: STAFF_TOKEN,
    staffTokens: config.STAFF_TOKENS,
    rights,
    logger,
    trustProxy: config.TRUST_PROXY,
  });
  return {
    app,
    rights,
    logs,
    /** Every log line parsed; throws on one that is not JSON. */
    logEntries: entries,
    dataDir,
    async close() {
      await rights.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function postJson(app: ReturnType<typeof createApp>, url: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

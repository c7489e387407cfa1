import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../server/app.js";
import { readEnv } from "../../server/env.js";
import { openRights, type OpenRightsOptions } from "../../server/rights/index.js";
import { siteDirectory } from "./knowledge.js";

export const STAFF_TOKEN = "test-staff-token-0123456789";
export const staffHeaders = { authorization: `Bearer ${STAFF_TOKEN}` };

/** A full app with the rights routes over a fresh embedded database; every log line is kept in `logs`. */
export async function rightsApp(env: Record<string, string> = {}, options: OpenRightsOptions = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rights-app-"));
  const logs: string[] = [];
  const log = (line: string) => void logs.push(line);
  const rights = await openRights(readEnv({ DATA_DIR: dataDir, STAFF_TOKEN, ...env }), log, { pollMs: 200, ...options });
  const app = createApp({ knowledge: siteDirectory(), staffToken: STAFF_TOKEN, rights, log });
  return {
    app,
    rights,
    logs,
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

import { checkEnv, checkOrigins, checkPort, checkStaffToken } from "./config.js";
import { checkCorpus, checkEmbedder, checkIndex, checkModelFolder } from "./knowledge.js";
import { checkDatabase, checkSmtp, checkWebhook } from "./services.js";
import type { CheckResult } from "./types.js";

export { checkEnv, checkOrigins, checkPort, checkStaffToken } from "./config.js";
export { checkCorpus, checkEmbedder, checkIndex, checkModelFolder } from "./knowledge.js";
export { checkDatabase, checkSmtp, checkWebhook } from "./services.js";
export type { CheckResult, Status } from "./types.js";

export interface DoctorOptions {
  /** How long each network check (database, SMTP, webhook, model hub) may take. */
  timeoutMs?: number;
}

/**
 * Every configuration check, in the order start-up meets them, without starting the server.
 * @example const results = await runDoctor(); // process.env, read by server/env.ts results.some((r) => r.status === "fail");
 */
export async function runDoctor(
  source?: Record<string, string | undefined>,
  { timeoutMs = 5_000 }: DoctorOptions = {},
): Promise<CheckResult[]> {
  const { result, env } = checkEnv(source);
  if (!env) return [result];
  const embedder = await checkEmbedder(env, { hubTimeoutMs: timeoutMs });
  const corpus = await checkCorpus(env);
  const siteUrls = corpus.documents.map((document) => ({ site: document.site, url: document.meta.url }));
  return [
    result,
    await checkPort(env),
    await checkStaffToken(env),
    embedder.result,
    checkModelFolder(env),
    corpus.result,
    await checkIndex(env, embedder.info),
    checkOrigins(env, siteUrls),
    await checkDatabase(env, { timeoutMs }),
    await checkSmtp(env, { timeoutMs }),
    await checkWebhook(env, { timeoutMs }),
  ];
}

/** One line: the verdict, the check's name, what was found and what to do. */
export function formatResult({ status, check, message }: CheckResult): string {
  return `${status.padEnd(4)}  ${check.padEnd(8)}  ${message}`;
}

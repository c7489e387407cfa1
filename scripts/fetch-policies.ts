/**
 * npm run fetch-policies [-- --site SITE]: downloads every corpus document whose front matter names `source: <url>`,
 * saves the extracted policy when it changed, and notes the change in the site's changelog. Prints one line per
 * document and a JSON summary; exit code 1 when a page could not be fetched or read.
 */
import { UsageError } from "./cli.js";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { readEnv } from "../server/env.js";
import { fetchPolicies } from "../server/fetch/fetch-policies.js";

const { values } = parseArgs({ options: { site: { type: "string" }, corpus: { type: "string" } } });
const env = readEnv({ ...process.env, ...(values.corpus ? { CORPUS_DIR: values.corpus } : {}) });
if (!existsSync(env.CORPUS_DIR)) throw new UsageError(`corpus folder ${env.CORPUS_DIR} does not exist (--corpus or CORPUS_DIR)`);
let outcomes: Awaited<ReturnType<typeof fetchPolicies>>;
try {
  outcomes = await fetchPolicies({ corpusDir: env.CORPUS_DIR, site: values.site, log: (line) => console.error(line) });
} catch (error) {
  throw new UsageError(error instanceof Error ? error.message : String(error));
}
if (outcomes.length === 0) console.error("no document names a `source:` URL in its front matter; nothing to fetch");
if (outcomes.some((outcome) => outcome.outcome === "changed")) {
  console.error("a running server re-indexes the saved files by itself; otherwise `npm run ingest` or the next `npm start` does");
}
console.log(JSON.stringify(outcomes));
process.exit(outcomes.some((outcome) => outcome.outcome === "failed") ? 1 : 0);

/** npm run ingest [-- --corpus DIR --index DIR]: chunk and embed the corpus into the index. */
import { UsageError } from "./cli.js";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { readEnv } from "../server/env.js";
import { embedderFromEnv, ingest, missingFieldsWarning } from "../server/knowledge/index.js";

const { values } = parseArgs({ options: { corpus: { type: "string" }, index: { type: "string" } } });
const env = readEnv({
  ...process.env,
  ...(values.corpus ? { CORPUS_DIR: values.corpus } : {}),
  ...(values.index ? { INDEX_DIR: values.index } : {}),
});
if (!existsSync(env.CORPUS_DIR)) throw new UsageError(`corpus folder ${env.CORPUS_DIR} does not exist (--corpus or CORPUS_DIR)`);
const embedder = await embedderFromEnv(env, (line) => console.error(line));

const bar = process.stderr.isTTY
  ? new cliProgress.SingleBar(
      { stream: process.stderr, format: "embedding [{bar}] {value}/{total} passages" },
      cliProgress.Presets.shades_classic,
    )
  : undefined;
let lastLine = 0;
const summary = await ingest({
  corpusDir: env.CORPUS_DIR,
  indexDir: env.INDEX_DIR,
  embedder,
  onProgress(done, total) {
    if (bar) {
      if (done === 0) bar.start(total, 0);
      else bar.update(done);
    } else if (total > 0 && (done === total || done - lastLine >= 64)) {
      lastLine = done;
      console.error(`embedding ${done}/${total} passages`);
    }
  },
});
bar?.stop();

for (const failure of summary.failures) console.error(`FAILED ${failure.path}: ${failure.reason}`);
for (const warning of summary.warnings) console.error(`warning: ${missingFieldsWarning(warning)}`);
console.error(
  `ingested ${summary.documents} documents, ${summary.sections} sections, ${summary.chunks} chunks ` +
    `(${summary.embedded} embedded, ${summary.reused} unchanged) in ${summary.seconds.toFixed(1)} s` +
    (summary.removedDocuments.length ? `; removed ${summary.removedDocuments.join(", ")}` : ""),
);
console.log(JSON.stringify(summary));
process.exit(summary.failures.length > 0 ? 1 : 0);

/** npm run ask -- --site SITE "question": prints the /api/ask JSON, answered by the server's own code. */
import { UsageError } from "./cli.js";
import { parseArgs } from "node:util";
import { createAssistant } from "../server/assistant.js";
import { readEnv } from "../server/env.js";
import { embedderFromEnv, ingest, openKnowledge } from "../server/knowledge/index.js";
import { loadLanguageModel } from "../server/language/index.js";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { site: { type: "string" } } });
const question = positionals.join(" ").trim();
if (!values.site || !question) throw new UsageError('usage: npm run ask -- --site SITE "your question"');
const env = readEnv();
const embedder = await embedderFromEnv(env, (line) => console.error(line));
await ingest({ corpusDir: env.CORPUS_DIR, indexDir: env.INDEX_DIR, embedder });
const language = await loadLanguageModel({ embedder, dataDir: env.DATA_DIR, log: (line) => console.error(line) });
const knowledge = await openKnowledge({ indexDir: env.INDEX_DIR, embedder, language });
if (!knowledge.site(values.site)) {
  throw new UsageError(
    `unknown site "${values.site}"; sites: ${knowledge
      .sites()
      .map((s) => s.site)
      .join(", ")}`,
  );
}
console.log(JSON.stringify(await createAssistant(knowledge).ask(question, values.site), null, 2));

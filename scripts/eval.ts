/**
 * npm run eval -- FILE [--index DIR]: runs a question set through the server's own code and prints metrics as JSON.
 * Seed format: answer hit@1/@3 by gold quote, abstentions, rights requests. SQuAD/PolicyQA: each policy indexed as
 * its own site, recall@1/3/5 and MRR@5 of the passage holding the gold answer, mean words per returned passage.
 */
import { readJsonFile, UsageError } from "./cli.js";
import { createHash } from "node:crypto";
import { cp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { readEnv } from "../server/env.js";
import { evaluateSeed, evaluateSquad, seedFileSchema, squadFileSchema, writeSquadCorpus } from "../server/evaluation/evaluate.js";
import { embedderFromEnv, ingest, openKnowledge } from "../server/knowledge/index.js";
import { createAssistant } from "../server/assistant.js";
import { type LanguageModel, loadLanguageModel } from "../server/language/index.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    index: { type: "string" },
    corpus: { type: "string" },
    rules: { type: "boolean" },
    "without-adapter": { type: "boolean" },
    model: { type: "string" },
    policies: { type: "string" },
    details: { type: "boolean" },
    "max-words": { type: "string" },
    "target-words": { type: "string" },
    "lexical-weight": { type: "string" },
    "sentence-weight": { type: "string" },
    "sentence-dense-weight": { type: "string" },
    "topic-weight": { type: "string" },
    "expansion-weight": { type: "string" },
    "topic-sure": { type: "string" },
    rescue: { type: "string" },
    "quote-from": { type: "string" },
    "off-topic": { type: "string" },
    "min-dense": { type: "string" },
    "min-coverage": { type: "string" },
    verify: { type: "string" },
    veto: { type: "string" },
    "verify-from": { type: "string" },
  },
});
const file = positionals[0];
if (!file) throw new UsageError("usage: npm run eval -- FILE   (seed-questions.json or a SQuAD-format file such as policyqa-dev.json)");
const raw = await readJsonFile(file);
const env = readEnv(values.index ? { ...process.env, INDEX_DIR: values.index } : process.env);
const log = (line: string) => console.error(line);
// Design exploration only: the product runs on the defaults.
const chunking = {
  ...(values["max-words"] ? { maxWords: Number(values["max-words"]) } : {}),
  ...(values["target-words"] ? { targetWords: Number(values["target-words"]) } : {}),
};
const retriever = {
  ...(values["lexical-weight"] ? { lexicalWeight: Number(values["lexical-weight"]) } : {}),
  ...(values["sentence-weight"] ? { sentenceWeight: Number(values["sentence-weight"]) } : {}),
  ...(values["expansion-weight"] ? { expansionWeight: Number(values["expansion-weight"]) } : {}),
  ...(values["topic-weight"] ? { topicWeight: Number(values["topic-weight"]) } : {}),
  ...(values["sentence-dense-weight"] ? { sentenceDenseWeight: Number(values["sentence-dense-weight"]) } : {}),
};
const embedder = await embedderFromEnv(env, log);
// --rules: the rule tables alone, without the language layer (the comparison the language layer is measured against).
// --model FILE: a language model trained apart (cross-validation: `npm run train -- --hold-out A,B --out FILE`).
const trained = values.rules
  ? undefined
  : values.model
    ? (JSON.parse(await readFile(values.model, "utf8")) as LanguageModel)
    : await loadLanguageModel({ embedder, dataDir: env.DATA_DIR, log });
// --without-adapter: the layer searching with the encoder's own question vectors (what the query adapter adds).
const language = trained && values["without-adapter"] ? { ...trained, queryAdapter: undefined } : trained;

const seed = seedFileSchema.safeParse(raw);
if (seed.success) {
  // --corpus DIR adds a folder of sites (a test fixture) to the corpus, in an index of its own.
  const corpusDir = values.corpus
    ? await mergeCorpora([env.CORPUS_DIR, values.corpus], path.join(env.DATA_DIR, "eval", "merged-corpus"))
    : env.CORPUS_DIR;
  const indexDir = values.corpus ? path.join(env.DATA_DIR, "eval", "merged-index") : env.INDEX_DIR;
  await ingest({ corpusDir, indexDir, embedder });
  const assistant = createAssistant(await openKnowledge({ indexDir, embedder, language, retriever }), {
    rulesOnly: values.rules,
    decision: {
      ...(values["topic-sure"] ? { topicSure: Number(values["topic-sure"]) } : {}),
      ...(values.rescue ? { rescue: Number(values.rescue) } : {}),
      ...(values["quote-from"] ? { quoteFrom: Number(values["quote-from"]) } : {}),
      ...(values["off-topic"] ? { offTopic: Number(values["off-topic"]) } : {}),
      ...(values["min-dense"] ? { minDense: Number(values["min-dense"]) } : {}),
      ...(values["min-coverage"] ? { minCoverage: Number(values["min-coverage"]) } : {}),
      ...(values.verify ? { verify: Number(values.verify) } : {}),
      ...(values.veto ? { veto: Number(values.veto) } : {}),
      ...(values["verify-from"] ? { verifyFrom: Number(values["verify-from"]) } : {}),
    },
    explain: values.details ? (line) => log(`  ${line}`) : undefined,
  });
  const report = await evaluateSeed(seed.data, async (question, site) => {
    const reply = await assistant.ask(question, site);
    // --details: one line per question on stderr, to read what the assistant did.
    if (values.details)
      log(
        `${site}\t${question}\t${reply.kind}${reply.right ? `:${reply.right}` : ""}\t${reply.text.slice(0, 160).replace(/\s+/g, " ")}\t${reply.citations.map((c) => c.topics?.slice(0, 2).join("+")).join(" | ")}`,
      );
    return reply;
  });
  console.log(JSON.stringify({ file, embedder: embedder.info.id, ...report }, null, 2));
} else {
  const squad = squadFileSchema.safeParse(raw);
  if (!squad.success)
    throw new UsageError(`${file} is neither the seed format ({questions:[...]}) nor SQuAD ({data:[{title, paragraphs}]})`);
  const key = createHash("sha256").update(JSON.stringify(raw)).digest("hex").slice(0, 12);
  const workDir = path.join(env.DATA_DIR, "eval", `${key}-${chunking.maxWords ?? "d"}-${chunking.targetWords ?? "d"}`);
  const corpusDir = path.join(workDir, "corpus");
  const sites = await writeSquadCorpus(squad.data, corpusDir);
  const summary = await ingest({
    corpusDir,
    indexDir: path.join(workDir, "index"),
    embedder,
    chunking,
    onProgress: (done, total) => (done % 256 === 0 || done === total) && total > 0 && log(`embedding ${done}/${total} passages`),
  });
  log(`indexed ${summary.documents} policies as ${summary.chunks} passages in ${summary.seconds.toFixed(1)} s`);
  const knowledge = await openKnowledge({ indexDir: path.join(workDir, "index"), embedder, language, retriever });
  // --policies A,B: score only these policies' questions (the held-out fold of a cross-validation).
  const only = values.policies ? new Set(values.policies.split(",")) : undefined;
  const kept = squad.data.data.flatMap((policy, i) => (!only || only.has(policy.title) ? [{ policy, site: sites[i] ?? "" }] : []));
  const report = await evaluateSquad(
    { data: kept.map((k) => k.policy) },
    kept.map((k) => k.site),
    (q, site, limit) => knowledge.search(q, site, limit),
    (done, total) => log(`${done}/${total} questions`),
  );
  console.log(JSON.stringify({ file, embedder: embedder.info.id, passages: summary.chunks, ...report }, null, 2));
}

async function mergeCorpora(dirs: string[], into: string): Promise<string> {
  await rm(into, { recursive: true, force: true });
  for (const dir of dirs) await cp(dir, into, { recursive: true });
  return into;
}

/**
 * npm run bench [-- QUESTIONS.json]: cold start to first answer, warm /api/ask latency (p50/p95) over a question
 * set, /api/ask throughput at 1 and 16 connections (autocannon, the set's questions in turn), ingest time of the
 * corpus into a fresh index, index size, resident memory, widget size. Prints a table and writes bench-results.json.
 *
 * npm run bench -- --memory [QUESTIONS.json]: resident memory of a server on the embedded defaults at start, after
 * 1,000 questions, after 1,000 intake requests and after a restart (scripts/bench/memory-run.ts); writes
 * bench-memory.json.
 */
import { readJsonFile, UsageError } from "./cli.js";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { readEnv } from "../server/env.js";
import { ensureBuilt } from "./build-widget.js";
import { embedderFromEnv, ingest } from "../server/knowledge/index.js";
import { seedFileSchema } from "../server/evaluation/evaluate.js";
import { askLoad } from "./bench/ask-load.js";
import { measureMemory } from "./bench/memory-run.js";
import { peakRssMiB } from "./bench/memory.js";
import { startBenchServer, UNLIMITED_QUESTIONS } from "./bench/server.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { memory: { type: "boolean", default: false }, seconds: { type: "string", default: "10" } },
});
const questionsFile = positionals[0] ?? "tests/fixtures/heldout-questions.json";
const parsedQuestions = seedFileSchema.safeParse(await readJsonFile(questionsFile));
if (!parsedQuestions.success) throw new UsageError(`${questionsFile} is not a seed-format question set ({questions:[...]})`);
const questions = parsedQuestions.data.questions;
const env = readEnv();
const round = (value: number) => Math.round(value * 10) / 10;

if (values.memory) {
  const memory = await measureMemory(env.INDEX_DIR, questions);
  console.table({
    "RSS after first start, empty DATA_DIR (MiB)": round(memory.atFirstStart),
    [`RSS after ${memory.count} questions (MiB)`]: round(memory.afterQuestions),
    [`RSS after ${memory.count} intake requests (MiB)`]: round(memory.afterIntake),
    "RSS after a restart on that DATA_DIR (MiB)": round(memory.atRestart),
    "first start to ready (ms)": Math.round(memory.firstStartMs),
    "restart to ready (ms)": Math.round(memory.restartMs),
  });
  console.log("statuses: questions", memory.askStatuses, "intake", memory.intakeStatuses);
  const results = { ...memory, machine: { cpus: os.cpus().length, node: process.version }, measuredAt: new Date().toISOString() };
  await writeFile("bench-memory.json", JSON.stringify(results, null, 2));
  console.log("wrote bench-memory.json");
  process.exit(0);
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? await folderSize(full) : (await stat(full)).size;
  }
  return total;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// 1. Ingest of the corpus into a fresh index (everything embedded), then an unchanged re-run.
const scratch = await mkdtemp(path.join(os.tmpdir(), "bench-index-"));
const embedder = await embedderFromEnv(env, () => {});
const fresh = await ingest({ corpusDir: env.CORPUS_DIR, indexDir: scratch, embedder });
const rerun = await ingest({ corpusDir: env.CORPUS_DIR, indexDir: scratch, embedder });
const indexBytes = await folderSize(scratch);
await rm(scratch, { recursive: true, force: true });

// 2. Cold start: a new server process on the built index, timed to its first answer. The question guards are lifted:
// the bench is one client asking as fast as it can, and no 429 or 503 may stand in for an answer.
const server = await startBenchServer({ ...UNLIMITED_QUESTIONS, INDEX_DIR: env.INDEX_DIR });
const began = performance.now();
const ask = async (question: string, site: string) => {
  const response = await fetch(`${server.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question, site }),
  });
  if (!response.ok) throw new Error(`ask answered ${response.status}`);
  return response.json();
};
let coldStartMs = NaN;
const first = questions[0];
for (let attempt = 0; attempt < 2400 && first; attempt++) {
  try {
    await ask(first.question, first.site);
    coldStartMs = performance.now() - began;
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const rssAtStartMiB = await server.rssMiB();

// 3. Warm latency: every question three times after one warm-up pass.
for (const q of questions) await ask(q.question, q.site);
const latencies: number[] = [];
for (let round = 0; round < 3; round++) {
  for (const q of questions) {
    const start = performance.now();
    await ask(q.question, q.site);
    latencies.push(performance.now() - start);
  }
}
latencies.sort((a, b) => a - b);

// 4. Throughput: one connection, then sixteen, each asking the set's questions in turn.
const seconds = Number(values.seconds);
const single = await askLoad(server.url, questions, 1, seconds);
const sixteen = await askLoad(server.url, questions, 16, seconds);
const rssAfterLoadMiB = await server.rssMiB();
const peakMainRssMiB = await peakRssMiB(server.pid);
await server.stop();

// What a host page loads up front; the request form and other languages are loaded on demand.
// Built first if its sources are newer: a stale dist/ would report an old size.
const widgetGzipKiB = ((await ensureBuilt({ log: () => {} })).widget?.initialGzip ?? Number.NaN) / 1024;

const results = {
  embedder: embedder.info.id,
  questions: { file: questionsFile, count: questions.length, timedRequests: latencies.length },
  askLatencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1) ?? NaN },
  coldStartToFirstAnswerMs: coldStartMs,
  ingest: { documents: fresh.documents, chunks: fresh.chunks, seconds: fresh.seconds, unchangedRerunSeconds: rerun.seconds },
  indexSizeKiB: indexBytes / 1024,
  askThroughput: { single, sixteen, ratio: sixteen.requestsPerSecond / single.requestsPerSecond, seconds },
  serverRssMiB: { atStart: rssAtStartMiB, afterLoad: rssAfterLoadMiB, peakMainProcess: peakMainRssMiB },
  widgetGzipKiB,
  machine: { cpus: os.cpus().length, node: process.version },
  measuredAt: new Date().toISOString(),
};
console.table({
  "ask p50 (ms)": round(results.askLatencyMs.p50),
  "ask p95 (ms)": round(results.askLatencyMs.p95),
  "ask req/s, 1 connection": round(single.requestsPerSecond),
  "ask p50 at 1 connection, autocannon (ms)": single.p50Ms,
  "ask req/s, 16 connections": round(sixteen.requestsPerSecond),
  "ask p50 at 16 connections, autocannon (ms)": sixteen.p50Ms,
  "16 / 1 connection throughput": Math.round(results.askThroughput.ratio * 100) / 100,
  "ask non-2xx / errors (1 and 16 connections)": `${single.non2xx + sixteen.non2xx} / ${single.errors + sixteen.errors}`,
  "cold start to first answer (ms)": round(coldStartMs),
  [`ingest ${fresh.chunks} passages (s)`]: round(fresh.seconds),
  "ingest, unchanged corpus (s)": round(rerun.seconds),
  "index size (KiB)": round(results.indexSizeKiB),
  "server RSS at start, process tree (MiB)": round(rssAtStartMiB),
  "server RSS after the load, process tree (MiB)": round(rssAfterLoadMiB),
  "widget gzipped, up front (KiB)": round(widgetGzipKiB),
});
await writeFile("bench-results.json", JSON.stringify(results, null, 2));
console.log("wrote bench-results.json");

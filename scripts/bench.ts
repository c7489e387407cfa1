/**
 * npm run bench [-- QUESTIONS.json]: cold start to first answer, warm /api/ask latency (p50/p95) over a question
 * set, ingest time of the corpus into a fresh index, index size, peak resident memory, widget size.
 * Prints a table and writes bench-results.json.
 */
import { readJsonFile, UsageError } from "./cli.js";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { freePort } from "./free-port.js";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { readEnv } from "../server/env.js";
import { widgetSize } from "./build-widget.js";
import { embedderFromEnv, ingest } from "../server/knowledge/index.js";
import { seedFileSchema } from "../server/knowledge/evaluate.js";

const { positionals } = parseArgs({ allowPositionals: true });
const questionsFile = positionals[0] ?? "tests/fixtures/heldout-questions.json";
const parsedQuestions = seedFileSchema.safeParse(await readJsonFile(questionsFile));
if (!parsedQuestions.success) throw new UsageError(`${questionsFile} is not a seed-format question set ({questions:[...]})`);
const questions = parsedQuestions.data.questions;
const env = readEnv();

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

// 2. Cold start: a new server process on the built index, timed to its first answer.
const port = await freePort();
const dataDir = await mkdtemp(path.join(os.tmpdir(), "bench-data-"));
const began = performance.now();
const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
  // The bench is one client asking as fast as it can: its budget must not be a visitor's.
  env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, INDEX_DIR: env.INDEX_DIR, ASK_RATE_LIMIT: "1000000" },
  stdio: ["ignore", "ignore", "inherit"],
});
const ask = async (question: string, site: string) => {
  const response = await fetch(`http://127.0.0.1:${port}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question, site }),
  });
  if (!response.ok) throw new Error(`ask answered ${response.status}`);
  return response.json();
};
let coldStartMs = NaN;
const first = questions[0];
for (let attempt = 0; attempt < 1200 && first; attempt++) {
  try {
    await ask(first.question, first.site);
    coldStartMs = performance.now() - began;
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
const peakRssMiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
child.kill("SIGTERM");
await rm(dataDir, { recursive: true, force: true });

// What a host page loads up front; the request form and other languages are loaded on demand.
const widgetGzipKiB = ((await widgetSize())?.initialGzip ?? Number.NaN) / 1024;

const results = {
  embedder: embedder.info.id,
  questions: { file: questionsFile, count: questions.length, timedRequests: latencies.length },
  askLatencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1) ?? NaN },
  coldStartToFirstAnswerMs: coldStartMs,
  ingest: { documents: fresh.documents, chunks: fresh.chunks, seconds: fresh.seconds, unchangedRerunSeconds: rerun.seconds },
  indexSizeKiB: indexBytes / 1024,
  serverPeakRssMiB: peakRssMiB,
  widgetGzipKiB,
  machine: { cpus: os.cpus().length, node: process.version },
  measuredAt: new Date().toISOString(),
};
const round = (value: number) => Math.round(value * 10) / 10;
console.table({
  "ask p50 (ms)": round(results.askLatencyMs.p50),
  "ask p95 (ms)": round(results.askLatencyMs.p95),
  "cold start to first answer (ms)": round(coldStartMs),
  [`ingest ${fresh.chunks} passages (s)`]: round(fresh.seconds),
  "ingest, unchanged corpus (s)": round(rerun.seconds),
  "index size (KiB)": round(results.indexSizeKiB),
  "server peak RSS (MiB)": round(peakRssMiB),
  "widget gzipped, up front (KiB)": round(widgetGzipKiB),
});
await writeFile("bench-results.json", JSON.stringify(results, null, 2));
console.log("wrote bench-results.json");

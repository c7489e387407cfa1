/**
 * npm run overload: the hardening issue's attacks on /api/ask against a real server on the repository's corpus.
 * 1. Bodies of 100 MB and 400 MB, streamed: the answer, and the server's resident memory after.
 * 2. 50 connections for 10 s (autocannon) over varied questions, from one client (its budget applies) and with the
 *    budget lifted (as if from many clients, so load shedding answers): the statuses, the slowest answer.
 * Passes when no answer took longer than 5 s and every refusal is a 429 or a 503. Writes overload-results.json.
 */
import "./cli.js";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import { freePort } from "./free-port.js";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { readEnv } from "../server/env.js";

/** Written for this script; varied so that no cache answers them all. */
const QUESTIONS = [
  "how long do you keep my data",
  "do you sell my information",
  "who can i contact about privacy",
  "what cookies do you use",
  "can i get a copy of my data",
  "do you share my details with partners",
  "where is my data stored",
  "how do you protect my information",
  "do you use my data for marketing",
  "what happens to my data if i close my account",
];
const SITE = "altoros";
const MAX_WAIT_MS = 5000;

const env = readEnv();
async function startServer(extraEnv: Record<string, string>) {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "overload-data-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, INDEX_DIR: env.INDEX_DIR, LOG_LEVEL: "warn", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ready = await fetch(`${url}/api/health/ready`).catch(() => undefined);
    if (ready?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const rssMb = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, "utf8");
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  };
  return { url, port, rssMb, stop: () => child.kill("SIGTERM") };
}

/** Streams `megabytes` of JSON-looking bytes to /api/ask without holding them; resolves with the status. */
function hugeBody(port: number, megabytes: number): Promise<{ status: number; ms: number }> {
  const began = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/ask",
        headers: { "content-type": "application/json", "content-length": megabytes * 1024 * 1024 },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: Math.round(performance.now() - began) }));
      },
    );
    // The server may answer and close before the body is sent: that is the point.
    request.on("error", () => {});
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < megabytes) {
        sent++;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      request.end();
    };
    pump();
  });
}

async function fiftyConnections(url: string) {
  const result = await autocannon({
    url: `${url}/api/ask`,
    connections: 50,
    duration: 10,
    timeout: 10,
    requests: QUESTIONS.map((question) => ({
      method: "POST" as const,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question, site: SITE }),
    })),
  });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count]));
  return {
    requests: result.requests.total,
    statuses,
    timeouts: result.timeouts,
    errors: result.errors,
    slowestMs: result.latency.max,
    p99Ms: result.latency.p99,
  };
}

const report: Record<string, unknown> = {};

// 1. and 2a: the shipped defaults, one client.
{
  const server = await startServer({});
  report.rssAtStartMb = await server.rssMb();
  report.body100Mb = await hugeBody(server.port, 100);
  report.body400Mb = await Promise.all([1, 2, 3, 4].map(() => hugeBody(server.port, 400)));
  report.rssAfterHugeBodiesMb = await server.rssMb();
  report.oneClient = await fiftyConnections(server.url);
  server.stop();
}
// 2b. The per-client budget lifted: only load shedding stands between 50 connections and the event loop.
{
  const server = await startServer({ ASK_RATE_LIMIT: "1000000" });
  report.manyClients = await fiftyConnections(server.url);
  report.rssAfterLoadMb = await server.rssMb();
  server.stop();
}

const runs = [report.oneClient, report.manyClients] as Array<{ statuses: Record<string, number>; slowestMs: number; timeouts: number }>;
const bounded = runs.every((run) => run.slowestMs <= MAX_WAIT_MS && run.timeouts === 0);
const refusalsKnown = runs.every((run) => Object.keys(run.statuses).every((code) => ["200", "429", "503"].includes(code)));
report.passes = { slowestUnder5s: bounded, everyRefusal429or503: refusalsKnown };
console.log(JSON.stringify(report, null, 2));
await writeFile("overload-results.json", `${JSON.stringify(report, null, 2)}\n`);
if (!bounded || !refusalsKnown) process.exitCode = 1;

import type { BenchQuestion } from "./ask-load.js";
import { startBenchServer, UNLIMITED_QUESTIONS } from "./server.js";

/** How long memory is left to settle (timers, the first collections) before a reading. */
const SETTLE_MS = 3_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Counts of answers by status, e.g. { "200": 1000 }. */
type Statuses = Record<string, number>;
function tally(statuses: Statuses, status: number): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

/**
 * Resident memory of a server on the embedded defaults (PGlite, no DATABASE_URL), process tree, in MiB: after its first
 * start on an empty DATA_DIR, after `count` questions, after `count` intake requests (each from its own address through
 * TRUST_PROXY=1, so the per-address budget does not refuse them), and after a restart on the same folder.
 */
export async function measureMemory(indexDir: string, questions: BenchQuestion[], count = 1000) {
  const env = { ...UNLIMITED_QUESTIONS, INDEX_DIR: indexDir, TRUST_PROXY: "1" };
  const server = await startBenchServer(env);
  const firstStartMs = await server.ready();
  await settle();
  const atFirstStart = await server.rssMiB();
  const askStatuses: Statuses = {};
  for (let i = 0; i < count; i++) {
    const q = questions[i % questions.length]!;
    tally(askStatuses, await post(`${server.url}/api/ask`, { question: q.question, site: q.site }));
  }
  await settle();
  const afterQuestions = await server.rssMiB();
  const intakeStatuses: Statuses = {};
  const site = questions[0]?.site ?? "";
  for (let i = 0; i < count; i++) {
    const body = {
      site,
      right: "access",
      email: `bench-${i}@example.com`,
      name: "Bench",
      country: "DE",
      details: "A copy of my data, please.",
      source: "form",
    };
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    tally(intakeStatuses, await post(`${server.url}/api/requests`, body, { "idempotency-key": `bench-${i}`, "x-forwarded-for": address }));
  }
  await settle();
  const afterIntake = await server.rssMiB();
  await server.stop({ keepData: true });
  const restarted = await startBenchServer(env, server.dataDir);
  const restartMs = await restarted.ready();
  await settle();
  const atRestart = await restarted.rssMiB();
  await restarted.stop();
  return { count, firstStartMs, atFirstStart, afterQuestions, askStatuses, afterIntake, intakeStatuses, restartMs, atRestart };
}

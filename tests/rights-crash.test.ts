import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_TOKEN } from "./rights-support/app.js";
import { startSmtp } from "./rights-support/smtp.js";
import { startWebhookReceiver } from "./rights-support/webhook-receiver.js";
import { intakeWorkload, type Reply } from "./rights-support/intake-workload.js";

/**
 * Crash test: the real server runs as a child process over the embedded database and is SIGKILLed at
 * random moments while clients create and verify requests, retrying with the same Idempotency-Key after
 * each crash. Afterwards every request that got a 201 exists exactly once and the helpdesk has each verified one.
 */
const TARGET_CREATED = 240;
const WORKERS = 6;
const SECRET = "crash-test-webhook-secret";
const root = path.resolve(import.meta.dirname, "..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let dataDir: string;
let child: ChildProcess | null = null;
let baseUrl: string | null = null;
const serverLog: string[] = [];

/** The server writes JSON lines only; a line that is not JSON is kept and fails the test at the end. */
const notJson: string[] = [];
function messageOf(line: string): string {
  try {
    return String((JSON.parse(line) as { msg?: unknown }).msg ?? "");
  } catch {
    notJson.push(line);
    return "";
  }
}

function startServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const options = {
      pollMs: 200,
      limits: { createPerAddress: { limit: 100_000, windowMs: 60_000 }, codePerAddress: { limit: 100_000, windowMs: 60_000 } },
      webhook: { retryBaseMs: 200, retryMaxMs: 2_000, leaseMs: 1_500 },
      mail: { retryBaseMs: 200, leaseMs: 1_500 },
    };
    const started = spawn(process.execPath, ["--import", "tsx", "tests/rights-support/crash-server.ts", JSON.stringify(options)], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: "0",
        HOST: "127.0.0.1",
        STAFF_TOKEN,
        SMTP_URL: smtp.url,
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: SECRET,
        CORPUS_DIR: path.join(root, "tests/fixtures/rights-corpus"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    started.once("exit", () => {
      serverLog.push("-- exit");
      if (child === started) {
        child = null;
        baseUrl = null;
      }
      reject(new Error("server exited before listening"));
    });
    createInterface({ input: started.stderr! }).on("line", (line) => serverLog.push(`stderr: ${line}`));
    createInterface({ input: started.stdout! }).on("line", (line) => {
      serverLog.push(line);
      const url = messageOf(line).match(/^listening on (http:\S+)/)?.[1];
      if (url) {
        baseUrl = url;
        resolve();
      }
    });
  });
}

async function killServer(): Promise<void> {
  const running = child;
  if (!running) return;
  const exited = new Promise((resolve) => running.once("exit", resolve));
  baseUrl = null;
  running.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startWebhookReceiver({ secret: SECRET, failFirst: 3 });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "rights-crash-"));
});
afterAll(async () => {
  await killServer();
  await receiver?.close();
  await smtp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const serverErrors: string[] = [];

/** Posts until the server gives an answer that is not a lost connection; a crash in between just means retry. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  for (;;) {
    const base = baseUrl;
    if (!base) {
      await sleep(50);
      continue;
    }
    try {
      const response = await fetch(base + url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
      const parsed = await response.json();
      if (response.status >= 500) {
        serverErrors.push(`${url} -> ${response.status} ${JSON.stringify(parsed)}`);
        await sleep(100);
        continue;
      }
      return { status: response.status, body: parsed };
    } catch {
      await sleep(50);
    }
  }
}

describe("crash test: SIGKILL during intake", () => {
  it(`keeps every acknowledged request exactly once across random SIGKILLs (${TARGET_CREATED} requests)`, async () => {
    const started = Date.now();
    await startServer();
    const workload = intakeWorkload({
      target: TARGET_CREATED,
      workers: WORKERS,
      prefix: "crash",
      post: (_client, url, body, headers) => post(url, body, headers),
      codeFor: (email) => smtp.codeFor(email, 60_000).catch(() => null),
      pauseMs: [200, 500],
    });
    const { acknowledged, verified, unexpected } = workload;

    let kills = 0;
    const killer = async (stopped: () => boolean) => {
      while (!stopped()) {
        // Up for 1-3 s between kills: on a loaded machine a restart takes seconds, and shorter lives starve the e-mail
        // outbox (codes arrive late, not never).
        await sleep(between(1_000, 3_000));
        if (stopped()) break;
        await killServer();
        kills++;
        // Sometimes kill again during start-up, before the server listens.
        if (Math.random() < 0.25) {
          const restarting = startServer().catch(() => {});
          await sleep(between(100, 900));
          if (baseUrl === null) {
            await killServer();
            kills++;
          }
          await restarting;
        }
        if (!child) await startServer();
      }
    };

    const createdAfter = await workload.run(killer, started + 150_000);
    if (!child) await startServer();

    // The hand-off survives the crashes: wait for the helpdesk to hold every verified request.
    await workload.handedOff(() => receiver.references(), 30_000);

    const list = await fetch(`${baseUrl}/api/staff/requests?limit=5000`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
    const { requests } = (await list.json()) as { requests: Array<{ reference: string; email: string; status: string }> };
    const { missing, duplicated, undelivered, notPending } = workload.compare(requests, receiver.references());
    const leaks = serverLog.filter((line) => line.includes("@example.test") || line.includes("crash person"));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `crash test: ${kills} SIGKILLs in ${seconds.toFixed(1)} s (all 201s by ${createdAfter.toFixed(1)} s); ${acknowledged.size} requests acknowledged (201), ${requests.length} stored, ` +
        `${verified.size} verified, ${receiver.references().size} delivered to the helpdesk ` +
        `(${JSON.stringify(receiver.stats())}); ${serverErrors.length} 5xx; ${unexpected.length} unexpected replies`,
    );
    const logFile = path.join(os.tmpdir(), "rights-crash-server.log");
    writeFileSync(logFile, `${serverLog.join("\n")}\n`);
    if (unexpected.length) console.log(`server log: ${logFile}; SMTP received ${smtp.messages.length} messages`);
    expect({ missing, duplicated, undelivered, notPending, unexpected, serverErrors, leaks, notJson }).toEqual({
      missing: [],
      duplicated: [],
      undelivered: [],
      notPending: [],
      unexpected: [],
      serverErrors: [],
      leaks: [],
      notJson: [],
    });
    expect(acknowledged.size).toBe(TARGET_CREATED);
    expect(requests.length).toBe(TARGET_CREATED);
    expect(verified.size).toBe(TARGET_CREATED / 2);
    expect(kills).toBeGreaterThanOrEqual(5);
  }, 240_000);
});

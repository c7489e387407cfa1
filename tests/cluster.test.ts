import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openPostgres } from "../server/rights/db.js";
import { NO_POSTGRES_MESSAGE } from "./rights-support/backends.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "./rights-support/postgres.js";
import { postFrom, startProxy, type TestProxy } from "./rights-support/proxy.js";
import { startSmtp } from "./rights-support/smtp.js";
import { startWebhookReceiver } from "./rights-support/webhook-receiver.js";
import { intakeWorkload, type Reply } from "./rights-support/intake-workload.js";

/**
 * Several instances, as the README's multi-instance set-up runs them: 3 server processes on one real PostgreSQL
 * behind a round-robin reverse proxy, with TRUST_PROXY=1. Every limit is one budget across them, and SIGKILLs at
 * random among them while clients create and verify (retrying with the same Idempotency-Key) lose and duplicate
 * nothing acknowledged; every verified request reaches the helpdesk. The database rows are read directly.
 */
const INSTANCES = 3;
const TARGET_CREATED = Number(process.env.CLUSTER_REQUESTS ?? 300);
const WORKERS = 6;
const SECRET = "cluster-test-webhook-secret";
const root = path.resolve(import.meta.dirname, "..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);
const hasPostgres = postgresBinDir() !== null;
if (!hasPostgres) console.warn(NO_POSTGRES_MESSAGE);

interface Instance {
  child: ChildProcess | null;
  port: number | null;
  dataDir: string;
}

let postgres: TestPostgres;
let db: Db;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let proxy: TestProxy;
const instances: Instance[] = [];
const serverLog: string[] = [];

function start(instance: Instance): Promise<void> {
  const options = {
    pollMs: 200,
    limits: { createPerAddress: { limit: 100_000, windowMs: 60_000 } },
    webhook: { retryBaseMs: 200, retryMaxMs: 2_000, leaseMs: 1_500 },
    mail: { retryBaseMs: 200, leaseMs: 1_500 },
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/rights-support/crash-server.ts", JSON.stringify(options)], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: postgres.url,
        // One key for every instance: a code mailed by one is checked by another.
        SECRET_KEY: "cluster-test-secret-key-of-32-characters!",
        TRUST_PROXY: "1",
        DATA_DIR: instance.dataDir,
        PORT: "0",
        HOST: "127.0.0.1",
        SMTP_URL: smtp.url,
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: SECRET,
        CORPUS_DIR: path.join(root, "tests/fixtures/rights-corpus"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    instance.child = child;
    child.once("exit", () => {
      if (instance.child === child) Object.assign(instance, { child: null, port: null });
      reject(new Error("server exited before listening"));
    });
    createInterface({ input: child.stderr! }).on("line", (line) => serverLog.push(`stderr: ${line}`));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      serverLog.push(line);
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1];
      if (port) {
        instance.port = Number(port);
        resolve();
      }
    });
  });
}

async function kill(instance: Instance): Promise<void> {
  const running = instance.child;
  if (!running) return;
  const exited = new Promise((resolve) => running.once("exit", resolve));
  instance.port = null;
  running.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  if (!hasPostgres) return;
  postgres = await startPostgres();
  db = await openPostgres(postgres.url);
  smtp = await startSmtp();
  receiver = await startWebhookReceiver({ secret: SECRET, failFirst: 3 });
  for (let i = 0; i < INSTANCES; i++) {
    instances.push({ child: null, port: null, dataDir: mkdtempSync(path.join(os.tmpdir(), `cluster-${i}-`)) });
  }
  // The first applies the migrations; the others start together and find them done (advisory lock).
  await start(instances[0]!);
  await Promise.all(instances.slice(1).map(start));
  proxy = await startProxy(() => instances.map((instance) => instance.port));
}, 120_000);
afterAll(async () => {
  for (const instance of instances) {
    await kill(instance);
    rmSync(instance.dataDir, { recursive: true, force: true });
  }
  await proxy?.close();
  await receiver?.close();
  await smtp?.close();
  await db?.close();
  postgres?.stop();
});

/** Each test's clients post from addresses of their own (127.0.0.x), which the proxy forwards in X-Forwarded-For. */
describe.skipIf(!hasPostgres)(`${INSTANCES} instances behind a round-robin proxy on one PostgreSQL`, () => {
  it("spend one budget per client: 60 code attempts per 10 minutes and 5 new requests per e-mail address in all", async () => {
    const junk: number[] = [];
    for (let i = 0; i < 70; i++) {
      junk.push(
        (await postFrom(proxy.port, "127.0.0.50", `/api/requests/PR-0000-${String(i).padStart(4, "0")}/verify`, { code: "000000" })).status,
      );
    }
    // Round-robin: each instance saw about 23 of them; counted alone, none would have refused one.
    expect(junk.filter((s) => s === 404)).toHaveLength(60);
    expect(junk.slice(60)).toEqual(Array(10).fill(429));
    // Another visitor's budget is untouched.
    expect((await postFrom(proxy.port, "127.0.0.51", "/api/requests/PR-0000-9999/verify", { code: "000000" })).status).toBe(404);

    const created: number[] = [];
    for (let i = 0; i < 8; i++) {
      const form = { site: "acme", right: "access", email: "budget@example.test", country: "DE", source: "form" };
      created.push((await postFrom(proxy.port, `127.0.0.${60 + i}`, "/api/requests", form, { "idempotency-key": `budget-${i}` })).status);
    }
    expect(created).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
  }, 60_000);

  it(`SIGKILLs at random among the instances lose and duplicate no acknowledged request (${TARGET_CREATED} requests)`, async () => {
    const began = Date.now();
    const serverErrors: string[] = [];
    let retries = 0;

    /** Client n posts from 127.0.0.(10 + n) until an instance answers; a lost connection or a 502 from the proxy means retry. */
    const post = async (client: number, url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
      for (;;) {
        try {
          const reply = await postFrom(proxy.port, `127.0.0.${10 + client}`, url, body, headers);
          if (reply.status === 502) {
            retries++;
            await sleep(100);
            continue;
          }
          if (reply.status >= 500) {
            serverErrors.push(`${url} -> ${reply.status} ${reply.body}`);
            await sleep(100);
            continue;
          }
          return { status: reply.status, body: JSON.parse(reply.body) };
        } catch {
          retries++;
          await sleep(100);
        }
      }
    };

    const workload = intakeWorkload({
      target: TARGET_CREATED,
      workers: WORKERS,
      prefix: "cluster",
      post,
      codeFor: (email) => smtp.codeFor(email, 60_000).catch(() => null),
      pauseMs: [100, 400],
    });
    const { acknowledged, verified, unexpected } = workload;

    let kills = 0;
    const restarts: Array<Promise<void>> = [];
    const killer = async (stopped: () => boolean) => {
      while (!stopped()) {
        await sleep(between(700, 2_000));
        // A serving instance, as long as another one serves too: the service stays up while its members die.
        const up = instances.filter((instance) => instance.port !== null);
        const victim = up[Math.floor(Math.random() * up.length)];
        if (stopped() || !victim || up.length < 2) continue;
        await kill(victim);
        kills++;
        // Back after a moment, sometimes at once: the others carry the traffic (and the dead one's leases) meanwhile.
        restarts.push(sleep(between(0, 1_500)).then(() => start(victim).catch(() => {})));
      }
    };

    const createdAfter = await workload.run(killer, began + 150_000);
    await Promise.all(restarts);
    for (const instance of instances) if (!instance.child) await start(instance);

    // The hand-off survives the kills: wait for the helpdesk to hold every verified request.
    await workload.handedOff(() => receiver.references(), 60_000);

    const rows = await db.query<{ reference: string; email: string; status: string }>(
      "SELECT reference, email, status FROM requests WHERE email LIKE 'cluster-%'",
    );
    const { missing, duplicated, undelivered, notPending } = workload.compare(rows, receiver.references());
    // Delivered hand-offs leave no copy behind.
    const emptiedBy = Date.now() + 30_000;
    while ((await db.query("SELECT id FROM webhook_outbox")).length && Date.now() < emptiedBy) await sleep(200);
    const [outbox] = await db.query<{ count: string }>("SELECT count(*) AS count FROM webhook_outbox");
    const leaks = serverLog.filter((line) => line.includes("@example.test") || line.includes("cluster person"));
    console.log(
      `cluster test: ${INSTANCES} instances, ${kills} SIGKILLs in ${((Date.now() - began) / 1000).toFixed(1)} s (all 201s by ${createdAfter.toFixed(1)} s); ` +
        `${acknowledged.size} requests acknowledged, ${rows.length} rows, ${verified.size} verified, ${receiver.references().size} delivered ` +
        `(${JSON.stringify(receiver.stats())}); client retries ${retries}, proxy 502s ${proxy.badGateways()}; ${serverErrors.length} 5xx from a server`,
    );
    writeFileSync(path.join(os.tmpdir(), "cluster-server.log"), `${serverLog.join("\n")}\n`);
    if (unexpected.length) {
      const mail = await db.query("SELECT id, reference, state, attempts, next_attempt_at, last_error FROM mail_outbox");
      console.log(`server log: ${path.join(os.tmpdir(), "cluster-server.log")}; mail outbox now: ${JSON.stringify(mail)}`);
    }
    expect({ missing, duplicated, undelivered, notPending, unexpected, serverErrors, leaks }).toEqual({
      missing: [],
      duplicated: [],
      undelivered: [],
      notPending: [],
      unexpected: [],
      serverErrors: [],
      leaks: [],
    });
    expect(acknowledged.size).toBe(TARGET_CREATED);
    expect(rows).toHaveLength(TARGET_CREATED);
    expect(verified.size).toBe(TARGET_CREATED / 2);
    expect(Number(outbox?.count)).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(5);
  }, 300_000);
});

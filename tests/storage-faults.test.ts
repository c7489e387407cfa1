import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageUnavailableError } from "../server/rights/db.js";
import { postJson, rightsApp, staffHeaders } from "./rights-support/app.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "./rights-support/postgres.js";

async function startPostgresClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

type Built = Awaited<ReturnType<typeof rightsApp>>;

/** The most a request may wait on a database that is down or frozen (the bound). */
const MAX_WAIT_MS = 5000;

interface Outcome {
  key: string;
  status: number;
  code?: string;
  retryAfter: string | null;
  ms: number;
}

/**
 * A real PostgreSQL that goes down and comes back, and one that freezes (SIGSTOP) mid-traffic and thaws: every
 * request answers within 5 s with 201 or 503 STORAGE_UNAVAILABLE + Retry-After, a retry with the same key makes
 * exactly one request, nothing is half-written, and service resumes without a restart. Shipped timeouts.
 */
describe.skipIf(postgresBinDir() === null)("storage faults on PostgreSQL", () => {
  let postgres: TestPostgres;
  let built: Built;
  let sent = 0;

  beforeAll(async () => {
    postgres = await startPostgres();
    const generous = { limit: 1_000_000, windowMs: 60_000 };
    built = await rightsApp(
      { DATABASE_URL: postgres.url },
      { limits: { createPerAddress: generous, createPerEmail: generous, codePerAddress: generous, feedbackPerAddress: generous } },
    );
  }, 120_000);
  afterAll(async () => {
    postgres?.thaw();
    await built?.close();
    postgres?.stop();
  });

  const create = async (key: string): Promise<Outcome> => {
    sent++;
    const began = performance.now();
    const response = await postJson(
      built.app,
      "/api/requests",
      { site: "acme", right: "access", email: `${key}@example.com`, country: "DE", source: "form" },
      { "idempotency-key": key },
    );
    const body = (await response.json()) as { error?: { code?: string } };
    return {
      key,
      status: response.status,
      code: body.error?.code,
      retryAfter: response.headers.get("retry-after"),
      ms: performance.now() - began,
    };
  };

  const expectBounded = (outcomes: Outcome[]) => {
    for (const outcome of outcomes) {
      expect(outcome.ms, outcome.key).toBeLessThan(MAX_WAIT_MS);
      expect([201, 503], `${outcome.key}: ${outcome.status} ${outcome.code}`).toContain(outcome.status);
      if (outcome.status === 503) {
        expect(outcome.code).toBe("STORAGE_UNAVAILABLE");
        expect(Number(outcome.retryAfter)).toBeGreaterThan(0);
      }
    }
  };

  /** Retries every refused key until it is taken, as the widget does with its saved Idempotency-Key. */
  const retryRefused = async (outcomes: Outcome[]) => {
    for (const outcome of outcomes.filter((o) => o.status !== 201)) {
      const retried = await create(outcome.key);
      expect(retried.status, outcome.key).toBe(201);
    }
  };

  /** Every key stored exactly once, each with its audit entry and its code e-mail: nothing half-written. */
  const expectWhole = async (keys: string[]) => {
    const rows = await built.rights.db.query<{ idempotency_key: string; audits: string | number; mails: string | number }>(
      `SELECT r.idempotency_key,
              (SELECT count(*) FROM request_audit a WHERE a.reference = r.reference) AS audits,
              (SELECT count(*) FROM mail_outbox m WHERE m.reference = r.reference) AS mails
         FROM requests r WHERE r.idempotency_key = ANY($1)`,
      [keys],
    );
    expect(rows.map((row) => row.idempotency_key).sort()).toEqual([...keys].sort());
    for (const row of rows) {
      expect(Number(row.audits), row.idempotency_key).toBeGreaterThan(0);
      expect(Number(row.mails), row.idempotency_key).toBeGreaterThan(0);
    }
  };

  it("a database that is down answers 503 with Retry-After at once; back up, service resumes by itself", async () => {
    expect((await create("before-down")).status).toBe(201);
    postgres.halt();
    const down = await Promise.all(Array.from({ length: 8 }, (_, i) => create(`down-${i}`)));
    expectBounded(down);
    expect(down.every((o) => o.status === 503)).toBe(true);
    const staff = await built.app.request("/api/staff/requests", { headers: staffHeaders });
    expect(staff.status).toBe(503);
    expect((await built.app.request("/api/health/ready")).status).toBe(503);
    postgres.resume();
    await retryRefused(down);
    await expectWhole(["before-down", ...down.map((o) => o.key)]);
    expect((await built.app.request("/api/staff/requests", { headers: staffHeaders })).status).toBe(200);
    console.log(
      `down: ${down.length} requests, slowest ${Math.max(...down.map((o) => o.ms)).toFixed(0)} ms, all 503; after restart all retried once`,
    );
  }, 60_000);

  it("a database frozen mid-traffic answers within 5 s; thawed, retries with the same key make exactly one request each", async () => {
    const inFlight = Array.from({ length: 12 }, (_, i) => create(`frozen-${i}`));
    await new Promise((resolve) => setTimeout(resolve, 5));
    postgres.freeze();
    const during = await Promise.all(inFlight);
    const afterFreeze = await Promise.all(Array.from({ length: 6 }, (_, i) => create(`frozen-late-${i}`)));
    const frozen = [...during, ...afterFreeze];
    postgres.thaw();
    expectBounded(frozen);
    expect(afterFreeze.every((o) => o.status === 503)).toBe(true);
    await retryRefused(frozen);
    await expectWhole(frozen.map((o) => o.key));
    const statuses = frozen.map((o) => o.status);
    console.log(
      `frozen: ${frozen.length} requests (${statuses.filter((s) => s === 201).length} taken, ${statuses.filter((s) => s === 503).length} refused 503), slowest ${Math.max(...frozen.map((o) => o.ms)).toFixed(0)} ms; ${sent} sent in all, none lost or doubled`,
    );
  }, 60_000);

  it("connections the database ends, idle in the pool or held mid-transaction, stop nothing; the next request is served", async () => {
    const { db } = built.rights;
    // Several idle connections in the pool, and one held by a transaction between two statements.
    await Promise.all(Array.from({ length: 4 }, () => db.query("SELECT pg_sleep(0.05)")));
    let held: (() => void) | undefined;
    const pause = new Promise<void>((resolve) => {
      held = resolve;
    });
    let heldPid = 0;
    const transaction = db.transaction(async (tx) => {
      heldPid = (await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]?.pid ?? 0;
      await tx.query("CREATE TEMP TABLE half_written (n int)");
      await pause;
      return tx.query("INSERT INTO half_written VALUES (1)");
    });
    await expect.poll(() => heldPid).toBeGreaterThan(0);
    const killer = await startPostgresClient(postgres.url);
    const ended = await killer.query(
      "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    await killer.end();
    // Every pool connection and the held one were ended; an 'error' event nobody listens to would fail this file.
    expect(ended.rows.length).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    held?.();
    await expect(transaction).rejects.toBeInstanceOf(StorageUnavailableError);
    const outcome = await create("after-terminate");
    expect(outcome.status).toBe(201);
    await expectWhole(["after-terminate"]);
    console.log(`ended ${ended.rows.length} connections (idle and mid-transaction): process alive, next request 201`);
  }, 60_000);

  it("a database out of connection slots (53300) answers 503 with Retry-After, not 500; once slots free up, 201", async () => {
    const admin = await startPostgresClient(postgres.url);
    await admin.query("CREATE ROLE limited LOGIN CONNECTION LIMIT 3");
    await admin.query("CREATE DATABASE limited OWNER limited");
    const url = postgres.url.replace("postgres@", "limited@").replace(/\/postgres$/, "/limited");
    const limited = await rightsApp({ DATABASE_URL: url });
    // Its pool keeps one connection from start-up; two more taken elsewhere leave it no slot for a second one.
    const others = [await startPostgresClient(url), await startPostgresClient(url)];
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, async (_, i) => {
          const response = await postJson(
            limited.app,
            "/api/requests",
            { site: "acme", right: "access", email: `slots-${i}@example.com`, country: "DE", source: "form" },
            { "idempotency-key": `slots-${i}` },
          );
          const body = (await response.json()) as { error?: { code?: string } };
          return { status: response.status, code: body.error?.code, retryAfter: response.headers.get("retry-after") };
        }),
      );
      const refused = outcomes.filter((o) => o.status !== 201);
      expect(refused.length).toBeGreaterThan(0);
      for (const outcome of refused) expect(outcome).toMatchObject({ status: 503, code: "STORAGE_UNAVAILABLE", retryAfter: "5" });
    } finally {
      for (const other of others) await other.end();
    }
    const retried = await postJson(
      limited.app,
      "/api/requests",
      { site: "acme", right: "access", email: "slots-0@example.com", country: "DE", source: "form" },
      { "idempotency-key": "slots-0" },
    );
    expect(retried.status).toBe(201);
    await limited.close();
    await admin.end();
  }, 60_000);
});

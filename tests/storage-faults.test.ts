import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp, staffHeaders } from "./rights-support/app.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "./rights-support/postgres.js";

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
});

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_POSTGRES_MESSAGE } from "../tests/rights-support/backends.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "../tests/rights-support/postgres.js";
import { MemoryRateLimiter, PostgresRateLimiter, type RateLimiter } from "./rate-limit.js";
import { type Db, migrate, openPglite, openPostgres, StorageUnavailableError } from "./rights/db.js";

const PER_MINUTE = { limit: 20, windowMs: 60_000 };
let now = new Date("2026-12-04T10:00:00.000Z");
const clock = () => now;
const allowed = async (limiter: RateLimiter, key: string, times: number) => {
  const decisions = await Promise.all(Array.from({ length: times }, () => limiter.take(key, PER_MINUTE)));
  return decisions.filter((d) => d.ok).length;
};

describe("memory rate limiter", () => {
  it("allows the limit per window, then says when to retry, and starts afresh after the window", async () => {
    now = new Date("2026-12-04T10:00:00.000Z");
    const limiter = new MemoryRateLimiter(clock);
    expect(await allowed(limiter, "a", 25)).toBe(20);
    now = new Date(now.getTime() + 15_000);
    expect(await limiter.take("a", PER_MINUTE)).toEqual({ ok: false, retryAfterSeconds: 45 });
    expect(await allowed(limiter, "b", 1)).toBe(1);
    now = new Date(now.getTime() + 45_000);
    expect(await allowed(limiter, "a", 25)).toBe(20);
  });
});

describe.skipIf(postgresBinDir() === null)("PostgreSQL rate limiter: one budget for every instance", () => {
  let server: TestPostgres;
  const instances: Db[] = [];
  beforeAll(async () => {
    server = await startPostgres();
    // Two pools on one database: what two server processes with the same DATABASE_URL hold.
    for (let i = 0; i < 2; i++) instances.push(await openPostgres(server.url));
    await migrate(instances[0]!);
  }, 60_000);
  afterAll(async () => {
    for (const db of instances) await db.close();
    server?.stop();
  });

  it("two instances taking at once allow exactly the limit between them, and the window ends for both", async () => {
    now = new Date("2026-12-04T10:00:00.000Z");
    const [a, b] = instances.map((db) => new PostgresRateLimiter(db, clock)) as [PostgresRateLimiter, PostgresRateLimiter];
    const [fromA, fromB] = await Promise.all([allowed(a, "ask:203.0.113.7", 30), allowed(b, "ask:203.0.113.7", 30)]);
    expect(fromA + fromB).toBe(20);
    now = new Date(now.getTime() + 20_000);
    expect(await b.take("ask:203.0.113.7", PER_MINUTE)).toEqual({ ok: false, retryAfterSeconds: 40 });
    // A flood does not grow the stored count past limit + 1.
    const [row] = await instances[0]!.query<{ hits: number }>("SELECT hits FROM rate_limits");
    expect(row?.hits).toBe(21);
    now = new Date(now.getTime() + 40_000);
    expect(await allowed(a, "ask:203.0.113.7", 5)).toBe(5);
  });

  it("stores no address or e-mail in clear, and the sweep deletes ended windows", async () => {
    now = new Date("2026-12-04T11:00:00.000Z");
    const limiter = new PostgresRateLimiter(instances[0]!, clock);
    await limiter.take("create:email:ada@example.test", { limit: 5, windowMs: 3_600_000 });
    await limiter.take("code:address:198.51.100.4", { limit: 60, windowMs: 600_000 });
    const keys = (await instances[0]!.query<{ key: string }>("SELECT key FROM rate_limits")).map((r) => r.key);
    expect(keys.join(" ")).not.toMatch(/ada|example|198\.51/);
    now = new Date("2026-12-04T11:30:00.000Z");
    expect(await limiter.prune()).toBe(2); // the 10-minute window, and the ended one of the test before
    expect(await instances[0]!.query("SELECT key FROM rate_limits")).toHaveLength(1);
  });

  it("while the database is down: the call that finds out fails, then this instance counts in memory, then in the database again", async () => {
    now = new Date("2026-12-04T12:00:00.000Z");
    const limiter = new PostgresRateLimiter(instances[1]!, clock, 1_000);
    server.halt();
    try {
      await expect(limiter.take("search:192.0.2.1", PER_MINUTE)).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(await allowed(limiter, "search:192.0.2.1", 25)).toBe(20);
    } finally {
      server.resume();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await allowed(limiter, "search:192.0.2.1", 25)).toBe(20);
    expect(await instances[1]!.query("SELECT key FROM rate_limits WHERE hits = 21")).toHaveLength(1);
  }, 60_000);
});
if (postgresBinDir() === null) console.warn(NO_POSTGRES_MESSAGE);

describe("PostgreSQL rate limiter on the embedded database", () => {
  it("speaks PGlite's dialect too (the same SQL serves tests and small deployments)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rate-limit-pglite-"));
    const db = await openPglite(dir);
    try {
      await migrate(db);
      now = new Date("2026-12-04T10:00:00.000Z");
      const limiter = new PostgresRateLimiter(db, clock);
      expect(await allowed(limiter, "k", 25)).toBe(20);
      now = new Date(now.getTime() + 61_000);
      expect(await allowed(limiter, "k", 1)).toBe(1);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

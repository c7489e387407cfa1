import { createHash } from "node:crypto";
import { type Queryable, StorageUnavailableError } from "./rights/db.js";

export interface RateLimit {
  /** How many actions a key may take per window. */
  limit: number;
  windowMs: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counts actions per key in fixed windows. */
export interface RateLimiter {
  /** Counts one action for `key` and says whether it is allowed. */
  take(key: string, limit: RateLimit): Promise<RateDecision>;
}

const retryAfter = (resetAt: number, now: number) => Math.max(1, Math.ceil((resetAt - now) / 1000));

/** Fixed-window counters kept in memory: one instance's budget (the embedded default). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    return this.takeNow(key, limit);
  }

  takeNow(key: string, { limit, windowMs }: RateLimit): RateDecision {
    const now = this.now().getTime();
    if (this.windows.size > 50_000) this.prune(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= limit) return { ok: false, retryAfterSeconds: retryAfter(window.resetAt, now) };
    window.count++;
    return { ok: true };
  }

  private prune(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/**
 * Fixed-window counters in the shared PostgreSQL (table rate_limits), so every instance spends one budget. One
 * statement counts and reads: the upsert locks the key's row, so concurrent instances never both take the last
 * action. The count stops at limit + 1, so a flood never grows it. Keys (addresses, e-mail addresses) are stored as
 * SHA-256 digests and deleted once their window has ended.
 *
 * A database that is down or stalled fails the call that finds out (StorageUnavailableError: the intake would fail
 * anyway, and the question routes let that one through); for `offlineMs` after, this instance counts in memory
 * instead of waiting on the database again, so a stalled database costs one timeout, not one per request.
 */
export class PostgresRateLimiter implements RateLimiter {
  private readonly fallback: MemoryRateLimiter;
  private offlineUntil = 0;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date = () => new Date(),
    private readonly offlineMs = 5_000,
  ) {
    this.fallback = new MemoryRateLimiter(now);
  }

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    if (performance.now() < this.offlineUntil) return this.fallback.takeNow(key, limit);
    const now = this.now();
    let row: { hits: number; reset_at: Date } | undefined;
    try {
      [row] = await this.db.query<{ hits: number; reset_at: Date }>(
        `INSERT INTO rate_limits AS r (key, hits, reset_at) VALUES ($1, 1, $3)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.reset_at <= $2 THEN 1 ELSE least(r.hits + 1, $4::integer + 1) END,
           reset_at = CASE WHEN r.reset_at <= $2 THEN $3 ELSE r.reset_at END
         RETURNING hits, reset_at`,
        [createHash("sha256").update(key).digest("base64url"), now, new Date(now.getTime() + limit.windowMs), limit.limit],
      );
    } catch (error) {
      if (error instanceof StorageUnavailableError) this.offlineUntil = performance.now() + this.offlineMs;
      throw error;
    }
    if (!row) throw new Error("rate_limits upsert returned no row");
    return row.hits <= limit.limit
      ? { ok: true }
      : { ok: false, retryAfterSeconds: retryAfter(new Date(row.reset_at).getTime(), now.getTime()) };
  }

  /** Deletes the windows that have ended (the sweep calls it); returns how many. */
  async prune(): Promise<number> {
    return (await this.db.query("DELETE FROM rate_limits WHERE reset_at <= $1 RETURNING key", [this.now()])).length;
  }
}

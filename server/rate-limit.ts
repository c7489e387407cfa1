export interface RateLimit {
  /** How many actions a key may take per window. */
  limit: number;
  windowMs: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Fixed-window counters kept in memory. Good enough for one instance; several PostgreSQL-backed instances
 * each count on their own, so the effective limit is multiplied by the number of instances.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Counts one action for `key` and says whether it is allowed. */
  take(key: string, { limit, windowMs }: RateLimit): RateDecision {
    const now = this.now().getTime();
    if (this.windows.size > 50_000) this.prune(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    if (window.count >= limit) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
    window.count++;
    return { ok: true };
  }

  private prune(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

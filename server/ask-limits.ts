import { createMiddleware } from "hono/factory";
import { clientAddress } from "./client-address.js";
import { AppError } from "./errors.js";
import { enforceLimit } from "./http.js";
import { StorageUnavailableError } from "./rights/db.js";
import { MemoryRateLimiter, type RateLimit, type RateLimiter } from "./rate-limit.js";

/** How much of the server one client and everyone together may take on the question routes. */
export interface AskLimits {
  /** Questions per client (server/client-address.ts) per window. */
  askPerClient: RateLimit;
  /** Staff searches per client per window. */
  searchPerClient: RateLimit;
  /** Questions answered at once: one warm answer takes about 20 ms of CPU, so 32 is under a second of work. */
  maxInFlight: number;
}

export const DEFAULT_ASK_LIMITS: AskLimits = {
  askPerClient: { limit: 60, windowMs: 60_000 },
  searchPerClient: { limit: 120, windowMs: 60_000 },
  maxInFlight: 32,
};

/** What a shed question is told to wait: the queue it met clears well within it. */
const SHED_RETRY_AFTER_SECONDS = 2;

/**
 * The question routes' guards: a per-client budget (429 RATE_LIMITED with Retry-After), and load shedding. When
 * more questions are in flight than the server clears in about a second, a new one is refused at once with 503
 * OVERLOADED and Retry-After, instead of joining a queue whose tail would time out. The budgets are counted by
 * `limiter`: the rights database's when there is one (shared by every instance on PostgreSQL), else this process's.
 */
export function questionGuards(limits: AskLimits, limiter: RateLimiter = new MemoryRateLimiter()) {
  let inFlight = 0;
  const ask = createMiddleware(async (c, next) => {
    await countQuestion(limiter, `ask:${clientAddress(c)}`, limits.askPerClient);
    if (inFlight >= limits.maxInFlight) {
      throw new AppError("OVERLOADED", [SHED_RETRY_AFTER_SECONDS], { "Retry-After": String(SHED_RETRY_AFTER_SECONDS) });
    }
    inFlight++;
    try {
      // Answering is CPU work on this thread: without a turn of the event loop here, the next question is not even
      // parsed until this one is answered, so it would wait unseen in the socket instead of being counted (or shed).
      await new Promise((resolve) => setImmediate(resolve));
      await next();
    } finally {
      inFlight--;
    }
  });
  const search = createMiddleware(async (c, next) => {
    await countQuestion(limiter, `search:${clientAddress(c)}`, limits.searchPerClient);
    await next();
  });
  return { ask, search };
}

/** Answering needs no database: the question that finds the shared limiter's database down is let through. */
async function countQuestion(limiter: RateLimiter, key: string, limit: RateLimit) {
  try {
    await enforceLimit(limiter, key, limit);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
  }
}

import { createMiddleware } from "hono/factory";
import { clientAddress } from "./client-address.js";
import { AppError } from "./errors.js";
import { enforceLimit } from "./http.js";
import { type RateLimit, RateLimiter } from "./rate-limit.js";

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
 * OVERLOADED and Retry-After, instead of joining a queue whose tail would time out.
 */
export function questionGuards(limits: AskLimits) {
  const limiter = new RateLimiter();
  let inFlight = 0;
  const ask = createMiddleware(async (c, next) => {
    enforceLimit(limiter, `ask:${clientAddress(c)}`, limits.askPerClient);
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
    enforceLimit(limiter, `search:${clientAddress(c)}`, limits.searchPerClient);
    await next();
  });
  return { ask, search };
}

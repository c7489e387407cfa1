import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import type { Logger } from "./log.js";

export interface RequestLogOptions {
  /** Without one, requests only get their X-Request-Id (a caller that passes its own `log` keeps its lines). */
  logger?: Logger;
  /** LOG_QUESTIONS: add the visitor's question to the request line of POST /api/ask. Off by default. */
  logQuestions?: boolean;
  /** Called after each request with what was logged (metrics). */
  onResponse?: (entry: RequestEntry) => void;
}

export interface RequestEntry {
  method: string;
  /** The matched route pattern (`/api/requests/:reference`), never the raw path, which may carry a reference or a query. */
  route: string;
  status: number;
  ms: number;
}

/** The route pattern that answered, or "unmatched" for a 404 outside every route. */
export function matchedRoute(c: Context): string {
  const route = routePath(c);
  return !route || route === "*" || route === "/*" || (route.endsWith("/*") && c.res.status === 404) ? "unmatched" : route;
}

/**
 * One line per request: request id (X-Request-Id, echoed back), method, route, status and duration. No query
 * string, body or header is logged; the question text only when the operator sets LOG_QUESTIONS=true.
 */
export function requestLog({ logger, logQuestions = false, onResponse }: RequestLogOptions) {
  const log = createMiddleware(async (c, next) => {
    const began = performance.now();
    await next();
    const entry: RequestEntry = {
      method: c.req.method,
      route: matchedRoute(c),
      status: c.res.status,
      ms: Math.round((performance.now() - began) * 10) / 10,
    };
    onResponse?.(entry);
    if (!logger) return;
    const question = logQuestions && entry.route === "/api/ask" ? await askedQuestion(c) : undefined;
    const level = entry.status >= 500 ? "error" : "info";
    logger[level]({ reqId: c.get("requestId" as never), ...entry, ...(question ? { question } : {}) }, "request");
  });
  return [requestId(), log] as const;
}

async function askedQuestion(c: Context): Promise<string | undefined> {
  try {
    const body = (await c.req.json()) as { question?: unknown };
    return typeof body.question === "string" ? body.question : undefined;
  } catch {
    return undefined;
  }
}

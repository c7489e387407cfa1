import type { AppDeps } from "../app.js";
import { searchRoute } from "../contract/routes.js";
import { AppError } from "../errors.js";
import { DEFAULT_ASK_LIMITS, questionGuards } from "../ask-limits.js";
import { openApiRouter, staffAuth } from "../http.js";

/** Staff policy search: ranked passages in the citation shape. */
export function searchRoutes({ knowledge, questions, staffToken, staffTokens, rights, askLimits = DEFAULT_ASK_LIMITS }: AppDeps) {
  const guards = questionGuards(askLimits, rights?.limiter);
  return openApiRouter().openapi({ ...searchRoute, middleware: [staffAuth({ staffToken, staffTokens }), guards.search] }, async (c) => {
    const { q, site, limit } = c.req.valid("query");
    if (!knowledge.site(site)) throw new AppError("UNKNOWN_SITE", [site]);
    return c.json({ query: q, site, results: await (questions ?? knowledge).search(q, site, limit) }, 200);
  });
}

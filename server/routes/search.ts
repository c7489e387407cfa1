import { Hono } from "hono";
import type { AppDeps } from "../app.js";
import { SearchQuerySchema } from "../contract/schemas.js";
import { AppError } from "../errors.js";
import { queryParams, requireStaff } from "../http.js";

/** Staff policy search: ranked passages in the citation shape. */
export function searchRoutes({ knowledge, staffToken }: AppDeps) {
  return new Hono().get("/search", requireStaff(staffToken), queryParams(SearchQuerySchema), async (c) => {
    const { q, site, limit } = c.req.valid("query");
    if (!knowledge.site(site)) throw new AppError("UNKNOWN_SITE", [site]);
    return c.json({ query: q, site, results: await knowledge.search(q, site, limit) });
  });
}

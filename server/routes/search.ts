import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { AppError } from "../errors.js";
import { queryParams, requireStaff } from "../http.js";
import { MAX_QUESTION_LENGTH } from "./ask.js";

const searchSchema = z.object({
  q: z.string().trim().min(1, "q is required").max(MAX_QUESTION_LENGTH),
  site: z.string().min(1, "site is required"),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** Staff policy search: ranked passages in the citation shape. */
export function searchRoutes({ knowledge, staffToken }: AppDeps) {
  return new Hono().get("/search", requireStaff(staffToken), queryParams(searchSchema), async (c) => {
    const { q, site, limit } = c.req.valid("query");
    if (!knowledge.site(site)) throw new AppError("UNKNOWN_SITE", [site]);
    return c.json({ query: q, site, results: await knowledge.search(q, site, limit) });
  });
}

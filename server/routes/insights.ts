import type { AppDeps } from "../app.js";
import { insightsRoute } from "../contract/routes.js";
import { AppError } from "../errors.js";
import { openApiRouter, staffAuth } from "../http.js";
import { requireRights } from "../rights/http.js";

/** Insights for staff: per week and topic, what visitors asked a site and how it went; the thumbs-down answers. */
export function insightsRoutes({ knowledge, staffToken, staffTokens, rights }: AppDeps) {
  return openApiRouter().openapi(
    { ...insightsRoute, middleware: [staffAuth({ staffToken, staffTokens }), requireRights(rights)] },
    async (c) => {
      const { site, weeks } = c.req.valid("query");
      if (!knowledge.site(site)) throw new AppError("UNKNOWN_SITE", [site]);
      const labels = new Map((knowledge.coverage(site)?.topics ?? []).map((topic) => [topic.id, topic.label]));
      return c.json(await c.var.rights.insights.report(site, weeks, (id) => labels.get(id) ?? id), 200);
    },
  );
}

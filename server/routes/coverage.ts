import type { AppDeps } from "../app.js";
import { coverageRoute } from "../contract/routes.js";
import { AppError } from "../errors.js";
import { openApiRouter, staffAuth } from "../http.js";

/** Policy coverage for staff: the topics visitors ask about that a site's policy does not address. */
export function coverageRoutes({ knowledge, staffToken, staffTokens }: AppDeps) {
  return openApiRouter().openapi({ ...coverageRoute, middleware: [staffAuth({ staffToken, staffTokens })] }, async (c) => {
    const { site } = c.req.valid("query");
    const coverage = knowledge.coverage(site);
    if (!coverage) throw new AppError("UNKNOWN_SITE", [site]);
    return c.json(coverage, 200);
  });
}

import type { AppDeps } from "../app.js";
import { sitesRoute } from "../contract/routes.js";
import { openApiRouter } from "../http.js";

/** The companies this server answers for, with what the widget shows when a policy has no answer. */
export function sitesRoutes({ knowledge }: AppDeps) {
  return openApiRouter().openapi(sitesRoute, (c) =>
    c.json(
      {
        sites: knowledge
          .sites()
          .map(({ site, title, organization, url, contact, lastRevised }) => ({ site, title, organization, url, contact, lastRevised })),
      },
      200,
    ),
  );
}

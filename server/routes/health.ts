import type { AppDeps } from "../app.js";
import { healthRoute } from "../contract/routes.js";
import { openApiRouter } from "../http.js";

export function healthRoutes({ knowledge }: AppDeps) {
  return openApiRouter().openapi(healthRoute, (c) => {
    const { embedder, chunks, documents, sites } = knowledge.health();
    return c.json({ status: "ok" as const, embedder, index: { chunks }, corpus: { documents, sites } }, 200);
  });
}

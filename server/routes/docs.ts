import { createRequire } from "node:module";
import path from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { etag } from "hono/etag";
import { pageSecurity } from "./static.js";

/** The OpenAPI document's header; the paths come from server/contract/routes.ts. */
export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Privacy-policy assistant API",
    version: "1",
    description:
      "Answers questions from a company's privacy policy with citations, takes privacy requests with e-mail verification, " +
      "and gives the privacy team its queue. Errors are `{ error: { code, message } }` with a code from one catalogue.",
  },
  servers: [{ url: "/" }],
};

/** swagger-ui-dist ships the built page assets; they are served from the package, no CDN. */
const SWAGGER_DIR = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Privacy-policy assistant API</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/start.js"></script>
  </body>
</html>
`;

/** A file, not an inline script, so the page's CSP keeps script-src 'self' with no hash or nonce. */
const START_SCRIPT = `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });\n`;

/** The API reference at /api/docs: Swagger UI over /api/openapi.json, under the same CSP as every page here. */
export function apiDocsRoutes() {
  const asset = (file: string) => serveStatic({ path: path.join(SWAGGER_DIR, file) });
  return new Hono()
    .use("/docs/*", etag())
    .get("/docs", pageSecurity(), (c) => c.html(DOCS_PAGE, 200, { "Cache-Control": "no-cache" }))
    .get("/docs/start.js", (c) =>
      c.body(START_SCRIPT, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" }),
    )
    .get("/docs/swagger-ui.css", asset("swagger-ui.css"))
    .get("/docs/swagger-ui-bundle.js", asset("swagger-ui-bundle.js"));
}

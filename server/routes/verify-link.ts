import { enforceLimit } from "../http.js";
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppDeps } from "../app.js";
import { escapeHtml } from "../contract/html.js";
import { AppError } from "../errors.js";
import { clientAddress } from "../client-address.js";
import { safeForLog } from "../rights/service.js";
import { pageSecurity } from "./static.js";

/**
 * The one-time link in the verification e-mail, as a plain page. Opening it (GET) changes nothing and shows a button;
 * only pressing it (POST) verifies. Mail scanners that fetch every link in a message would otherwise use the link up,
 * or verify a request its owner never confirmed. The token in the path is the whole credential: no cookie, so no
 * cross-site form can press the button for someone else.
 */
export function verifyLinkRoutes({ rights }: AppDeps) {
  return new Hono()
    .get("/verify/:token", pageSecurity({ styleNonce: true }), async (c) => {
      if (!rights) return page(c, 503, "Not available", "<p>Privacy requests are not set up on this server.</p>");
      await enforceLimit(rights.limiter, `code:address:${clientAddress(c)}`, rights.limits.codePerAddress);
      const link = await rights.service.checkLink(c.req.param("token"));
      if (!link) return invalid(c);
      if (!link.usable) return page(c, 200, "Already confirmed", `<p>Request ${escapeHtml(link.reference)} is already confirmed.</p>`);
      return page(
        c,
        200,
        "Confirm your privacy request",
        `<p>Confirm that you made privacy request <strong>${escapeHtml(link.reference)}</strong>. It then goes to the privacy team.</p>
    <form method="post"><button type="submit">Confirm my request</button></form>
    <p class="small">If you did not make this request, close this page; it closes itself if nobody confirms it.</p>`,
      );
    })
    .post("/verify/:token", pageSecurity({ styleNonce: true }), async (c) => {
      if (!rights) return page(c, 503, "Not available", "<p>Privacy requests are not set up on this server.</p>");
      await enforceLimit(rights.limiter, `code:address:${clientAddress(c)}`, rights.limits.codePerAddress);
      try {
        const { request, already } = await rights.service.verifyLink(c.req.param("token"));
        if (!already) rights.log(`request verified by link: ${safeForLog(request)}`);
        const due = request.dueAt.toISOString().slice(0, 10);
        return page(
          c,
          200,
          already ? "Already confirmed" : "Request confirmed",
          `<p>Privacy request <strong>${escapeHtml(request.reference)}</strong> is confirmed and with the privacy team.
    The answer is due by <strong>${due}</strong>. You can close this page.</p>`,
        );
      } catch (error) {
        if (error instanceof AppError && error.code === "LINK_INVALID") return invalid(c);
        throw error;
      }
    });
}

function invalid(c: Context) {
  return page(
    c,
    404,
    "Link not valid",
    "<p>This link is not valid: it has expired, or its request was closed. Use the code from the newest e-mail, or make the request again.</p>",
  );
}

function page(c: Context, status: 200 | 404 | 503, title: string, body: string) {
  const nonce = c.var.secureHeadersNonce ?? "";
  // The token is in the address: keep the page out of every cache and history sync that can be asked to.
  return c.html(
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <meta name="robots" content="noindex" />
    <link rel="icon" href="data:," />
    <title>${escapeHtml(title)}</title>
    <style nonce="${nonce}">
      body { margin: 0 auto; max-width: 36rem; padding: 2rem 1rem; font: 17px/1.6 system-ui, sans-serif; }
      button { font: inherit; padding: 0.6rem 1.2rem; cursor: pointer; }
      .small { font-size: 0.9rem; }
    </style>
  </head>
  <body>
    <main>
    <h1>${escapeHtml(title)}</h1>
    ${body}
    </main>
  </body>
</html>`,
    status,
    { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  );
}

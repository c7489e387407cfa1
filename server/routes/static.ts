import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import { createMiddleware } from "hono/factory";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { SiteInfo } from "../knowledge/types.js";
import { demoPage } from "./demo-page.js";

export interface StaticOptions {
  /** Where `npm run build` put dist/widget/ and dist/staff/. */
  distDir?: string;
  /** The sites the demo page links to; the first one gets the widget when no ?site= is given. */
  sites: () => Array<Pick<SiteInfo, "site" | "title" | "organization" | "url" | "contact">>;
}

export const DEFAULT_DIST_DIR = fileURLToPath(new URL("../../dist/", import.meta.url));

/** Hashed file names change with their content, so browsers may keep them for a year. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** widget.js keeps one name for every host page; a short cache and an ETag keep updates quick and cheap. */
export const SHORT = "public, max-age=300, must-revalidate";
/** HTML is revalidated on every visit so a new build shows at once. */
export const REVALIDATE = "no-cache";

/** A name Vite gave a hashed file, e.g. index-B3x9_kQe.js; nothing with a slash or "..". */
const ASSET_NAME = /^[\w.-]+-[\w-]{6,}\.[a-z0-9]+$/i;

/**
 * The pages our own origin serves. The widget's styles are constructed stylesheets, which CSP does not
 * govern; the demo page's one inline <style> carries a nonce; nothing needs inline script or eval.
 */
const CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The policy as a header value, as secure-headers writes it (tests compare with it). */
export function contentSecurityPolicy(nonce?: string): string {
  return Object.entries(CSP)
    .map(([name, values]) => {
      const all = name === "styleSrc" && nonce ? [...values, `'nonce-${nonce}'`] : values;
      return `${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} ${all.join(" ")}`;
    })
    .join("; ");
}

/**
 * Hono's secure-headers for our pages: the CSP above (with a fresh style nonce in c.var.secureHeadersNonce when
 * asked), no referrer, same-origin opener, no camera, microphone, location or topics. HSTS is left to the TLS proxy
 * in front, which knows whether every subdomain is served over https.
 */
export function pageSecurity({ styleNonce = false }: { styleNonce?: boolean } = {}) {
  return secureHeaders({
    contentSecurityPolicy: styleNonce ? { ...CSP, styleSrc: [...CSP.styleSrc, NONCE] } : CSP,
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], browsingTopics: [] },
  });
}

export interface ApiCorsOptions {
  /** Receives one warn line per refused origin per hour; never anything about the visitor. */
  log?: (line: string) => void;
  now?: () => number;
}

/**
 * CORS for the public API, limited to ALLOWED_ORIGINS. With no origins configured no CORS header is added, so
 * browsers keep the API to pages of its own origin. Staff calls carry Authorization, which is not an
 * allowed header here, so the staff API stays same-origin whatever the list says. A call from another
 * origin that is not listed is logged (once an hour per origin) so the site owner learns what to add.
 */
export function apiCors(
  allowedOrigins: readonly string[] = [],
  { log = () => {}, now = Date.now }: ApiCorsOptions = {},
): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  const noteRefusal = oncePerOriginPerHour(log, now);
  const withHeaders =
    allowed.size === 0
      ? undefined
      : cors({
          origin: [...allowed],
          allowMethods: ["GET", "POST", "OPTIONS"],
          allowHeaders: ["Content-Type", "Idempotency-Key"],
          exposeHeaders: ["Retry-After"],
          maxAge: 600,
        });
  return async (c, next) => {
    const origin = c.req.header("origin");
    // Compared by host: behind a TLS proxy the page is https while the server sees http.
    if (origin && !allowed.has(origin) && originHost(origin) !== new URL(c.req.url).host) noteRefusal(origin);
    return withHeaders ? withHeaders(c, next) : next();
  };
}

const HOUR_MS = 3_600_000;
const MAX_REMEMBERED_ORIGINS = 1000;

function originHost(origin: string): string | undefined {
  return URL.canParse(origin) ? new URL(origin).host : undefined;
}

function oncePerOriginPerHour(log: (line: string) => void, now: () => number): (origin: string) => void {
  const lastLogged = new Map<string, number>();
  return (origin) => {
    const shown = origin === "null" ? "null" : URL.canParse(origin) ? new URL(origin).origin : undefined;
    if (!shown || shown.length > 200) return;
    const at = now();
    if ((lastLogged.get(shown) ?? Number.NEGATIVE_INFINITY) > at - HOUR_MS) return;
    if (lastLogged.size >= MAX_REMEMBERED_ORIGINS) {
      for (const [key, loggedAt] of lastLogged) if (loggedAt <= at - HOUR_MS) lastLogged.delete(key);
      if (lastLogged.size >= MAX_REMEMBERED_ORIGINS) return;
    }
    lastLogged.set(shown, at);
    const hint =
      shown === "null"
        ? "a page opened from a file or a sandboxed frame; serve the page over http(s)"
        : `if the widget is on pages there, add ALLOWED_ORIGINS=${shown} (comma-separated with any others)`;
    log(`warn: CORS: refused API calls from origin ${shown}: ${hint}. Logged once an hour per origin.`);
  };
}

/**
 * The browser-facing files: the demo page at /, the widget at /widget.js (+ hashed chunks under
 * /assets/), and the staff console at /staff/. Missing builds answer 404 with a hint, never a crash.
 */
export function staticRoutes({ distDir = DEFAULT_DIST_DIR, sites }: StaticOptions) {
  const widgetDir = path.join(distDir, "widget");
  const staffDir = path.join(distDir, "staff");

  return new Hono()
    .get("/", pageSecurity({ styleNonce: true }), (c) => {
      const all = sites();
      const requested = c.req.query("site");
      const current = all.find((entry) => entry.site === requested) ?? all[0];
      const nonce = c.var.secureHeadersNonce ?? "";
      return c.html(demoPage({ sites: all, current, nonce }), 200, { "Cache-Control": REVALIDATE });
    })
    .get("/widget.js", ...sendFile(() => path.join(widgetDir, "widget.js"), SHORT, { crossOrigin: true }))
    .get("/assets/:name", ...sendFile((name) => path.join(widgetDir, "assets", name), IMMUTABLE, { crossOrigin: true }))
    .get("/staff", (c) => c.redirect("/staff/", 301))
    .get("/staff/", pageSecurity(), ...sendFile(() => path.join(staffDir, "index.html"), REVALIDATE))
    .get("/staff/assets/:name", ...sendFile((name) => path.join(staffDir, "assets", name), IMMUTABLE));
}

/**
 * One built file: Hono's etag over @hono/node-server's serveStatic, with our cache policy. Ours: only names Vite
 * gives hashed files pass (`:name` routes), CORS headers for the widget's module scripts, and a 404 that says how to
 * build when nothing is built, none of which serve-static does.
 */
function sendFile(
  file: (name: string) => string,
  cacheControl: string,
  { crossOrigin = false }: { crossOrigin?: boolean } = {},
): [MiddlewareHandler, MiddlewareHandler, MiddlewareHandler, MiddlewareHandler] {
  const headers = createMiddleware(async (c, next) => {
    const name = c.req.param("name");
    if (name !== undefined && !ASSET_NAME.test(name)) return notFound(c, true);
    c.header("Cache-Control", cacheControl);
    c.header("X-Content-Type-Options", "nosniff");
    // A module script on another origin is fetched with CORS; the file is public and sent without cookies.
    if (crossOrigin) {
      c.header("Access-Control-Allow-Origin", "*");
      c.header("Cross-Origin-Resource-Policy", "cross-origin");
    }
    await next();
  });
  const serve = createMiddleware((c, next) => serveStatic({ path: file(c.req.param("name") ?? "") })(c, next));
  const missing = createMiddleware(async (c) => notFound(c, existsSync(path.dirname(file(c.req.param("name") ?? "")))));
  return [etag(), headers, serve, missing];
}

function notFound(c: Context, built: boolean): Response {
  const message = built
    ? "Not found."
    : "Not built yet: `npm start` builds the widget and console (or run `npx tsx scripts/build-widget.ts`).";
  return c.text(message, 404, { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
}

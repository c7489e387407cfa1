import { createHash, timingSafeEqual } from "node:crypto";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import { ERRORS } from "./contract/errors.js";
import { AppError, errorBody } from "./errors.js";
import type { RateLimit, RateLimiter } from "./rate-limit.js";

/**
 * A router whose routes are declared in server/contract/routes.ts. A body, query or path that fails its schema is
 * 400 INVALID_INPUT naming the first bad field, from the one onError, instead of the library's own reply; one
 * that passes but holds a character no text field may carry is 400 INVALID_CHARACTER naming the field.
 */
export function openApiRouter() {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error);
      const field = unwritableField(result.data);
      if (field !== undefined)
        throw new AppError("INVALID_CHARACTER", [field ? `${result.target} field "${field}"` : `The ${result.target}`]);
    },
  });
}

/**
 * C0 control characters but tab, line feed and carriage return (PostgreSQL refuses NUL, and none belongs in text),
 * and a surrogate without its pair (UTF-8 cannot encode it, so it would not be stored as sent).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNWRITABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The path of the first string in validated input that holds a control character or a lone surrogate ("" for the
 * value itself), else undefined. Walks without recursion: the schema decides how deep input goes, not the stack.
 */
export function unwritableField(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, ""]];
  while (pending.length > 0) {
    const [item, path] = pending.pop() as [unknown, string];
    if (typeof item === "string") {
      if (UNWRITABLE.test(item)) return path;
    } else if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) pending.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

/**
 * Refuses a body that is not declared as JSON (415) or does not parse (400 BAD_JSON) before a validator sees it;
 * Hono caches the parsed body for the route's validator. Kept by hand: the OpenAPI validator skips a body whose
 * content type is not JSON and answers a parse failure with its own shape, and both need a catalogue code.
 */
export const requireJson = createMiddleware(async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) throw new AppError("BAD_CONTENT_TYPE");
  await c.req.json().catch(() => {
    throw new AppError("BAD_JSON");
  });
  await next();
});

function invalidInput(error: z.ZodError): AppError {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
  return new AppError("INVALID_INPUT", [`${where}${first?.message ?? "invalid"}`]);
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Who is signed in on a staff route: the name STAFF_TOKENS gives the token, or "staff" for the one STAFF_TOKEN. */
declare module "hono" {
  interface ContextVariableMap {
    staffName: string;
  }
}

/** The one shared token's name in the audit log. */
const SHARED_STAFF_NAME = "staff";

/**
 * Staff routes: Hono's bearer-auth, with the Bearer scheme required. With no token configured nobody gets in.
 * Ours: each token (STAFF_TOKEN, and every named one in STAFF_TOKENS) is kept as its SHA-256 digest and the given
 * token's digest is compared with each in constant time, because Hono's own compare also walks the longer of the
 * two strings and so takes time by the token's length; the match names the person (`c.var.staffName`) for the
 * audit log; and every refusal, a malformed header included, is one 401 UNAUTHORIZED from the catalogue.
 */
export function staffAuth({ staffToken, staffTokens = {} }: { staffToken?: string; staffTokens?: Record<string, string> }) {
  const known = [
    ...(staffToken ? [{ name: SHARED_STAFF_NAME, digest: digest(staffToken) }] : []),
    ...Object.entries(staffTokens).map(([name, token]) => ({ name, digest: digest(token) })),
  ];
  const refuse = () =>
    new Response(JSON.stringify(errorBody("UNAUTHORIZED", ERRORS.UNAUTHORIZED.message)), {
      status: 401,
      headers: { "content-type": "application/json" },
    });
  return bearerAuth({
    verifyToken: (given, c) => {
      const presented = digest(given);
      // Every digest is compared, so the time taken does not say which token (or whether any) matched.
      let name: string | undefined;
      for (const entry of known) if (timingSafeEqual(presented, entry.digest) && name === undefined) name = entry.name;
      if (name === undefined) return false;
      c.set("staffName", name);
      return true;
    },
    noAuthenticationHeader: { message: refuse },
    invalidAuthenticationHeader: { message: refuse },
    invalidToken: { message: refuse },
  });
}

export const MAX_BODY_BYTES = 32 * 1024;

/** Refuses large bodies before they are read. */
export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError("PAYLOAD_TOO_LARGE", [MAX_BODY_BYTES]);
  },
});

/** Counts one action and answers 429 RATE_LIMITED with Retry-After when the key is over its limit. */
export async function enforceLimit(limiter: RateLimiter, key: string, limit: RateLimit) {
  const decision = await limiter.take(key, limit);
  if (!decision.ok) {
    throw new AppError("RATE_LIMITED", [decision.retryAfterSeconds], { "Retry-After": String(decision.retryAfterSeconds) });
  }
}

import { timingSafeEqual } from "node:crypto";
import { createMiddleware } from "hono/factory";
import { validator } from "hono/validator";
import type { z } from "zod";
import { AppError } from "./errors.js";

/**
 * Validates a JSON body against a zod schema: 415 for another content type, 400 BAD_JSON for a
 * body that does not parse, 400 INVALID_INPUT naming the first bad field.
 */
export function jsonBody<T extends z.ZodTypeAny>(schema: T) {
  return validator("json", async (_value, c): Promise<z.infer<T>> => {
    const value = await c.req.json().catch(() => {
      throw new AppError("BAD_JSON");
    });
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalidInput(parsed.error);
    return parsed.data;
  });
}

/** Validates the query string against a zod schema. */
export function queryParams<T extends z.ZodTypeAny>(schema: T) {
  return validator("query", (value): z.infer<T> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalidInput(parsed.error);
    return parsed.data;
  });
}

/**
 * Refuses a body that is not declared as JSON (415) or does not parse (400 BAD_JSON) before a validator sees it;
 * Hono caches the parsed body for jsonBody.
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

/** Staff routes: a bearer token compared in constant time; with no token configured, nobody gets in. */
export function requireStaff(staffToken: string | undefined) {
  const expected = staffToken ? Buffer.from(staffToken) : undefined;
  return createMiddleware(async (c, next) => {
    const given = Buffer.from((c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, ""));
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError("UNAUTHORIZED");
    }
    await next();
  });
}

import { createMiddleware } from "hono/factory";
import { AppError } from "../errors.js";
import type { RightsApi } from "./index.js";
import { normalizeReference } from "./reference.js";

declare module "hono" {
  interface ContextVariableMap {
    /** Set by requireRights on the rights routes only. */
    rights: RightsApi;
  }
}

/**
 * The rights routes are always mounted, so they are in the typed app and the OpenAPI document; without rights
 * storage they answer 503 RIGHTS_NOT_CONFIGURED. Handlers read the service as `c.var.rights`.
 */
export function requireRights(rights: RightsApi | undefined) {
  return createMiddleware(async (c, next) => {
    if (!rights) throw new AppError("RIGHTS_NOT_CONFIGURED");
    c.set("rights", rights);
    await next();
  });
}

/** A reference from the path, normalised as a person might type it; anything that cannot be one is 404 REQUEST_NOT_FOUND. */
export function referenceParam(raw: string): string {
  const reference = normalizeReference(raw);
  if (!reference) throw new AppError("REQUEST_NOT_FOUND", [raw.slice(0, 40)]);
  return reference;
}

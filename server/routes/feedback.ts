import type { AppDeps } from "../app.js";
import { feedbackRoute } from "../contract/routes.js";
import { AppError } from "../errors.js";
import { enforceLimit, limitBody, openApiRouter, requireJson } from "../http.js";
import { requireRights } from "../rights/http.js";
import { clientAddress } from "../client-address.js";

/** Thumbs up or down on an answer, with the passages it cited. Stores no identity, not even the address. */
export function feedbackRoutes({ knowledge, rights }: AppDeps) {
  return openApiRouter().openapi({ ...feedbackRoute, middleware: [requireRights(rights), limitBody, requireJson] }, async (c) => {
    const feedback = c.req.valid("json");
    if (!knowledge.site(feedback.site)) throw new AppError("UNKNOWN_SITE", [feedback.site]);
    const { limiter, limits, feedback: store } = c.var.rights;
    await enforceLimit(limiter, `feedback:address:${clientAddress(c)}`, limits.feedbackPerAddress);
    return c.json({ id: await store.record(feedback) }, 201);
  });
}

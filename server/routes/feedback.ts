import { Hono } from "hono";
import type { AppDeps } from "../app.js";
import { FeedbackRequestSchema } from "../contract/schemas.js";
import { AppError } from "../errors.js";
import { jsonBody, requireJson } from "../http.js";
import { clientAddress, enforceLimit, limitBody } from "../rights/http.js";
import type { RightsApi } from "../rights/index.js";

/** Thumbs up or down on an answer, with the passages it cited. Stores no identity, not even the address. */
export function feedbackRoutes({ knowledge, rights }: AppDeps & { rights: RightsApi }) {
  return new Hono().post("/feedback", limitBody, requireJson, jsonBody(FeedbackRequestSchema), async (c) => {
    const feedback = c.req.valid("json");
    if (!knowledge.site(feedback.site)) throw new AppError("UNKNOWN_SITE", [feedback.site]);
    enforceLimit(rights.limiter, `feedback:address:${clientAddress(c)}`, rights.limits.feedbackPerAddress);
    const id = await rights.service.recordFeedback(feedback);
    return c.json({ id }, 201);
  });
}

import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { AppError } from "../errors.js";
import { jsonBody, requireJson } from "../http.js";
import { clientAddress, enforceLimit, limitBody } from "../rights/http.js";
import type { RightsApi } from "../rights/index.js";

const feedbackSchema = z.object({
  site: z.string({ required_error: "site is required" }).min(1).max(100),
  verdict: z.enum(["up", "down"]),
  kind: z.enum(["answer", "no_answer", "rights_request"]),
  citations: z
    .array(z.object({ title: z.string().max(300), section: z.string().max(500), url: z.string().max(2000) }))
    .max(20)
    .default([]),
});

/** Thumbs up or down on an answer, with the passages it cited. Stores no identity, not even the address. */
export function feedbackRoutes({ knowledge, rights }: AppDeps & { rights: RightsApi }) {
  return new Hono().post("/feedback", limitBody, requireJson, jsonBody(feedbackSchema), async (c) => {
    const feedback = c.req.valid("json");
    if (!knowledge.site(feedback.site)) throw new AppError("UNKNOWN_SITE", [feedback.site]);
    enforceLimit(rights.limiter, `feedback:address:${clientAddress(c)}`, rights.limits.feedbackPerAddress);
    const id = await rights.service.recordFeedback(feedback);
    return c.json({ id }, 201);
  });
}

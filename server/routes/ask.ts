import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { createAssistant } from "../assistant.js";
import { AppError } from "../errors.js";
import { jsonBody, requireJson } from "../http.js";

export const MAX_QUESTION_LENGTH = 1000;

const askSchema = z.object({
  question: z.string().optional(),
  site: z.string({ required_error: "site is required" }).min(1, "site is required"),
});

export function askRoutes({ knowledge }: AppDeps) {
  const assistant = createAssistant(knowledge);
  return new Hono().post("/ask", requireJson, jsonBody(askSchema), async (c) => {
    const { site } = c.req.valid("json");
    const question = c.req.valid("json").question?.trim() ?? "";
    if (!question) throw new AppError("QUESTION_MISSING");
    if (question.length > MAX_QUESTION_LENGTH) throw new AppError("QUESTION_TOO_LONG", [MAX_QUESTION_LENGTH]);
    if (!knowledge.site(site)) throw new AppError("UNKNOWN_SITE", [site]);
    return c.json(await assistant.ask(question, site));
  });
}

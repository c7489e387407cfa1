import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtp } from "../../tests/rights-support/smtp.js";
import { type Db, migrate, openPglite } from "./db.js";
import { createMailDispatcher } from "./mail.js";

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let db: Db;
const dir = mkdtempSync(path.join(os.tmpdir(), "mail-dispatch-"));

beforeAll(async () => {
  smtp = await startSmtp();
  db = await openPglite(path.join(dir, "db"));
  await migrate(db);
});
afterAll(async () => {
  await db?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("mail dispatcher at shutdown", () => {
  it("sends the message it is on, then hands the rest of its claimed batch back at once instead of holding the lease", async () => {
    const now = new Date();
    for (const n of [1, 2, 3]) {
      await db.query(
        "INSERT INTO mail_outbox (to_address, subject, body, created_at, next_attempt_at) VALUES ($1, 'Your code', 'code', $2, $2)",
        [`person${n}@example.test`, now],
      );
    }
    const mailer = createMailDispatcher({ db, smtpUrl: smtp.url, from: "privacy@example.test", leaseMs: 600_000 });
    let tried = 0;
    const sent = await mailer.deliverDue(() => tried++ >= 1);
    mailer.close();
    expect(sent).toBe(1);
    const rows = await db.query<{ to_address: string; state: string; next_attempt_at: Date; attempts: number }>(
      "SELECT to_address, state, next_attempt_at, attempts FROM mail_outbox ORDER BY id",
    );
    // The sent one is deleted; the other two are released, not leased for ten minutes: another instance or the next start sends them now.
    expect(rows.map((row) => [row.to_address, row.state])).toEqual([
      ["person2@example.test", "queued"],
      ["person3@example.test", "queued"],
    ]);
    for (const row of rows) {
      expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now());
      expect(row.attempts).toBe(0);
    }
  });
});

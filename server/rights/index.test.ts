import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEnv } from "../env.js";
import { openRights } from "./index.js";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "rights-open-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("openRights", () => {
  it("says at start-up where e-mail goes; its start-up sweep closes stale unverified requests and deletes unsent e-mail", async () => {
    const env = readEnv({ DATA_DIR: dataDir, UNVERIFIED_CLOSE_DAYS: "14" });
    const start = Date.UTC(2025, 5, 1);
    const logs: string[] = [];
    const first = await openRights(env, (line) => logs.push(line), { now: () => new Date(start) });
    expect(logs).toContain("rights: SMTP_URL is not set; e-mails are kept in the local outbox (GET /api/staff/outbox)");
    const { request } = await first.service.create({ site: "acme", right: "access", email: "p@example.com", source: "form" }, "k");
    // A hand-off an earlier version queued without WEBHOOK_URL: named at the next start, not delivered anywhere.
    await first.db.query(
      "INSERT INTO webhook_outbox (reference, event, payload, created_at, next_attempt_at) VALUES ($1, 'request.verified', '{}', now(), now())",
      [request.reference],
    );
    await first.close();

    const later = await openRights(env, (line) => logs.push(line), { now: () => new Date(start + 14 * 86_400_000) });
    expect(logs).toContain(
      "warn: rights: 1 verified request(s) wait in webhook_outbox; set WEBHOOK_URL to deliver them, or they are deleted when their requests are anonymised",
    );
    const closed = await later.service.get(request.reference);
    expect(closed.status).toBe("closed_unverified");
    expect(closed.closeReason).toBe("identity not verified within 14 days");
    expect(logs.slice(-2)).toEqual([
      "rights: closed 1 request(s) left unverified for 14 days",
      "rights: deleted 1 e-mail(s) left unsent for 72 hours",
    ]);
    expect(await later.db.query("SELECT * FROM mail_outbox")).toEqual([]);
    await later.close();

    // Closed on 15 June 2025: RETENTION_MONTHS (24) later, the next start-up anonymises it.
    const retained = await openRights(env, (line) => logs.push(line), { now: () => new Date(Date.UTC(2027, 5, 15) - 1) });
    expect((await retained.service.get(request.reference)).anonymisedAt).toBeNull();
    await retained.close();
    const expired = await openRights(env, (line) => logs.push(line), { now: () => new Date(Date.UTC(2027, 5, 15)) });
    expect(logs.at(-1)).toBe("rights: anonymised 1 request(s) closed 24 months ago");
    const [row] = await expired.db.query<{ email: string; anonymised_at: Date }>("SELECT email, anonymised_at FROM requests");
    expect(row).toEqual({ email: "", anonymised_at: new Date(Date.UTC(2027, 5, 15)) });
    expect(await expired.db.query("SELECT * FROM webhook_outbox")).toEqual([]);
    await expired.close();
  });

  it("refuses a webhook without a secret", async () => {
    const env = readEnv({ DATA_DIR: dataDir, WEBHOOK_URL: "http://127.0.0.1:9/hook" });
    await expect(openRights(env, () => {})).rejects.toThrow(/WEBHOOK_SECRET/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp } from "../../tests/rights-support/app.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "../../tests/rights-support/postgres.js";

const ALICE = "alice-token-0123456789";
const BOB = "bob-token-abcdefghijkl";
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const requester = { email: "forget.me@example.com", name: "Rosa Quint", country: "FR", details: "Rosa Quint, customer 5521" };

for (const backend of [
  { name: "embedded database", available: true },
  { name: "PostgreSQL", available: postgresBinDir() !== null },
]) {
  describe.skipIf(!backend.available)(`POST /api/staff/requests/:reference/erase (${backend.name})`, () => {
    let built: Awaited<ReturnType<typeof rightsApp>>;
    let postgres: TestPostgres | undefined;
    beforeAll(async () => {
      postgres = backend.name === "PostgreSQL" ? await startPostgres() : undefined;
      built = await rightsApp({ STAFF_TOKENS: `alice=${ALICE},bob=${BOB}`, ...(postgres ? { DATABASE_URL: postgres.url } : {}) });
    }, 120_000);
    afterAll(async () => {
      await built?.close();
      postgres?.stop();
    });

    it("erases a closed request's requester now, audited with the staff name and reason; refuses an open one", async () => {
      const { app, rights, logs } = built;
      const created = await postJson(
        app,
        "/api/requests",
        { site: "acme", right: "erasure", source: "form", ...requester },
        {
          "idempotency-key": "erase-1",
        },
      );
      const { reference } = (await created.json()) as { reference: string };
      const message = (await rights.service.localMessages()).find((m) => m.subject.includes(reference));
      await postJson(app, `/api/requests/${reference}/verify`, { code: /code is (\d{6})/.exec(message?.text ?? "")?.[1] });
      await postJson(app, `/api/staff/requests/${reference}/notes`, { text: "Rosa Quint rang about 5521" }, as(ALICE));
      const erase = (reason: unknown, token = BOB) => postJson(app, `/api/staff/requests/${reference}/erase`, { reason }, as(token));

      const open = await erase("asked on the phone");
      expect(open.status).toBe(409);
      expect(((await open.json()) as { error: { code: string } }).error.code).toBe("REQUEST_STILL_OPEN");
      expect((await erase("   ")).status).toBe(400);
      expect((await app.request(`/api/staff/requests/${reference}/erase`, { method: "POST" })).status).toBe(401);
      const mailsBefore = await rights.db.query("SELECT 1 FROM mail_outbox WHERE reference = $1", [reference]);
      expect(mailsBefore.length).toBe(2); // the code and "verified" e-mails, in the local outbox

      await postJson(app, `/api/staff/requests/${reference}/transition`, { to: "canceled", note: "withdrawn" }, as(ALICE));
      const erased = await erase("Requester asked to be forgotten now");
      expect(erased.status).toBe(200);
      const { request } = (await erased.json()) as { request: Record<string, unknown> };
      expect(request).toMatchObject({ reference, status: "canceled", email: "", name: null, country: null, details: null });
      expect(typeof request.anonymisedAt).toBe("string");

      const [row] = await rights.db.query<Record<string, unknown>>("SELECT * FROM requests WHERE reference = $1", [reference]);
      expect(row).toMatchObject({ email: "", name: null, country: null, details: null, jurisdiction: "GDPR", right_kind: "erasure" });
      const notes = await rights.db.query("SELECT author, text FROM request_notes WHERE reference = $1", [reference]);
      expect(notes).toEqual([{ author: "alice", text: "" }]);
      expect(await rights.db.query("SELECT 1 FROM mail_outbox WHERE reference = $1", [reference])).toEqual([]);
      const audit = await rights.db.query<{ actor: string; action: string; note: string | null }>(
        "SELECT actor, action, note FROM request_audit WHERE reference = $1 ORDER BY id",
        [reference],
      );
      expect(audit.map((a) => `${a.actor}:${a.action}`)).toEqual([
        "requester:created",
        "requester:transition",
        "alice:transition",
        "bob:erased",
      ]);
      expect(audit.at(-1)!.note).toBe("Requester asked to be forgotten now");
      const stored = JSON.stringify([row, notes, audit]);
      for (const part of [requester.email, "Rosa", "Quint", "5521"]) expect(stored).not.toContain(part);
      expect(logs.filter((line) => line.includes("Rosa") || line.includes(requester.email))).toEqual([]);
      expect(logs.some((line) => line.includes(`request erased by staff: ${reference}`))).toBe(true);

      // Erased once: asking again answers the same request and writes no second line.
      expect((await erase("double click", ALICE)).status).toBe(200);
      const erasures = await rights.db.query("SELECT actor FROM request_audit WHERE action = 'erased'");
      expect(erasures).toEqual([{ actor: "bob" }]);
    });
  });
}

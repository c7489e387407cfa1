import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp, staffHeaders } from "../../tests/rights-support/app.js";

const ALICE = "alice-token-0123456789";
const BOB = "bob-token-abcdefghijkl";

describe("named staff (STAFF_TOKENS)", () => {
  let built: Awaited<ReturnType<typeof rightsApp>>;
  beforeAll(async () => {
    built = await rightsApp({ STAFF_TOKENS: `alice=${ALICE}, bob=${BOB}` });
  });
  afterAll(() => built.close());

  it("names whoever acted in the audit log; the shared STAFF_TOKEN still works, as staff", async () => {
    const { app, rights } = built;
    const created = await postJson(
      app,
      "/api/requests",
      { site: "acme", right: "access", email: "named@example.com", country: "FR", source: "form" },
      { "idempotency-key": "named" },
    );
    const { reference } = (await created.json()) as { reference: string };
    const message = (await rights.service.localMessages()).find((m) => m.subject.includes(reference));
    await postJson(app, `/api/requests/${reference}/verify`, { code: /code is (\d{6})/.exec(message?.text ?? "")?.[1] });

    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await postJson(app, `/api/staff/requests/${reference}/transition`, { to: "in_progress" }, as(ALICE))).status).toBe(200);
    expect((await postJson(app, `/api/staff/requests/${reference}/extend`, { reason: "Backups to search" }, as(BOB))).status).toBe(200);
    expect((await postJson(app, `/api/staff/requests/${reference}/notes`, { text: "Shared login" }, staffHeaders)).status).toBe(201);
    const detail = (await (await app.request(`/api/staff/requests/${reference}`, { headers: as(BOB) })).json()) as {
      audit: Array<{ actor: string; action: string }>;
    };
    expect(detail.audit.map((entry) => `${entry.actor}:${entry.action}`)).toEqual([
      "requester:created",
      "requester:transition",
      "alice:transition",
      "bob:extended",
    ]);
    const rows = await rights.db.query<{ author: string }>("SELECT author FROM request_notes WHERE reference = $1", [reference]);
    expect(rows.map((row) => row.author)).toEqual(["staff"]);
  });

  it("refuses a token that is not on the list, and any scheme but Bearer", async () => {
    const { app } = built;
    for (const authorization of [`Bearer ${ALICE}x`, `Basic ${Buffer.from(`alice:${ALICE}`).toString("base64")}`, ALICE]) {
      expect((await app.request("/api/staff/requests", { headers: { authorization } })).status).toBe(401);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp, staffHeaders } from "../../tests/rights-support/app.js";

let built: Awaited<ReturnType<typeof rightsApp>>;
beforeAll(async () => {
  built = await rightsApp();
});
afterAll(() => built.close());

async function createVerified(email: string, country: string, key: string) {
  const { app, rights } = built;
  const { reference } = (await (
    await postJson(
      app,
      "/api/requests",
      { site: "acme", right: "erasure", email, name: "Jo Doe", country, source: "chat" },
      { "idempotency-key": key },
    )
  ).json()) as { reference: string };
  const message = (await rights.service.localMessages()).find((m) => m.subject.includes(reference))!;
  await postJson(app, `/api/requests/${reference}/verify`, { code: message.text.match(/code is (\d{6})/)![1]! });
  return reference;
}

describe("staff API", () => {
  it("needs the staff token", async () => {
    for (const url of ["/api/staff/requests", "/api/staff/requests.csv", "/api/staff/outbox", "/api/staff/requests/PR-0000-0000"]) {
      const response = await built.app.request(url, { headers: { authorization: "Bearer wrong-token-wrong-token-1" } });
      expect(response.status).toBe(401);
    }
  });

  it("tells every cache to keep no copy of a staff reply, JSON or CSV", async () => {
    for (const url of ["/api/staff/requests", "/api/staff/requests.csv", "/api/staff/outbox", "/api/staff/summary"]) {
      const response = await built.app.request(url, { headers: staffHeaders });
      expect(response.status, url).toBe(200);
      expect(response.headers.get("cache-control"), url).toBe("no-store");
    }
  });

  it("lists with filters, shows audit and notes, moves, extends and exports", async () => {
    const { app } = built;
    const gdpr = await createVerified("a@example.com", "FR", "s1");
    const lgpd = await createVerified("b@example.com", "BR", "s2");
    const list = (await (await app.request("/api/staff/requests?status=pending", { headers: staffHeaders })).json()) as {
      requests: Array<{ reference: string; dueAt: string; jurisdiction: string; allowedTransitions: string[] }>;
    };
    expect(list.requests.map((r) => r.reference)).toEqual([lgpd, gdpr]);
    expect(list.requests[0]).toMatchObject({ jurisdiction: "LGPD", allowedTransitions: ["in_progress", "denied", "canceled"] });
    const soon = (await (await app.request("/api/staff/requests?dueWithinDays=20", { headers: staffHeaders })).json()) as {
      requests: Array<{ reference: string }>;
    };
    expect(soon.requests.map((r) => r.reference)).toEqual([lgpd]);
    const badFilter = await app.request("/api/staff/requests?status=lost", { headers: staffHeaders });
    expect(badFilter.status).toBe(400);

    const moved = await postJson(app, `/api/staff/requests/${gdpr}/transition`, { to: "in_progress", note: "started" }, staffHeaders);
    expect(((await moved.json()) as { request: { status: string } }).request.status).toBe("in_progress");
    const denyWithoutReason = await postJson(app, `/api/staff/requests/${gdpr}/transition`, { to: "denied" }, staffHeaders);
    expect(denyWithoutReason.status).toBe(400);
    expect(((await denyWithoutReason.json()) as { error: { code: string } }).error.code).toBe("NOTE_REQUIRED");
    const extend = await postJson(app, `/api/staff/requests/${gdpr}/extend`, { reason: "Several systems to search" }, staffHeaders);
    expect(((await extend.json()) as { request: { extended: boolean } }).request.extended).toBe(true);
    const lgpdExtend = await postJson(app, `/api/staff/requests/${lgpd}/extend`, { reason: "x" }, staffHeaders);
    expect(lgpdExtend.status).toBe(409);
    const noted = await postJson(app, `/api/staff/requests/${gdpr}/notes`, { text: "Asked IT for the backup export" }, staffHeaders);
    expect(noted.status).toBe(201);

    const detail = (await (await app.request(`/api/staff/requests/${gdpr}`, { headers: staffHeaders })).json()) as {
      request: { status: string };
      audit: Array<{ action: string; actor: string; from: string | null; to: string | null; note: string | null }>;
      notes: Array<{ text: string }>;
    };
    expect(detail.audit.map((a) => `${a.actor}:${a.action}:${a.from ?? ""}->${a.to ?? ""}`)).toEqual([
      "requester:created:->identity_unverified",
      "requester:transition:identity_unverified->pending",
      "staff:transition:pending->in_progress",
      "staff:extended:->",
    ]);
    expect(detail.notes.map((n) => n.text)).toEqual(["Asked IT for the backup export"]);

    const csv = await app.request("/api/staff/requests.csv?site=acme", { headers: staffHeaders });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^reference,site,right,status,email,name/);
    expect(lines).toHaveLength(3);
    expect(lines.some((line) => line.startsWith(`${gdpr},acme,erasure,in_progress,a@example.com,Jo Doe,FR`))).toBe(true);

    const outbox = (await (await app.request("/api/staff/outbox", { headers: staffHeaders })).json()) as {
      messages: Array<{ to: string; subject: string }>;
    };
    expect(outbox.messages.map((m) => m.to)).toEqual(expect.arrayContaining(["a@example.com", "b@example.com"]));
  });

  it("finds requests by part of a reference or e-mail, shows open or closed ones, and pages on the server", async () => {
    const { app } = built;
    const list = async (query: string) =>
      (await (await app.request(`/api/staff/requests?site=globex&right=portability&${query}`, { headers: staffHeaders })).json()) as {
        requests: Array<{ reference: string; email: string; status: string }>;
        total: number;
        offset: number;
        limit: number;
      };
    const references: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const created = await postJson(
        app,
        "/api/requests",
        { site: "globex", right: "portability", email: `Page.Person${n}@Example.com`, source: "form" },
        { "idempotency-key": `paged-${n}` },
      );
      references.push(((await created.json()) as { reference: string }).reference);
    }
    await postJson(app, `/api/staff/requests/${references[4]}/transition`, { to: "canceled", note: "asked twice" }, staffHeaders);

    const byMail = await list("q=person3%40example");
    expect(byMail.requests.map((r) => r.reference)).toEqual([references[2]]);
    const byReference = await list(`q=${references[1]!.slice(3, 8).toLowerCase()}`);
    expect(byReference.requests.map((r) => r.reference)).toContain(references[1]);
    // LIKE's wildcards are literal characters in a search, not patterns.
    expect((await list("q=%25")).total).toBe(0);
    expect((await list("q=_")).total).toBe(0);

    expect((await list("state=open")).total).toBe(4);
    expect((await list("state=closed")).requests.map((r) => r.status)).toEqual(["canceled"]);

    const first = await list("state=open&limit=3");
    const second = await list("state=open&limit=3&offset=3");
    expect([first.total, first.requests.length, first.offset, first.limit]).toEqual([4, 3, 0, 3]);
    expect([second.total, second.requests.length, second.offset]).toEqual([4, 1, 3]);
    const paged = [...first.requests, ...second.requests].map((r) => r.reference);
    expect(new Set(paged).size).toBe(4);
    const latestFirst = await list("state=open&order=-due");
    expect(latestFirst.requests.map((r) => r.reference)).toEqual([...paged].reverse());
    expect((await app.request("/api/staff/requests?limit=0", { headers: staffHeaders })).status).toBe(400);
  });

  it("counts open requests by status and by whole days left on the server, closed ones left out", async () => {
    const db = built.rights.db;
    const now = Date.now();
    const day = 86_400_000;
    const at = (days: number) => new Date(now + days * day);
    // Rows written straight into the table, so each due date sits exactly at a bucket's edge.
    const rows: Array<[string, string, number]> = [
      ["SUM-1", "pending", -0.01],
      ["SUM-2", "pending", 0.5],
      ["SUM-3", "in_progress", 7.9],
      ["SUM-4", "identity_unverified", 8.1],
      ["SUM-5", "pending", 14.9],
      ["SUM-6", "pending", 15.1],
      ["SUM-7", "pending", 30.9],
      ["SUM-8", "pending", 31.1],
      ["SUM-9", "completed", 3],
      ["SUM-10", "denied", -3],
    ];
    const before = (await (await built.app.request("/api/staff/summary", { headers: staffHeaders })).json()) as {
      byStatus: Array<{ status: string; count: number }>;
      byDaysLeft: Array<{ bucket: string; count: number }>;
    };
    for (const [reference, status, days] of rows) {
      await db.query(
        `INSERT INTO requests (reference, idempotency_key, body_hash, site, right_kind, email, source, jurisdiction, status,
           received_at, due_at, updated_at)
         VALUES ($1, $1, 'x', 'acme', 'access', 's@example.com', 'form', 'GDPR', $2, $3, $4, $3)`,
        [reference, status, new Date(now), at(days)],
      );
    }
    const after = (await (await built.app.request("/api/staff/summary", { headers: staffHeaders })).json()) as typeof before;
    const added = (list: Array<{ count: number }>, previous: Array<{ count: number }>) =>
      list.map((item, i) => item.count - previous[i]!.count);
    expect(after.byStatus.map((s) => s.status)).toEqual(["identity_unverified", "pending", "in_progress"]);
    expect(added(after.byStatus, before.byStatus)).toEqual([1, 6, 1]);
    expect(after.byDaysLeft.map((b) => b.bucket)).toEqual(["overdue", "week", "fortnight", "month", "later"]);
    expect(added(after.byDaysLeft, before.byDaysLeft)).toEqual([1, 2, 2, 2, 1]);
    expect((await built.app.request("/api/staff/summary")).status).toBe(401);
  });

  it("defuses spreadsheet formulas in the CSV export", async () => {
    const { app } = built;
    await postJson(
      app,
      "/api/requests",
      { site: "globex", right: "access", email: "c@example.com", name: '=HYPERLINK("http://x")', source: "form" },
      { "idempotency-key": "csv" },
    );
    const text = await (await app.request("/api/staff/requests.csv?site=globex", { headers: staffHeaders })).text();
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

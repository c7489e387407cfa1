import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp, staffHeaders } from "./rights-support/app.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "./rights-support/postgres.js";

/** NUL, another C0 control character, and each half of a surrogate pair alone. */
const UNWRITABLE = ["\u0000", "a\u0007b", "\ud800", "x\udc00"];
const FORM = { site: "acme", right: "access", email: "nul@example.com", name: "Nul Test", country: "DE", details: "d", source: "form" };

type Built = Awaited<ReturnType<typeof rightsApp>>;

async function errorCode(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { error?: { code?: string } }).error?.code;
}

/** A verified request to aim the staff routes at. */
async function verifiedReference(built: Built): Promise<string> {
  const created = await postJson(built.app, "/api/requests", { ...FORM, email: "target@example.com" }, { "idempotency-key": "target" });
  const { reference } = (await created.json()) as { reference: string };
  const message = (await built.rights.service.localMessages()).find((m) => m.subject.includes(reference));
  const code = /code is (\d{6})/.exec(message?.text ?? "")?.[1];
  expect((await postJson(built.app, `/api/requests/${reference}/verify`, { code })).status).toBe(200);
  return reference;
}

const backends = [
  { name: "embedded database", available: true },
  { name: "PostgreSQL", available: postgresBinDir() !== null },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`control characters and lone surrogates are refused before storage (${backend.name})`, () => {
    let built: Built;
    let postgres: TestPostgres | undefined;
    let reference: string;

    beforeAll(async () => {
      postgres = backend.name === "PostgreSQL" ? await startPostgres() : undefined;
      built = await rightsApp(postgres ? { DATABASE_URL: postgres.url } : {});
      reference = await verifiedReference(built);
    }, 120_000);
    afterAll(async () => {
      await built?.close();
      postgres?.stop();
    });

    it("answers 400 INVALID_CHARACTER for each field of every body, nothing stored", async () => {
      // (The verification code is six digits by its schema: anything else there is INVALID_INPUT, also a 400.)
      const bodies: Array<[string, Record<string, unknown>, Record<string, string>]> = [
        // Every free-text field (source is an enum: anything but its values is INVALID_INPUT before characters are read).
        ...Object.keys(FORM)
          .filter((field) => field !== "source")
          .map((field): [string, Record<string, unknown>, Record<string, string>] => [
            "/api/requests",
            { ...FORM, [field]: "" },
            { "idempotency-key": `k-${field}` },
          ]),
        [`/api/staff/requests/${reference}/notes`, { text: "" }, staffHeaders],
        [`/api/staff/requests/${reference}/extend`, { reason: "" }, staffHeaders],
        [`/api/staff/requests/${reference}/erase`, { reason: "" }, staffHeaders],
        [`/api/staff/requests/${reference}/transition`, { to: "in_progress", note: "" }, staffHeaders],
        ["/api/feedback", { site: "acme", verdict: "down", kind: "answer", citations: [{ title: "", section: "s", url: "u" }] }, {}],
        ["/api/ask", { question: "", site: "acme" }, {}],
      ];
      let tried = 0;
      for (const bad of UNWRITABLE) {
        for (const [url, template, headers] of bodies) {
          const body = JSON.parse(JSON.stringify(template).replace(/""/, JSON.stringify(`ok ${bad} ok`)));
          const response = await postJson(built.app, url, body, {
            ...headers,
            ...(headers["idempotency-key"] ? { "idempotency-key": `${headers["idempotency-key"]}-${tried}` } : {}),
          });
          expect(response.status, `${url} ${JSON.stringify(body)}`).toBe(400);
          expect(await errorCode(response), `${url} ${JSON.stringify(body)}`).toBe("INVALID_CHARACTER");
          tried++;
        }
      }
      expect(tried).toBe(UNWRITABLE.length * bodies.length);
      const [requests] = await built.rights.db.query<{ count: string | number }>("SELECT count(*) AS count FROM requests");
      expect(Number(requests?.count)).toBe(1);
      const [notes] = await built.rights.db.query<{ count: string | number }>("SELECT count(*) AS count FROM request_notes");
      expect(Number(notes?.count)).toBe(0);
    });

    it("answers 400 INVALID_CHARACTER for each query parameter and path, never a 500", async () => {
      const urls = [
        (bad: string) => `/api/staff/requests?site=${encodeURIComponent(bad)}`,
        (bad: string) => `/api/staff/requests?q=${encodeURIComponent(bad)}`,
        (bad: string) => `/api/staff/requests.csv?site=${encodeURIComponent(bad)}`,
        (bad: string) => `/api/staff/insights?site=${encodeURIComponent(bad)}`,
        (bad: string) => `/api/staff/coverage?site=${encodeURIComponent(bad)}`,
        (bad: string) => `/api/search?site=acme&q=${encodeURIComponent(bad)}`,
        (bad: string) => `/api/staff/requests/${encodeURIComponent(bad)}`,
      ];
      for (const bad of ["\u0000", "a\u0007b"]) {
        for (const url of urls) {
          const response = await built.app.request(url(bad), { headers: staffHeaders });
          expect(response.status, url(bad)).toBe(400);
          expect(await errorCode(response)).toBe("INVALID_CHARACTER");
        }
      }
    });

    it("keeps tabs and line breaks where text allows them", async () => {
      const response = await postJson(
        built.app,
        "/api/requests",
        { ...FORM, details: "line one\nline two\twith a tab\r\n" },
        { "idempotency-key": "tabs" },
      );
      expect(response.status).toBe(201);
    });

    it("answers JSON nested 100,000 deep with a 400, not a crash", async () => {
      const deep = `{"site":"acme","details":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
      for (const url of ["/api/requests", "/api/feedback", "/api/ask", `/api/staff/requests/${reference}/notes`]) {
        const response = await built.app.request(url, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": "deep", ...staffHeaders },
          body: deep,
        });
        expect(response.status, url).toBeGreaterThanOrEqual(400);
        expect(response.status, url).toBeLessThan(500);
      }
    });
  });
}

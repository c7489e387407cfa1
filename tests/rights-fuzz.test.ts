import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rightsApp, STAFF_TOKEN } from "./rights-support/app.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "./rights-support/postgres.js";

/** Seeded so a failure can be replayed: FUZZ_SEED is printed with every failure message. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const SEED = 20251123;
const COUNT = 4000;
const rand = prng(SEED);

const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "\r\n\r\n",
  "acme",
  "access",
  "erasure",
  "a@b.co",
  "x".repeat(300),
  "x".repeat(rand.next() < 0.3 ? 70_000 : 3000),
  "é".repeat(5001),
  "<script>alert(1)</script>",
  "'; DROP TABLE requests; --",
  "$1",
  "%s%s%s",
  "../../../../etc/passwd",
  "PR-0000-0000",
  "\u202e\u0000\ud800",
  "\udfff lone low surrogate",
  "bell \u0007 and escape \u001b",
  "=cmd|' /C calc'!A0",
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "1e309",
  "null",
  "true",
  "😀".repeat(100),
  "a@b",
  "@",
  "a@b.c\nBcc: x@y.z",
];
const KEYS = [
  "site",
  "right",
  "email",
  "name",
  "country",
  "details",
  "source",
  "code",
  "verdict",
  "kind",
  "citations",
  "to",
  "note",
  "reason",
  "text",
  "__proto__",
  "constructor",
];

function randomValue(depth = 0): unknown {
  switch (rand.int(depth > 2 ? 6 : 9)) {
    case 0:
      return rand.pick(NASTY_STRINGS);
    case 1:
      return rand.int(3) === 0 ? -rand.next() * 1e12 : rand.int(1_000_000);
    case 2:
      return rand.next() < 0.5;
    case 3:
      return null;
    case 4:
      return String(rand.int(1_000_000)).padStart(6, "0");
    case 5:
      return rand.pick(["chat", "form", "staff", "up", "down", "answer", "pending", "denied", "in_progress", "completed", "FR", "US-CA"]);
    case 6:
      return Array.from({ length: rand.int(4) }, () => randomValue(depth + 1));
    default:
      return randomObject(depth + 1);
  }
}

function randomObject(depth = 0): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = rand.int(8); i > 0; i--)
    Object.defineProperty(object, rand.pick(KEYS), { value: randomValue(depth), enumerable: true, configurable: true, writable: true });
  return object;
}

const VALID = { site: "acme", right: "access", email: "fuzz@example.com", name: "Fuzz", country: "DE", source: "form" };

function randomBody(): string | undefined {
  switch (rand.int(8)) {
    case 0:
      return undefined;
    case 1:
      return rand.pick([
        "{",
        "[",
        '{"site":',
        "null",
        "1",
        '"str"',
        "[]",
        "{}}",
        "\u0000",
        '{"a":1,"a":2}',
        "x".repeat(40_000),
        `{"details":${"[".repeat(50_000)}${"]".repeat(50_000)}}`,
      ]);
    case 2: {
      const mutated: Record<string, unknown> = { ...VALID };
      mutated[rand.pick(Object.keys(VALID))] = randomValue();
      return JSON.stringify(mutated);
    }
    case 3:
    case 4:
      return JSON.stringify({ ...VALID, email: `f${rand.int(1e9)}@example.com` });
    default:
      return JSON.stringify(rand.next() < 0.2 ? randomValue() : randomObject());
  }
}

/** References the fuzz has created, so later calls reach the database paths too. */
const known: string[] = [];

function randomReference(): string {
  if (known.length && rand.next() < 0.5) return rand.pick(known);
  return rand.pick([
    "PR-0000-0000",
    "pr-7k4m-q2xd",
    "x",
    "%",
    "%E0%A4%A",
    "%00",
    "..%2F..%2F",
    `PR-${"A".repeat(500)}`,
    encodeURIComponent("😀"),
    "PR-OOOO-IIII",
    "1",
  ]);
}

function randomHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rand.next() < 0.75) headers["content-type"] = "application/json";
  else if (rand.next() < 0.8)
    headers["content-type"] = rand.pick([
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/vnd.api+json",
      "",
      "json",
    ]);
  if (rand.next() < 0.7) headers["idempotency-key"] = `key-${rand.int(1e9)}`;
  // biome-ignore lint/suspicious/noDuplicateElseIf: every rand.next() is a fresh draw
  else if (rand.next() < 0.7)
    headers["idempotency-key"] = rand
      .pick(["k1", "", " ", "x".repeat(201), `k-${rand.int(1e9)}`, "ключ", "a b", "\t"])
      .replace(/[^\x20-\x7e\t]/g, "?");
  if (rand.next() < 0.75) headers.authorization = `Bearer ${STAFF_TOKEN}`;
  else if (rand.next() < 0.6)
    headers.authorization = rand.pick([
      `Bearer ${STAFF_TOKEN}`,
      "Bearer ",
      "Basic Zm9vOmJhcg==",
      `Bearer ${STAFF_TOKEN}x`,
      `Bearer ${"a".repeat(5000)}`,
    ]);
  if (rand.next() < 0.1) headers["content-length"] = String(rand.int(1e9));
  return headers;
}

const QUERY_VALUES = [
  "",
  "pending",
  "bogus",
  "-1",
  "99999999",
  "1.5",
  "true",
  "false",
  "acme",
  "access",
  "%00",
  "\u0000",
  "a\u0007",
  "x".repeat(500),
];
function randomQuery(): string {
  const keys = ["status", "site", "right", "dueWithinDays", "overdue", "limit", "q"];
  const parts = Array.from({ length: rand.int(4) }, () => `${rand.pick(keys)}=${encodeURIComponent(rand.pick(QUERY_VALUES))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

function randomCall(): { method: string; path: string } {
  return rand.pick([
    () => ({ method: "POST", path: "/api/requests" }),
    () => ({ method: "POST", path: "/api/requests" }),
    () => ({ method: "POST", path: "/api/requests" }),
    () => ({ method: "POST", path: `/api/requests/${randomReference()}/verify` }),
    () => ({ method: "POST", path: `/api/requests/${randomReference()}/resend` }),
    () => ({ method: "POST", path: "/api/feedback" }),
    () => ({ method: "GET", path: `/api/staff/requests${randomQuery()}` }),
    () => ({ method: "GET", path: `/api/staff/requests.csv${randomQuery()}` }),
    () => ({ method: "GET", path: `/api/staff/requests/${randomReference()}` }),
    () => ({ method: "POST", path: `/api/staff/requests/${randomReference()}/transition` }),
    () => ({ method: "POST", path: `/api/staff/requests/${randomReference()}/extend` }),
    () => ({ method: "POST", path: `/api/staff/requests/${randomReference()}/notes` }),
    () => ({ method: "POST", path: `/api/staff/requests/${randomReference()}/erase` }),
    () => ({ method: "GET", path: "/api/staff/outbox" }),
    () => ({
      method: rand.pick(["PUT", "DELETE", "PATCH", "GET"]),
      path: rand.pick(["/api/requests", "/api/feedback", `/api/requests/${randomReference()}/verify`]),
    }),
  ])();
}

for (const backend of [
  { name: "embedded database", available: true },
  { name: "PostgreSQL", available: postgresBinDir() !== null },
]) {
  describe.skipIf(!backend.available)(`bad-input fuzz (seed ${SEED}, ${backend.name})`, () => {
    let built: Awaited<ReturnType<typeof rightsApp>>;
    let postgres: TestPostgres | undefined;
    beforeAll(async () => {
      postgres = backend.name === "PostgreSQL" ? await startPostgres() : undefined;
      const generous = { limit: 1_000_000, windowMs: 60_000 };
      built = await rightsApp(postgres ? { DATABASE_URL: postgres.url } : {}, {
        limits: {
          createPerAddress: generous,
          createPerEmail: { limit: 50, windowMs: 60_000 },
          codePerAddress: generous,
          feedbackPerAddress: generous,
        },
      });
    }, 120_000);
    afterAll(async () => {
      await built?.close();
      postgres?.stop();
    });
    it(`answers ${COUNT} hostile requests without a 5xx, every refusal a JSON error with a code`, async () => {
      known.length = 0;
      const statuses = new Map<number, number>();
      const codes = new Map<string, number>();
      const failures: string[] = [];
      const started = Date.now();
      for (let i = 0; i < COUNT; i++) {
        const { method, path } = randomCall();
        const body = method === "GET" ? undefined : randomBody();
        const headers = randomHeaders();
        const response = await built.app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const text = await response.text();
        if (response.status === 201 && path === "/api/requests") known.push((JSON.parse(text) as { reference: string }).reference);
        const describeCall = `#${i} ${method} ${path.slice(0, 80)} -> ${response.status} ${text.slice(0, 200)}`;
        if (response.status >= 500) failures.push(describeCall);
        if (response.status >= 400) {
          let code: unknown;
          try {
            code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
          } catch {
            code = undefined;
          }
          if (typeof code !== "string" || !response.headers.get("content-type")?.includes("application/json"))
            failures.push(`not a JSON error: ${describeCall}`);
          else codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `fuzz: ${COUNT} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; codes ${JSON.stringify(Object.fromEntries(codes))}`,
      );
      expect(failures.slice(0, 10)).toEqual([]);
      // The generator must reach past the outer checks, or the test proves little.
      expect(statuses.get(201) ?? 0).toBeGreaterThan(50);
      expect(codes.size).toBeGreaterThan(8);
    });
  });
}

import { afterEach, describe, expect, it } from "vitest";
import { postJson, rightsApp } from "../../tests/rights-support/app.js";

const form = { site: "acme", right: "access", email: "maria@example.net", name: "Maria Silva", country: "BR", source: "form" };
const opened: Awaited<ReturnType<typeof rightsApp>>[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});
async function setup(...args: Parameters<typeof rightsApp>) {
  const built = await rightsApp(...args);
  opened.push(built);
  return built;
}
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe("POST /api/requests", () => {
  it("answers 201 with a reference, the unverified status, the LGPD due date; a retry with the key returns the same", async () => {
    const { app, rights } = await setup();
    const first = await postJson(app, "/api/requests", form, { "idempotency-key": "abc-1" });
    expect(first.status).toBe(201);
    const body = (await first.json()) as { reference: string; status: string; dueAt: string; resendAvailableAt: string };
    expect(body.reference).toMatch(/^PR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(body.status).toBe("identity_unverified");
    expect(new Date(body.dueAt).getTime() - Date.now()).toBeGreaterThan(14.9 * 86_400_000);
    expect(new Date(body.dueAt).getTime() - Date.now()).toBeLessThan(15.1 * 86_400_000);
    const retry = await postJson(app, "/api/requests", form, { "idempotency-key": "abc-1" });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(((await retry.json()) as { reference: string }).reference).toBe(body.reference);
    expect(await rights.service.list()).toHaveLength(1);
    const reused = await postJson(app, "/api/requests", { ...form, right: "erasure" }, { "idempotency-key": "abc-1" });
    expect(reused.status).toBe(422);
    expect(await errorCode(reused)).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("takes a general enquiry from the no-answer reply: due by the site's default days, whatever the country, listed with the requests", async () => {
    const { app, rights } = await setup();
    const enquiry = { ...form, right: "enquiry", details: "Do you use my chats to train a model?", source: "chat" };
    const response = await postJson(app, "/api/requests", enquiry, { "idempotency-key": "enquiry-1" });
    expect(response.status).toBe(201);
    const { dueAt } = (await response.json()) as { dueAt: string };
    const days = (new Date(dueAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    const [listed] = await rights.service.list({ right: "enquiry" });
    expect(listed).toMatchObject({ right: "enquiry", jurisdiction: "DEFAULT", details: enquiry.details });
  });

  it.each([
    ["missing key", form, {}, 400, "IDEMPOTENCY_KEY_MISSING"],
    ["unknown site", { ...form, site: "nowhere" }, { "idempotency-key": "k" }, 404, "UNKNOWN_SITE"],
    ["unknown right", { ...form, right: "telepathy" }, { "idempotency-key": "k" }, 400, "UNKNOWN_RIGHT"],
    ["malformed e-mail", { ...form, email: "maria at example" }, { "idempotency-key": "k" }, 400, "INVALID_EMAIL"],
    ["oversized details", { ...form, details: "x".repeat(5001) }, { "idempotency-key": "k" }, 400, "FIELD_TOO_LONG"],
    ["bad source", { ...form, source: "fax" }, { "idempotency-key": "k" }, 400, "INVALID_INPUT"],
    ["a visitor claiming to be staff", { ...form, source: "staff" }, { "idempotency-key": "k" }, 400, "INVALID_INPUT"],
    ["malformed JSON", '{"site": "acme",', { "idempotency-key": "k" }, 400, "BAD_JSON"],
    ["huge body", JSON.stringify({ ...form, details: "x".repeat(100_000) }), { "idempotency-key": "k" }, 413, "PAYLOAD_TOO_LARGE"],
  ])("refuses %s", async (_label, body, headers, status, code) => {
    const { app, rights } = await setup();
    const response = await postJson(app, "/api/requests", body, headers);
    expect(response.status).toBe(status);
    expect(await errorCode(response)).toBe(code);
    expect(await rights.service.list()).toHaveLength(0);
  });

  it("rate-limits per e-mail and per address with 429 and Retry-After, losing nothing already accepted", async () => {
    const { app, rights } = await setup(
      {},
      { limits: { createPerEmail: { limit: 3, windowMs: 60_000 }, createPerAddress: { limit: 5, windowMs: 60_000 } } },
    );
    const accepted: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await postJson(app, "/api/requests", form, { "idempotency-key": `e-${i}` });
      if (response.status === 201) accepted.push(((await response.json()) as { reference: string }).reference);
      else {
        expect(response.status).toBe(429);
        expect(await errorCode(response)).toBe("RATE_LIMITED");
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      }
    }
    expect(accepted).toHaveLength(3);
    const other = await postJson(app, "/api/requests", { ...form, email: "x@example.net" }, { "idempotency-key": "other-1" });
    expect(other.status).toBe(201);
    const flood = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postJson(app, "/api/requests", { ...form, email: `f${i}@example.net` }, { "idempotency-key": `flood-${i}` }),
      ),
    );
    // The address has used its 5 (3 accepted, 1 refused for the e-mail, 1 other): the whole flood is refused.
    expect(flood.map((r) => r.status)).toEqual(Array(20).fill(429));
    // A retry of an accepted request still gets its answer during the flood.
    const retry = await postJson(app, "/api/requests", form, { "idempotency-key": "e-0" });
    expect(retry.status).toBe(201);
    expect((await rights.service.list()).map((r) => r.reference)).toEqual(expect.arrayContaining(accepted));
    expect(await rights.service.list()).toHaveLength(4);
  });
});

describe("verify and resend", () => {
  it("verifies with the code from the local outbox, reports attempts left, and refuses resend during the cooldown", async () => {
    const { app, rights } = await setup();
    const created = (await (await postJson(app, "/api/requests", form, { "idempotency-key": "v" })).json()) as { reference: string };
    const [message] = await rights.service.localMessages();
    const code = message!.text.match(/code is (\d{6})/)![1]!;
    const wrong = code === "123456" ? "654321" : "123456";
    const bad = await postJson(app, `/api/requests/${created.reference}/verify`, { code: wrong });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "CODE_INVALID",
      message: "That code is not right; 4 attempts left.",
    });
    const tooSoon = await postJson(app, `/api/requests/${created.reference}/resend`, {});
    expect(tooSoon.status).toBe(429);
    expect(await errorCode(tooSoon)).toBe("RESEND_TOO_SOON");
    expect(Number(tooSoon.headers.get("retry-after"))).toBeGreaterThan(50);
    const lowerCase = created.reference.toLowerCase();
    const ok = await postJson(app, `/api/requests/${lowerCase}/verify`, { code });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ reference: created.reference, status: "pending" });
    const unknown = await postJson(app, "/api/requests/PR-0000-0000/verify", { code });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("REQUEST_NOT_FOUND");
  });

  it("answers 410 for an expired code and 429 after five wrong ones", async () => {
    let nowMs = Date.now();
    const { app, rights } = await setup({}, { now: () => new Date(nowMs) });
    const make = async (key: string) => {
      const { reference } = (await (await postJson(app, "/api/requests", form, { "idempotency-key": key })).json()) as {
        reference: string;
      };
      const message = (await rights.service.localMessages()).find((m) => m.subject.includes(reference))!;
      return { reference, code: message.text.match(/code is (\d{6})/)![1]! };
    };
    const a = await make("a");
    const wrong = a.code === "000000" ? "000001" : "000000";
    for (let i = 0; i < 4; i++) expect((await postJson(app, `/api/requests/${a.reference}/verify`, { code: wrong })).status).toBe(400);
    const locked = await postJson(app, `/api/requests/${a.reference}/verify`, { code: wrong });
    expect(locked.status).toBe(429);
    expect(await errorCode(locked)).toBe("CODE_ATTEMPTS_EXCEEDED");
    const b = await make("b");
    nowMs += 16 * 60_000;
    const expired = await postJson(app, `/api/requests/${b.reference}/verify`, { code: b.code });
    expect(expired.status).toBe(410);
    expect(await errorCode(expired)).toBe("CODE_EXPIRED");
    const resent = await postJson(app, `/api/requests/${b.reference}/resend`, {});
    expect(resent.status).toBe(202);
  });
});

describe("JSON only, and the e-mailed link", () => {
  it("/verify and /resend refuse anything but JSON with 415, so a cross-site form cannot call them", async () => {
    const { app, rights } = await setup();
    const { reference } = (await (await postJson(app, "/api/requests", form, { "idempotency-key": "j" })).json()) as {
      reference: string;
    };
    const bodies: Array<[string | undefined, string | undefined]> = [
      [undefined, undefined],
      ["application/x-www-form-urlencoded", "code=123456"],
      ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=code\r\n\r\n123456\r\n--x--\r\n"],
      ["text/plain", '{"code":"123456"}'],
    ];
    for (const action of ["verify", "resend"]) {
      for (const [type, body] of bodies) {
        const response = await app.request(`/api/requests/${reference}/${action}`, {
          method: "POST",
          ...(type ? { headers: { "content-type": type } } : {}),
          ...(body ? { body } : {}),
        });
        expect([action, type, response.status]).toEqual([action, type, 415]);
        expect(await errorCode(response)).toBe("BAD_CONTENT_TYPE");
      }
    }
    const rows = await rights.db.query<{ n: number }>("SELECT count(*)::int AS n FROM mail_outbox WHERE reference = $1", [reference]);
    expect(rows[0]!.n).toBe(1);
  });

  it("opening the link changes nothing; its button verifies once; a made-up or used link gets a plain page", async () => {
    const { app, rights } = await setup({ PUBLIC_URL: "https://privacy.example.com/" });
    const { reference } = (await (await postJson(app, "/api/requests", form, { "idempotency-key": "l" })).json()) as {
      reference: string;
    };
    const [message] = await rights.service.localMessages();
    const link = message!.text.match(/(https:\/\/privacy\.example\.com\/verify\/[A-Za-z0-9_-]{43})\n/)![1]!;
    const path = new URL(link).pathname;
    const status = async () =>
      (await rights.db.query<{ status: string }>("SELECT status FROM requests WHERE reference = $1", [reference]))[0]!.status;

    for (let i = 0; i < 3; i++) {
      const opened = await app.request(path);
      expect(opened.status).toBe(200);
      expect(opened.headers.get("cache-control")).toBe("no-store");
      expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
      expect(opened.headers.get("content-security-policy")).toContain("form-action 'self'");
      const html = await opened.text();
      expect(html).toContain(reference);
      expect(html).toContain('<form method="post">');
    }
    expect(await status()).toBe("identity_unverified");

    const confirmed = await app.request(path, { method: "POST" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("Request confirmed");
    expect(await status()).toBe("pending");
    const again = await app.request(path, { method: "POST" });
    expect(await again.text()).toContain("Already confirmed");
    expect((await app.request(path)).status).toBe(200);
    const audit = await rights.db.query<{ note: string }>("SELECT note FROM request_audit WHERE reference = $1 AND action = 'transition'", [
      reference,
    ]);
    expect(audit).toEqual([{ note: "identity verified by e-mailed link" }]);

    for (const bad of ["/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/verify/x", "/verify/%00"]) {
      for (const method of ["GET", "POST"]) {
        const response = await app.request(bad, { method });
        expect([bad, method, response.status]).toEqual([bad, method, 404]);
        expect(await response.text()).toContain("Link not valid");
      }
    }
  });
});

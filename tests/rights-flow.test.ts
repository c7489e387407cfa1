import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp, staffHeaders } from "./rights-support/app.js";
import { startSmtp } from "./rights-support/smtp.js";
import { startWebhookReceiver } from "./rights-support/webhook-receiver.js";

const SECRET = "webhook-secret-for-tests";
const requester = { email: "Zoe.Okafor@example.org", name: "Zoë Okafor" };

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let built: Awaited<ReturnType<typeof rightsApp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startWebhookReceiver({ secret: SECRET, failFirst: 2 });
  built = await rightsApp(
    { SMTP_URL: smtp.url, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET },
    { webhook: { retryBaseMs: 100, retryMaxMs: 1_000 } },
  );
});
afterAll(async () => {
  await built?.close();
  await receiver?.close();
  await smtp?.close();
});

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("rights request flow over real SMTP and a real webhook receiver", () => {
  it("create -> code by e-mail -> verify -> pending -> staff sees the due date -> helpdesk receives it, logs free of identity", async () => {
    const { app, rights, logs, logEntries } = built;
    expect(logs.some((line) => line.includes("e-mail goes out over SMTP"))).toBe(true);

    const created = await postJson(
      app,
      "/api/requests",
      {
        site: "acme",
        right: "erasure",
        ...requester,
        country: "United Kingdom",
        details: "Delete my account and chat history",
        source: "chat",
      },
      { "idempotency-key": "flow-1" },
    );
    expect(created.status).toBe(201);
    const { reference, dueAt } = (await created.json()) as { reference: string; dueAt: string };

    const code = await smtp.codeFor(requester.email);
    // Once sent, the outbox keeps no copy of the e-mail (address, code, link); the database only holds the code's hash.
    await until(async () => {
      const mails = await rights.db.query("SELECT 1 FROM mail_outbox WHERE reference = $1", [reference]);
      return mails.length === 0 ? true : undefined;
    });
    const [row] = await rights.db.query<Record<string, unknown>>("SELECT * FROM requests WHERE reference = $1", [reference]);
    expect(JSON.stringify(row)).not.toContain(code);

    const verified = await postJson(app, `/api/requests/${reference}/verify`, { code });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ reference, status: "pending", dueAt });

    const queue = (await (await app.request("/api/staff/requests?status=pending", { headers: staffHeaders })).json()) as {
      requests: Array<{ reference: string; dueAt: string; jurisdiction: string; email: string }>;
    };
    expect(queue.requests).toEqual([expect.objectContaining({ reference, dueAt, jurisdiction: "UK_GDPR", email: requester.email })]);

    // The receiver refuses the first two attempts; the dispatcher retries with backoff until it lands.
    const delivery = await until(() => [...receiver.delivered.values()].find((d) => d.reference === reference));
    expect(receiver.stats()).toMatchObject({ attempts: 3, badSignatures: 0 });
    expect(JSON.parse(delivery.body)).toMatchObject({
      event: "request.verified",
      reference,
      request: { status: "pending", dueAt, site: "acme", right: "erasure" },
    });
    // The receiver has the body before the dispatcher records the outcome: wait for the delivered row to be deleted.
    await until(async () => {
      const hooks = await rights.db.query("SELECT 1 FROM webhook_outbox WHERE reference = $1", [reference]);
      return hooks.length === 0 ? true : undefined;
    });

    const detail = (await (await app.request(`/api/staff/requests/${reference}`, { headers: staffHeaders })).json()) as {
      request: { status: string; dueAt: string };
    };
    expect(detail.request).toMatchObject({ status: "pending", dueAt });

    expect(logs.some((line) => line.includes(reference))).toBe(true);
    const identity = [requester.email, requester.email.toLowerCase(), requester.name, "Zoe", "Okafor", "Delete my account"];
    const leaks = logs.filter((line) => identity.some((part) => line.includes(part)));
    expect(leaks).toEqual([]);
    // Every line is JSON from the one logger, and each request has its line with id, route pattern, status, duration.
    const entries = logEntries();
    const verifyLine = entries.find((entry) => entry.msg === "request" && entry.route === "/api/requests/:reference/verify");
    expect(verifyLine).toMatchObject({ level: "info", method: "POST", status: 200, reqId: expect.any(String), ms: expect.any(Number) });
    expect(entries.find((entry) => entry.msg.startsWith("request verified"))).toMatchObject({ level: "info" });
  });

  it("over real SMTP: five wrong codes from a stranger lock that code only; the owner's e-mailed link still verifies", async () => {
    const { app, rights } = built;
    const owner = "owner.lockout@example.org";
    const created = await postJson(
      app,
      "/api/requests",
      { site: "acme", right: "access", email: owner, source: "form" },
      { "idempotency-key": "flow-lockout" },
    );
    const { reference } = (await created.json()) as { reference: string };
    const code = await smtp.codeFor(owner);
    const link = smtp.linkFor(owner);
    expect(link.startsWith("http://127.0.0.1:3000/verify/")).toBe(true);
    const wrong = code === "000000" ? "111111" : "000000";
    const replies: number[] = [];
    for (let i = 0; i < 5; i++) replies.push((await postJson(app, `/api/requests/${reference}/verify`, { code: wrong })).status);
    expect(replies).toEqual([400, 400, 400, 400, 429]);
    expect((await postJson(app, `/api/requests/${reference}/verify`, { code })).status).toBe(429);
    const confirmed = await app.request(new URL(link).pathname, { method: "POST" });
    expect(confirmed.status).toBe(200);
    const [row] = await rights.db.query<{ status: string; verified_at: Date | null }>(
      "SELECT status, verified_at FROM requests WHERE reference = $1",
      [reference],
    );
    expect(row!.status).toBe("pending");
    expect(row!.verified_at).not.toBeNull();
    await until(() => [...receiver.delivered.values()].find((d) => d.reference === reference));
  });
});

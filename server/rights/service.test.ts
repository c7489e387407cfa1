import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors.js";
import { NO_POSTGRES_MESSAGE, pgliteBackend, postgresBackend } from "../../tests/rights-support/backends.js";
import type { Db } from "./db.js";
import { migrate } from "./db.js";
import { SecretHasher } from "./secret.js";
import { FeedbackStore } from "./feedback.js";
import { createMailDispatcher } from "./mail.js";
import { Retention } from "./retention.js";
import { RightsService, type IntakeInput, type RightsOptions } from "./service.js";
import { createWebhookDispatcher } from "./webhook.js";
import { startSmtp } from "../../tests/rights-support/smtp.js";
import { startWebhookReceiver } from "../../tests/rights-support/webhook-receiver.js";

const DAY = 86_400_000;
const input: IntakeInput = { site: "acme", right: "erasure", email: "ana@example.org", name: "Ana Lima", country: "DE", source: "form" };

/** Reads the code the way the requester would: from the mail outbox (local delivery). */
async function mailedCode(db: Db, reference: string): Promise<string> {
  const rows = await db.query<{ body: string }>("SELECT body FROM mail_outbox WHERE reference = $1 ORDER BY id DESC LIMIT 1", [reference]);
  return rows[0]!.body.match(/code is (\d{6})/)![1]!;
}

/** The one-time link's token from the newest e-mail, as the requester would click it. */
async function mailedToken(db: Db, reference: string): Promise<string> {
  const rows = await db.query<{ body: string }>("SELECT body FROM mail_outbox WHERE reference = $1 ORDER BY id DESC LIMIT 1", [reference]);
  return rows[0]!.body.match(/\/verify\/([A-Za-z0-9_-]{43})\n/)![1]!;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

for (const backend of [pgliteBackend(), postgresBackend()]) {
  if (!backend.available) {
    describe.skip(`rights storage on ${backend.name}: ${NO_POSTGRES_MESSAGE}`, () => {
      it("skipped", () => {});
    });
    continue;
  }
  describe(`rights storage on ${backend.name}`, () => {
    beforeAll(() => backend.setup());
    afterAll(() => backend.teardown());

    /** A service over an empty database with its own clock; `options` as openRights would set them (a webhook, SMTP). */
    const setup = async (options: RightsOptions = {}) => {
      const db = await backend.fresh();
      let nowMs = Date.UTC(2025, 0, 31, 10, 0, 0);
      const clock = { advance: (ms: number) => (nowMs += ms), now: () => new Date(nowMs) };
      const service = new RightsService(
        db,
        new SecretHasher("test-secret-key-0123456789abcdef"),
        { defaultDueDays: 30, unverifiedCloseDays: 14, ...options },
        clock.now,
      );
      return { db, clock, service };
    };
    const withWebhook = { helpdeskWebhook: true };

    it("migrations are idempotent and recorded", async () => {
      const { db } = await setup();
      expect(await migrate(db)).toBe(0);
      const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
      expect(row!.n).toBeGreaterThan(0);
    });

    it("creates a request with a readable reference, a hashed code and a GDPR due date; the same key returns it again", async () => {
      const { db, service } = await setup();
      const { request, replayed } = await service.create(input, "key-1");
      expect(replayed).toBe(false);
      expect(request.reference).toMatch(/^PR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(request.status).toBe("identity_unverified");
      expect(request.jurisdiction).toBe("GDPR");
      // 31 January + one calendar month = 28 February (Art. 12(3), last day of the shorter month).
      expect(request.dueAt.toISOString()).toBe("2025-02-28T10:00:00.000Z");
      const again = await service.create(input, "key-1");
      expect(again.replayed).toBe(true);
      expect(again.request.reference).toBe(request.reference);
      const [stored] = await db.query<{ n: number; code_hash: string }>(
        "SELECT count(*)::int AS n, max(code_hash) AS code_hash FROM requests",
      );
      expect(stored!.n).toBe(1);
      const code = await mailedCode(db, request.reference);
      expect(stored!.code_hash).toBe(service.secret.code(request.reference, code));
      expect(stored!.code_hash).not.toContain(code);
      expect(await codeOf(service.create({ ...input, right: "access" }, "key-1"))).toBe("IDEMPOTENCY_KEY_REUSED");
    });

    it("twenty concurrent creates with one key make exactly one request", async () => {
      const { db, service } = await setup();
      const results = await Promise.all(Array.from({ length: 20 }, () => service.create(input, "same-key")));
      expect(new Set(results.map((r) => r.request.reference)).size).toBe(1);
      const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM requests");
      expect(row!.n).toBe(1);
    });

    it("verifies with the right code, counts wrong ones, and queues exactly one webhook", async () => {
      const { db, service } = await setup(withWebhook);
      const { request } = await service.create(input, "k");
      const code = await mailedCode(db, request.reference);
      const wrong = code === "000000" ? "111111" : "000000";
      const error = await service.verify(request.reference, wrong).catch((e: AppError) => e);
      expect((error as AppError).code).toBe("CODE_INVALID");
      expect((error as AppError).message).toContain("4 attempts left");
      const verified = await service.verify(request.reference, code);
      expect(verified.status).toBe("pending");
      expect(verified.verifiedAt).not.toBeNull();
      // A retried verify whose reply was lost gets the same answer, and no second webhook.
      expect((await service.verify(request.reference, code)).status).toBe("pending");
      const hooks = await db.query<{ payload: string }>("SELECT payload FROM webhook_outbox");
      expect(hooks).toHaveLength(1);
      expect(JSON.parse(hooks[0]!.payload)).toMatchObject({
        event: "request.verified",
        reference: request.reference,
        request: { status: "pending" },
      });
      const { audit } = await service.history(request.reference);
      expect(audit.map((a) => [a.action, a.from, a.to, a.actor])).toEqual([
        ["created", null, "identity_unverified", "requester"],
        ["transition", "identity_unverified", "pending", "requester"],
      ]);
    });

    it("locks the code after 5 wrong attempts and expires it after 15 minutes; a resend after the cooldown fixes both", async () => {
      const { db, clock, service } = await setup();
      const { request } = await service.create(input, "k");
      const code = await mailedCode(db, request.reference);
      const wrong = code === "000000" ? "111111" : "000000";
      for (let i = 0; i < 4; i++) expect(await codeOf(service.verify(request.reference, wrong))).toBe("CODE_INVALID");
      expect(await codeOf(service.verify(request.reference, wrong))).toBe("CODE_ATTEMPTS_EXCEEDED");
      expect(await codeOf(service.verify(request.reference, code))).toBe("CODE_ATTEMPTS_EXCEEDED");
      expect(await codeOf(service.resend(request.reference))).toBe("RESEND_TOO_SOON");
      clock.advance(61_000);
      await service.resend(request.reference);
      const second = await mailedCode(db, request.reference);
      clock.advance(15 * 60_000 + 1);
      expect(await codeOf(service.verify(request.reference, second))).toBe("CODE_EXPIRED");
      await service.resend(request.reference);
      expect((await service.verify(request.reference, await mailedCode(db, request.reference))).status).toBe("pending");
      expect(await codeOf(service.resend(request.reference))).toBe("NOT_AWAITING_VERIFICATION");
    });

    it("a wrong code gets one answer whatever the request's state, so it learns nothing about it", async () => {
      const { db, clock, service } = await setup();
      const make = async (key: string) => {
        const { request } = await service.create(input, key);
        return { reference: request.reference, code: await mailedCode(db, request.reference) };
      };
      const unverified = await make("unverified");
      const verified = await make("verified");
      await service.verify(verified.reference, verified.code);
      const canceled = await make("canceled");
      await service.transition(canceled.reference, "canceled", "staff");
      const completed = await make("completed");
      await service.verify(completed.reference, completed.code);
      await service.transition(completed.reference, "in_progress", "staff");
      await service.transition(completed.reference, "completed", "staff");
      const expired = await make("expired");
      clock.advance(15 * 60_000 + 1);
      const stale = await make("stale");
      clock.advance(14 * DAY);
      await service.closeUnverified();
      const fresh = await make("fresh");
      const cases = [unverified, verified, canceled, completed, expired, stale, fresh];
      const statuses = new Set<string>();
      for (const { reference } of cases) statuses.add((await service.get(reference)).status);
      expect([...statuses].sort()).toEqual(["canceled", "closed_unverified", "completed", "identity_unverified", "pending"]);
      for (let attempt = 1; attempt <= 6; attempt++) {
        const replies = new Set<string>();
        for (const { reference, code } of cases) {
          const wrong = code === "000000" ? "111111" : "000000";
          const error = await service.verify(reference, wrong).then(
            () => null,
            (e: AppError) => e,
          );
          replies.add(JSON.stringify([error?.code, error?.status, error?.message, error?.headers]));
        }
        // Seven requests in five states (one expired, one closed unverified): one reply per round.
        expect([...replies]).toHaveLength(1);
        expect(JSON.parse([...replies][0]!)[0]).toBe(attempt < 5 ? "CODE_INVALID" : "CODE_ATTEMPTS_EXCEEDED");
      }
      const rows = await db.query<{ status: string; code_attempts: number }>("SELECT status, code_attempts FROM requests");
      expect(rows.map((r) => r.code_attempts)).toEqual(rows.map(() => 5));
    });

    it("wrong codes lock that code, not the request: the link of every e-mail still verifies, and a fresh code does too", async () => {
      const { db, clock, service } = await setup(withWebhook);
      const { request } = await service.create(input, "k");
      const reference = request.reference;
      const tokens = [await mailedToken(db, reference)];
      // The attacker knows the reference: locks each code with five wrong tries and spends every resend.
      for (let round = 0; ; round++) {
        const code = await mailedCode(db, reference);
        const wrong = code === "000000" ? "111111" : "000000";
        for (let i = 0; i < 5; i++) await service.verify(reference, wrong).catch(() => {});
        expect(await codeOf(service.verify(reference, code))).toBe("CODE_ATTEMPTS_EXCEEDED");
        clock.advance(61_000);
        const resent = await service.resend(reference).then(
          () => true,
          (e: AppError) => e.code,
        );
        if (resent !== true) {
          expect(resent).toBe("RESEND_LIMIT");
          expect(round).toBe(4);
          break;
        }
        tokens.push(await mailedToken(db, reference));
      }
      expect(new Set(tokens).size).toBe(5);
      const [row] = await db.query<{ status: string; code_attempts: number; codes_sent: number }>(
        "SELECT status, code_attempts, codes_sent FROM requests WHERE reference = $1",
        [reference],
      );
      expect(row).toEqual({ status: "identity_unverified", code_attempts: 5, codes_sent: 5 });
      // Only keyed hashes of the links are stored, never a token.
      const links = await db.query<{ token_hash: string; used_at: Date | null }>(
        "SELECT token_hash, used_at FROM verification_links WHERE reference = $1 ORDER BY created_at",
        [reference],
      );
      expect(links.map((l) => l.token_hash)).toEqual(tokens.map((t) => service.secret.link(t)));
      expect(JSON.stringify(links)).not.toContain(tokens[0]);
      // The owner opens the first e-mail, days later: its link still works, once.
      clock.advance(3 * DAY);
      const first = await service.verifyLink(tokens[0]!);
      expect(first).toMatchObject({ already: false, request: { reference, status: "pending" } });
      expect((await service.verifyLink(tokens[0]!)).already).toBe(true);
      expect((await service.verifyLink(tokens[3]!)).already).toBe(true);
      const hooks = await db.query("SELECT 1 FROM webhook_outbox WHERE reference = $1", [reference]);
      expect(hooks).toHaveLength(1);
      const { audit } = await service.history(reference);
      expect(audit.filter((a) => a.action === "transition")).toEqual([
        expect.objectContaining({ actor: "requester", to: "pending", note: "identity verified by e-mailed link" }),
      ]);
      expect(await codeOf(service.verifyLink("A".repeat(43)))).toBe("LINK_INVALID");
      expect(await codeOf(service.verifyLink("not a token"))).toBe("LINK_INVALID");
    });

    it("a locked code does not stop a fresh one; links expire with the request; a rotated key keeps mailed links working", async () => {
      const { db, clock, service } = await setup();
      const { request } = await service.create(input, "k");
      const code = await mailedCode(db, request.reference);
      const wrong = code === "000000" ? "111111" : "000000";
      for (let i = 0; i < 5; i++) await service.verify(request.reference, wrong).catch(() => {});
      clock.advance(61_000);
      await service.resend(request.reference);
      expect((await service.verify(request.reference, await mailedCode(db, request.reference))).status).toBe("pending");

      const rotatedFrom = (await service.create({ ...input, email: "b@example.org" }, "rotated")).request;
      const oldToken = await mailedToken(db, rotatedFrom.reference);
      const rotated = new RightsService(
        db,
        new SecretHasher("new-secret-key-0123456789abcdefgh", ["test-secret-key-0123456789abcdef"]),
        {},
        clock.now,
      );
      const oldCode = await mailedCode(db, rotatedFrom.reference);
      expect((await rotated.verify(rotatedFrom.reference, oldCode)).status).toBe("pending");
      expect((await rotated.verifyLink(oldToken)).already).toBe(true);
      const unkeyed = new RightsService(db, new SecretHasher("new-secret-key-0123456789abcdefgh"), {}, clock.now);
      expect(await codeOf(unkeyed.verifyLink(oldToken))).toBe("LINK_INVALID");

      const stale = (await service.create({ ...input, email: "c@example.org" }, "stale")).request;
      const staleToken = await mailedToken(db, stale.reference);
      clock.advance(14 * DAY);
      expect(await service.closeUnverified()).toEqual([stale.reference]);
      expect(await codeOf(service.verifyLink(staleToken))).toBe("LINK_INVALID");
      expect(await service.checkLink(staleToken)).toBeNull();
    });

    it("stops sending codes after 5 per request", async () => {
      const { clock, service } = await setup();
      const { request } = await service.create(input, "k");
      for (let i = 0; i < 4; i++) {
        clock.advance(61_000);
        await service.resend(request.reference);
      }
      clock.advance(61_000);
      expect(await codeOf(service.resend(request.reference))).toBe("RESEND_LIMIT");
    });

    it("closes requests left unverified for 14 days with a recorded reason, and leaves newer ones", async () => {
      const { clock, service } = await setup();
      const old = (await service.create(input, "old")).request;
      clock.advance(10 * DAY);
      const newer = (await service.create(input, "new")).request;
      clock.advance(4 * DAY - 1);
      expect(await service.closeUnverified()).toEqual([]);
      clock.advance(1);
      expect(await service.closeUnverified()).toEqual([old.reference]);
      const closed = await service.get(old.reference);
      expect(closed.status).toBe("closed_unverified");
      expect(closed.closeReason).toBe("identity not verified within 14 days");
      expect((await service.get(newer.reference)).status).toBe("identity_unverified");
      const { audit } = await service.history(old.reference);
      expect(audit.at(-1)).toMatchObject({
        actor: "system",
        from: "identity_unverified",
        to: "closed_unverified",
        note: "identity not verified within 14 days",
      });
    });

    it("guards staff transitions, needs a reason to deny, and audits each move", async () => {
      const { db, service } = await setup();
      const { request } = await service.create(input, "k");
      expect(await codeOf(service.transition(request.reference, "in_progress", "staff"))).toBe("INVALID_TRANSITION");
      await service.verify(request.reference, await mailedCode(db, request.reference));
      expect(await codeOf(service.transition(request.reference, "denied", "staff", "  "))).toBe("NOTE_REQUIRED");
      expect((await service.transition(request.reference, "in_progress", "staff")).status).toBe("in_progress");
      const denied = await service.transition(request.reference, "denied", "staff", "Manifestly unfounded (Art. 12(5))");
      expect(denied.status).toBe("denied");
      expect(denied.closedAt).not.toBeNull();
      expect(service.view(denied).allowedTransitions).toEqual([]);
      expect(await codeOf(service.transition(request.reference, "completed", "staff"))).toBe("INVALID_TRANSITION");
      const { audit } = await service.history(request.reference);
      expect(audit.at(-1)).toMatchObject({ actor: "staff", from: "in_progress", to: "denied", note: "Manifestly unfounded (Art. 12(5))" });
    });

    it("allows one extension (+2 months GDPR, +45 days CCPA, none for LGPD), only before the deadline", async () => {
      const { clock, service } = await setup();
      const gdpr = (await service.create(input, "g")).request;
      const extended = await service.extend(gdpr.reference, "staff", "Complex request spanning several systems");
      expect(extended.dueAt.toISOString()).toBe("2025-04-28T10:00:00.000Z");
      expect(service.view(extended)).toMatchObject({ extended: true, extensionReason: "Complex request spanning several systems" });
      expect(await codeOf(service.extend(gdpr.reference, "staff", "again"))).toBe("EXTENSION_NOT_AVAILABLE");
      const ccpa = (await service.create({ ...input, country: "US-CA" }, "c")).request;
      expect(ccpa.dueAt.getTime() - ccpa.receivedAt.getTime()).toBe(45 * DAY);
      expect((await service.extend(ccpa.reference, "staff", "volume")).dueAt.getTime() - ccpa.receivedAt.getTime()).toBe(90 * DAY);
      const lgpd = (await service.create({ ...input, country: "Brazil" }, "b")).request;
      expect(lgpd.dueAt.getTime() - lgpd.receivedAt.getTime()).toBe(15 * DAY);
      expect(await codeOf(service.extend(lgpd.reference, "staff", "x"))).toBe("EXTENSION_NOT_AVAILABLE");
      const late = (await service.create({ ...input, country: "FR" }, "late")).request;
      clock.advance(40 * DAY);
      expect(await codeOf(service.extend(late.reference, "staff", "too late"))).toBe("EXTENSION_NOT_AVAILABLE");
    });

    it("lists by status, site, right, due window and overdue, sorted by due date", async () => {
      const { clock, service } = await setup();
      const lgpd = (await service.create({ ...input, country: "BR" }, "1")).request; // due in 15 days
      const other = (await service.create({ ...input, country: null as unknown as undefined, site: "globex", right: "access" }, "2"))
        .request; // 30 days
      const gdpr = (await service.create({ ...input, country: "IE" }, "3")).request; // 28 days (31 Jan -> 28 Feb)
      expect((await service.list()).map((r) => r.reference)).toEqual([lgpd.reference, gdpr.reference, other.reference]);
      expect((await service.list({ site: "globex" })).map((r) => r.reference)).toEqual([other.reference]);
      expect((await service.list({ right: "access" })).map((r) => r.reference)).toEqual([other.reference]);
      expect((await service.list({ dueWithinDays: 20 })).map((r) => r.reference)).toEqual([lgpd.reference]);
      expect(await service.list({ status: "pending" })).toEqual([]);
      expect(await service.list({ overdue: true })).toEqual([]);
      clock.advance(16 * DAY);
      const overdue = await service.list({ overdue: true });
      expect(overdue.map((r) => r.reference)).toEqual([lgpd.reference]);
      expect(service.view(overdue[0]!).overdue).toBe(true);
      expect((await service.list({ overdue: false })).map((r) => r.reference)).toEqual([gdpr.reference, other.reference]);
    });

    it("delivers the verified-request webhook at least once, retrying with backoff across dispatcher restarts, then deletes it", async () => {
      const { db, clock, service } = await setup(withWebhook);
      const receiver = await startWebhookReceiver({ secret: "s3cret", failFirst: 2 });
      try {
        const { request } = await service.create(input, "k");
        await service.verify(request.reference, await mailedCode(db, request.reference));
        // Each "restart" is a new dispatcher over the same table, as after a server crash.
        const dispatcher = () => createWebhookDispatcher({ db, url: receiver.url, secret: "s3cret", now: clock.now, retryBaseMs: 1_000 });
        expect(await dispatcher().deliverDue()).toBe(0);
        expect(await dispatcher().deliverDue()).toBe(0); // still backing off: not due yet
        clock.advance(1_500);
        expect(await dispatcher().deliverDue()).toBe(0);
        const [failing] = await db.query<{ attempts: number; last_error: string | null }>(
          "SELECT attempts, last_error FROM webhook_outbox",
        );
        expect(failing).toEqual({ attempts: 2, last_error: "receiver answered 503" });
        clock.advance(60_000);
        expect(await dispatcher().deliverDue()).toBe(1);
        clock.advance(3_600_000);
        expect(await dispatcher().deliverDue()).toBe(0);
        expect(receiver.stats()).toEqual({ attempts: 3, badSignatures: 0, duplicates: 0 });
        expect([...receiver.references()]).toEqual([request.reference]);
        // Delivered: the copy of the request is gone from the database.
        expect(await db.query("SELECT * FROM webhook_outbox")).toEqual([]);
      } finally {
        await receiver.close();
      }
    });

    it("without a webhook, a verified request leaves no copy in webhook_outbox", async () => {
      const { db, service } = await setup();
      const { request } = await service.create(input, "k");
      expect((await service.verify(request.reference, await mailedCode(db, request.reference))).status).toBe("pending");
      expect(await db.query("SELECT * FROM webhook_outbox")).toEqual([]);
    });

    it("deletes an e-mail once the SMTP server took it", async () => {
      const { db, clock, service } = await setup({ mailDelivery: "smtp" });
      const smtp = await startSmtp();
      const mailer = createMailDispatcher({ db, smtpUrl: smtp.url, from: "privacy@example.test", now: clock.now });
      try {
        const { request } = await service.create(input, "k");
        const [queued] = await db.query<{ state: string; to_address: string }>("SELECT state, to_address FROM mail_outbox");
        expect(queued).toEqual({ state: "queued", to_address: input.email });
        expect(await mailer.deliverDue()).toBe(1);
        expect(smtp.messages.map((m) => m.to)).toEqual([[input.email]]);
        expect(smtp.messages[0]!.raw).toContain(request.reference);
        expect(await db.query("SELECT * FROM mail_outbox")).toEqual([]);
      } finally {
        mailer.close();
        await smtp.close();
      }
    });

    it("deletes e-mails never sent (the local outbox, given up, or left queued) MAIL_OUTBOX_HOURS after they were queued", async () => {
      const { db, clock, service } = await setup();
      const retention = new Retention(db, service.notifications, { retentionMonths: 24, mailOutboxHours: 72 }, clock.now);
      const { request } = await service.create(input, "local");
      const queue = (state: string) =>
        db.query(
          "INSERT INTO mail_outbox (to_address, subject, body, created_at, state, next_attempt_at) VALUES ('b@example.org', 's', 'b', $1, $2, $1)",
          [clock.now(), state],
        );
      await queue("failed");
      await queue("queued");
      clock.advance(72 * 3_600_000 - 1);
      expect(await retention.sweep()).toMatchObject({ unsentMailDeleted: 0 });
      const fresh = await service.create({ ...input, email: "later@example.org" }, "later");
      clock.advance(1);
      await queue("queued");
      expect(await retention.sweep()).toMatchObject({ unsentMailDeleted: 3 });
      const left = await db.query<{ reference: string | null; state: string }>("SELECT reference, state FROM mail_outbox ORDER BY id");
      expect(left).toEqual([
        { reference: fresh.request.reference, state: "local" },
        { reference: null, state: "queued" },
      ]);
      expect((await service.get(request.reference)).email).toBe(input.email);
    });

    it("anonymises a request 24 months after it closed: identity and details blanked, notes' text and outboxes dropped, audit kept", async () => {
      const { db, clock, service } = await setup(withWebhook);
      const retention = new Retention(db, service.notifications, { retentionMonths: 24, mailOutboxHours: 72 }, clock.now);
      const identity = { ...input, details: "Delete everything about Ana Lima, account 4711" };
      const done = (await service.create(identity, "done")).request;
      await service.verify(done.reference, await mailedCode(db, done.reference));
      await service.addNote(done.reference, "alice", "Called Ana Lima on +49 30 1234567");
      await service.transition(done.reference, "in_progress", "alice");
      await service.transition(done.reference, "completed", "bob", "Account and chat history deleted");
      const stale = (await service.create({ ...identity, email: "stale@example.org" }, "stale")).request;
      clock.advance(14 * DAY);
      await service.closeUnverified();
      const open = (await service.create({ ...identity, email: "open@example.org" }, "open")).request;
      await service.verify(open.reference, await mailedCode(db, open.reference));

      // 31 Jan 2025 + 24 months = 31 Jan 2027: the completed request, closed on the first day, is due; not a millisecond earlier.
      clock.advance(Date.UTC(2027, 0, 31, 10) - clock.now().getTime() - 1);
      expect(await retention.anonymiseExpired()).toEqual([]);
      clock.advance(1);
      expect(await retention.anonymiseExpired()).toEqual([done.reference]);
      expect(await retention.anonymiseExpired()).toEqual([]);

      const [row] = await db.query<Record<string, unknown>>("SELECT * FROM requests WHERE reference = $1", [done.reference]);
      expect(row).toMatchObject({
        email: "",
        name: null,
        country: null,
        details: null,
        idempotency_key: `anonymised:${done.reference}`,
        body_hash: "",
        code_hash: null,
        anonymised_at: clock.now(),
        // The record of the request stays: what was asked, under which law, when, and what was decided.
        site: "acme",
        right_kind: "erasure",
        jurisdiction: "GDPR",
        status: "completed",
        close_reason: "Account and chat history deleted",
      });
      const notes = await db.query("SELECT author, text FROM request_notes WHERE reference = $1", [done.reference]);
      expect(notes).toEqual([{ author: "alice", text: "" }]);
      const audit = await db.query<{ actor: string; action: string; note: string | null }>(
        "SELECT actor, action, note FROM request_audit WHERE reference = $1 ORDER BY id",
        [done.reference],
      );
      expect(audit.map((a) => [a.actor, a.action])).toEqual([
        ["requester", "created"],
        ["requester", "transition"],
        ["alice", "transition"],
        ["bob", "transition"],
        ["system", "anonymised"],
      ]);
      expect(audit.at(-1)!.note).toBe("retention over: closed 24 months ago or more (RETENTION_MONTHS)");
      for (const table of ["mail_outbox", "webhook_outbox", "verification_links"]) {
        expect(await db.query(`SELECT * FROM ${table} WHERE reference = $1`, [done.reference]), table).toEqual([]);
      }
      const everything = JSON.stringify([row, notes, audit]);
      for (const part of [input.email, "Ana", "Lima", "4711", "1234567"]) expect(everything).not.toContain(part);
      expect((await service.history(done.reference)).notes).toEqual([expect.objectContaining({ author: "alice", text: "" })]);
      expect(service.view(await service.get(done.reference))).toMatchObject({
        email: "",
        name: null,
        anonymisedAt: clock.now().toISOString(),
      });

      // The request closed unverified 14 days later goes 14 days later; the open one keeps its requester and its hand-off.
      clock.advance(14 * DAY);
      expect(await retention.anonymiseExpired()).toEqual([stale.reference]);
      const [kept] = await db.query<{ email: string; anonymised_at: Date | null }>(
        "SELECT email, anonymised_at FROM requests WHERE reference = $1",
        [open.reference],
      );
      expect(kept).toEqual({ email: "open@example.org", anonymised_at: null });
      expect(await db.query("SELECT reference FROM webhook_outbox")).toEqual([{ reference: open.reference }]);
    });

    it("staff erase a closed request now: audited with who and why, never whose; an open one is refused, a second erase changes nothing", async () => {
      const { db, clock, service } = await setup(withWebhook);
      const retention = new Retention(db, service.notifications, { retentionMonths: 24, mailOutboxHours: 72 }, clock.now);
      const { request } = await service.create({ ...input, details: "Ana Lima, customer 4711" }, "k");
      await service.verify(request.reference, await mailedCode(db, request.reference));
      await service.addNote(request.reference, "alice", "Ana Lima called");
      expect(await codeOf(retention.erase(request.reference, "bob", "asked on the phone"))).toBe("REQUEST_STILL_OPEN");
      const [untouched] = await db.query<{ email: string }>("SELECT email FROM requests WHERE reference = $1", [request.reference]);
      expect(untouched!.email).toBe(input.email);
      await service.transition(request.reference, "canceled", "alice", "the requester withdrew");
      clock.advance(DAY);
      expect((await db.query("SELECT 1 FROM webhook_outbox WHERE reference = $1", [request.reference])).length).toBe(1);

      const erased = await retention.erase(request.reference, "bob", "asked on the phone to be forgotten now");
      expect(erased).toMatchObject({ email: "", name: null, country: null, details: null, status: "canceled" });
      expect(erased.anonymisedAt).toEqual(clock.now());
      const [row] = await db.query<Record<string, unknown>>("SELECT * FROM requests WHERE reference = $1", [request.reference]);
      expect(row).toMatchObject({ email: "", name: null, details: null, code_hash: null, close_reason: "the requester withdrew" });
      expect(await db.query("SELECT text FROM request_notes WHERE reference = $1", [request.reference])).toEqual([{ text: "" }]);
      for (const table of ["mail_outbox", "webhook_outbox", "verification_links"]) {
        expect(await db.query(`SELECT * FROM ${table} WHERE reference = $1`, [request.reference]), table).toEqual([]);
      }
      const audit = await db.query<{ actor: string; action: string; note: string | null }>(
        "SELECT actor, action, note FROM request_audit WHERE reference = $1 AND action = 'erased'",
        [request.reference],
      );
      expect(audit).toEqual([{ actor: "bob", action: "erased", note: "asked on the phone to be forgotten now" }]);
      expect(JSON.stringify(await db.query("SELECT * FROM request_audit"))).not.toContain("Ana");

      clock.advance(DAY);
      expect((await retention.erase(request.reference, "carol", "again")).anonymisedAt).toEqual(erased.anonymisedAt);
      expect(await db.query("SELECT actor FROM request_audit WHERE action = 'erased'")).toEqual([{ actor: "bob" }]);
      expect(await codeOf(retention.erase("PR-0000-0000", "bob", "x"))).toBe("REQUEST_NOT_FOUND");
    });

    it("two sweeps at once anonymise each expired request exactly once", async () => {
      const { db, clock, service } = await setup();
      const references: string[] = [];
      for (let i = 0; i < 6; i++) {
        const { request } = await service.create({ ...input, email: `p${i}@example.org` }, `k${i}`);
        await service.transition(request.reference, "canceled", "alice", "duplicate");
        references.push(request.reference);
      }
      clock.advance(800 * DAY);
      const sweeper = () => new Retention(db, service.notifications, { retentionMonths: 24, mailOutboxHours: 72 }, clock.now);
      const [first, second] = await Promise.all([sweeper().anonymiseExpired(), sweeper().anonymiseExpired()]);
      expect([...first!, ...second!].sort()).toEqual([...references].sort());
      const audits = await db.query<{ reference: string; n: number }>(
        "SELECT reference, count(*)::int AS n FROM request_audit WHERE action = 'anonymised' GROUP BY reference",
      );
      expect(audits.map((a) => a.n)).toEqual(references.map(() => 1));
      const [left] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM requests WHERE email <> '' OR anonymised_at IS NULL");
      expect(left!.n).toBe(0);
    });

    it("keeps notes, local e-mails and identity-free feedback", async () => {
      const { db, clock, service } = await setup();
      const { request } = await service.create(input, "k");
      await service.addNote(request.reference, "staff", "Called the customer");
      expect((await service.history(request.reference)).notes).toEqual([
        expect.objectContaining({ author: "staff", text: "Called the customer" }),
      ]);
      const [message] = await service.localMessages();
      expect(message).toMatchObject({ to: input.email, subject: expect.stringContaining(request.reference) });
      const id = await new FeedbackStore(db, clock.now).record({
        site: "acme",
        verdict: "down",
        kind: "answer",
        citations: [{ title: "Policy", section: "Rights", url: "https://acme.example/p#r" }],
      });
      const [row] = await db.query<Record<string, unknown>>("SELECT * FROM feedback WHERE id = $1", [id]);
      expect(Object.keys(row!).sort()).toEqual(["citations", "created_at", "id", "kind", "site", "verdict"]);
    });
  });
}

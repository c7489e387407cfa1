import { createHash } from "node:crypto";
import { DAYS_LEFT_BUCKETS, SOURCES, type RequestKind, type Source } from "../contract/constants.js";
import type { AuditEntry, Note, OutboxMessage, QueueSummary, RequestFilters, RequestView } from "../contract/schemas.js";
import { AppError } from "../errors.js";
import type { Db, Queryable } from "./db.js";
import { DEADLINES, dueDate, extendedDueDate, jurisdictionOf } from "./deadlines.js";
import { Notifications } from "./notifications.js";
import type { MailLanguage } from "./requester-mail.js";
import { LINK_TOKEN_PATTERN, newLinkToken, newReference, newVerificationCode } from "./reference.js";
import * as repo from "./repository.js";
import type { RequestRecord } from "./repository.js";
import type { SecretHasher } from "./secret.js";
import { allowedTransitions, guardTransition, OPEN_STATUSES, type Status } from "./status.js";

export { SOURCES, type Source };
export type { AuditEntry, Note, RequestFilters, RequestRecord, RequestView };

/** Exactly what the intake form collects; nothing else about the requester is stored. */
export interface IntakeInput {
  site: string;
  right: RequestKind;
  email: string;
  name?: string | undefined;
  country?: string | undefined;
  details?: string | undefined;
  source: Source;
}

export interface RightsOptions {
  defaultDueDays?: number;
  unverifiedCloseDays?: number;
  codeTtlMs?: number;
  maxCodeAttempts?: number;
  resendCooldownMs?: number;
  /** Codes per request, first one included; stops a reference being used to mail-bomb its owner. */
  maxCodesSent?: number;
  /** "smtp": messages queue for the SMTP dispatcher; "local": they stay in the outbox for the staff API. */
  mailDelivery?: "smtp" | "local";
  /** Whether verified requests are handed to a helpdesk webhook (WEBHOOK_URL): only then are they queued in webhook_outbox. */
  helpdeskWebhook?: boolean;
  /** Where requesters reach the server: the e-mailed link is `${publicUrl}/verify/<token>`. */
  publicUrl?: string;
  /** The language of the e-mails telling the requester what happened to their request (./requester-mail.ts). */
  mailLanguage?: MailLanguage;
}

/** The request as it may appear in a log line: no e-mail, no name, no free text. */
export function safeForLog(request: Pick<RequestRecord, "reference" | "site" | "right" | "status" | "jurisdiction" | "source">): string {
  const { reference, site, right, status, jurisdiction, source } = request;
  return `${reference} site=${site} right=${right} status=${status} jurisdiction=${jurisdiction} source=${source}`;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * The request workflow: create, verify, resend a code, move, extend, annotate, close the unverified. It decides what
 * happens and in which transaction; the SQL is in ./repository.ts and the messages in ./notifications.ts.
 */
export class RightsService {
  readonly options: Required<RightsOptions>;
  readonly notifications: Notifications;

  constructor(
    private readonly db: Db,
    /** Keys the stored hashes of codes and link tokens (./secret.ts). */
    readonly secret: SecretHasher,
    options: RightsOptions = {},
    private readonly now: () => Date = () => new Date(),
    /** Called after a commit that queued an e-mail or a webhook, so the dispatchers run at once. */
    private readonly onQueued: () => void = () => {},
  ) {
    this.options = {
      defaultDueDays: 30,
      unverifiedCloseDays: 14,
      codeTtlMs: 15 * 60_000,
      maxCodeAttempts: 5,
      resendCooldownMs: 60_000,
      maxCodesSent: 5,
      mailDelivery: "local",
      helpdeskWebhook: false,
      publicUrl: "http://127.0.0.1:3000",
      mailLanguage: "en",
      ...options,
    };
    this.notifications = new Notifications({
      mailDelivery: this.options.mailDelivery,
      helpdeskWebhook: this.options.helpdeskWebhook,
      codeTtlMs: this.options.codeTtlMs,
      mailLanguage: this.options.mailLanguage,
    });
  }

  view(record: RequestRecord): RequestView {
    const { receivedAt, dueAt, verifiedAt, closedAt, extendedAt, anonymisedAt, ...rest } = record;
    const { closeReason, extensionReason, ...plain } = rest;
    return {
      ...plain,
      receivedAt: receivedAt.toISOString(),
      dueAt: dueAt.toISOString(),
      verifiedAt: iso(verifiedAt),
      extended: extendedAt !== null,
      extensionReason,
      closedAt: iso(closedAt),
      closeReason,
      anonymisedAt: iso(anonymisedAt),
      allowedTransitions: allowedTransitions(record.status, "staff"),
      overdue: OPEN_STATUSES.includes(record.status) && dueAt.getTime() < this.now().getTime(),
    };
  }

  /** The reference already created under this key, if any, after checking the body is the same one. */
  async findByIdempotencyKey(key: string, input: IntakeInput): Promise<RequestRecord | null> {
    const found = await repo.findByIdempotencyKey(this.db, key);
    if (!found) return null;
    if (found.bodyHash !== bodyHash(input)) throw new AppError("IDEMPOTENCY_KEY_REUSED");
    return found.request;
  }

  /**
   * Creates a request, its audit entry and its verification e-mail in one transaction, so when this
   * resolves the request is committed. A concurrent call with the same key gets the same request.
   */
  async create(
    input: IntakeInput,
    idempotencyKey: string,
  ): Promise<{ request: RequestRecord; resendAvailableAt: Date; replayed: boolean }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.now();
      const reference = newReference();
      const code = newVerificationCode();
      // An enquiry is no statutory request: its due date is the site's own (DEFAULT_DUE_DAYS), wherever the sender lives.
      const jurisdiction = input.right === "enquiry" ? "DEFAULT" : jurisdictionOf(input.country);
      const resendAvailableAt = new Date(now.getTime() + this.options.resendCooldownMs);
      const created = await this.db.transaction(async (tx) => {
        const record = await repo.insertRequest(tx, {
          reference,
          idempotencyKey,
          bodyHash: bodyHash(input),
          site: input.site,
          right: input.right,
          email: input.email,
          name: input.name ?? null,
          country: input.country ?? null,
          details: input.details ?? null,
          source: input.source,
          jurisdiction,
          receivedAt: now,
          dueAt: dueDate(now, jurisdiction, { defaultDueDays: this.options.defaultDueDays }),
          codeHash: this.secret.code(reference, code),
          codeExpiresAt: new Date(now.getTime() + this.options.codeTtlMs),
          resendAvailableAt,
        });
        if (!record) return null;
        const link = await this.newLink(tx, reference, now);
        await repo.insertAudit(tx, {
          reference,
          at: now,
          actor: "requester",
          action: "created",
          from: null,
          to: "identity_unverified",
          note: `source: ${input.source}`,
        });
        await this.notifications.queueCode(tx, { reference, to: input.email, code, link, now });
        return record;
      });
      if (created) {
        this.onQueued();
        return { request: created, resendAvailableAt, replayed: false };
      }
      const existing = await this.findByIdempotencyKey(idempotencyKey, input);
      if (existing) return { request: existing, resendAvailableAt, replayed: true };
      // Otherwise the random reference collided with an existing one: draw another.
    }
    throw new Error("could not allocate a unique reference");
  }

  /**
   * Verifies with the e-mailed code. A wrong code gets the same answer whatever the request's state (verified, closed,
   * expired), so it learns nothing about it, and counts against this code only: once it is locked a new code or the
   * e-mailed link still verify. Only the right code's holder is told where the request stands.
   */
  async verify(reference: string, code: string): Promise<RequestRecord> {
    const outcome = await this.db.transaction(async (tx) => {
      const locked = await repo.lockRequest(tx, reference);
      const now = this.now();
      const max = this.options.maxCodeAttempts;
      if (!this.secret.codeMatches(reference, code, locked.codeHash)) {
        const attempts = Math.min(locked.codeAttempts + 1, max);
        if (attempts > locked.codeAttempts) await repo.countWrongCode(tx, reference, attempts, now);
        return { error: attempts < max ? new AppError("CODE_INVALID", [max - attempts]) : new AppError("CODE_ATTEMPTS_EXCEEDED") };
      }
      // A retried verify whose first reply was lost: the same correct code gets the same answer.
      if (locked.status !== "identity_unverified") return { request: withoutCode(locked) };
      if (locked.codeAttempts >= max) return { error: new AppError("CODE_ATTEMPTS_EXCEEDED") };
      if (!locked.codeExpiresAt || locked.codeExpiresAt.getTime() <= now.getTime()) return { error: new AppError("CODE_EXPIRED") };
      return { request: await this.markVerified(tx, reference, now, "identity verified by e-mailed code"), queued: true };
    });
    if ("error" in outcome && outcome.error) throw outcome.error;
    if ("queued" in outcome) this.onQueued();
    return outcome.request!;
  }

  /** Whether a link token names a request that its owner may still confirm, and which; nothing is changed. */
  async checkLink(token: string): Promise<{ reference: string; usable: boolean } | null> {
    if (!LINK_TOKEN_PATTERN.test(token)) return null;
    const link = await repo.findLink(this.db, this.secret.linkCandidates(token));
    if (!link) return null;
    const request = await repo.getRequest(this.db, link.reference);
    const usable = !link.usedAt && request.status === "identity_unverified" && link.expiresAt.getTime() > this.now().getTime();
    return request.verifiedAt || usable ? { reference: link.reference, usable } : null;
  }

  /**
   * Verifies with the one-time e-mailed link. Code attempts never lock it; a used link, or one for a request already
   * verified, answers with the request as it is (`already`). 404 LINK_INVALID when the token is unknown, expired or
   * its request was closed unverified.
   */
  async verifyLink(token: string): Promise<{ request: RequestRecord; already: boolean }> {
    if (!LINK_TOKEN_PATTERN.test(token)) throw new AppError("LINK_INVALID");
    const candidates = this.secret.linkCandidates(token);
    const found = await repo.findLink(this.db, candidates);
    if (!found) throw new AppError("LINK_INVALID");
    const outcome = await this.db.transaction(async (tx) => {
      // The request first, then its link: the order the code path takes, so the two never wait on each other.
      const locked = await repo.lockRequest(tx, found.reference);
      const link = await repo.findLink(tx, candidates, { lock: true });
      const now = this.now();
      if (!link) return { error: new AppError("LINK_INVALID") };
      if (link.usedAt || locked.status !== "identity_unverified") {
        return locked.verifiedAt ? { request: withoutCode(locked), already: true } : { error: new AppError("LINK_INVALID") };
      }
      if (link.expiresAt.getTime() <= now.getTime()) return { error: new AppError("LINK_INVALID") };
      await repo.useLink(tx, link.tokenHash, now);
      return { request: await this.markVerified(tx, locked.reference, now, "identity verified by e-mailed link"), already: false };
    });
    if ("error" in outcome && outcome.error) throw outcome.error;
    if (!outcome.already) this.onQueued();
    return { request: outcome.request!, already: outcome.already! };
  }

  /** identity_unverified -> pending, audited, and the helpdesk hand-off queued, in the caller's transaction. */
  private async markVerified(tx: Queryable, reference: string, now: Date, how: string): Promise<RequestRecord> {
    const move = guardTransition("identity_unverified", "pending", "requester", "requester", now, how);
    const record = await repo.markVerified(tx, reference, move.to, now);
    await repo.insertAudit(tx, {
      reference,
      at: now,
      actor: move.actor,
      action: "transition",
      from: move.from,
      to: move.to,
      note: move.note,
    });
    await this.notifications.queueVerified(tx, this.view(record), now);
    await this.notifications.queueRequesterMail(tx, "verified", {
      to: record.email,
      now,
      reference,
      kind: record.right,
      dueAt: record.dueAt,
    });
    return record;
  }

  /** A new one-time link for the request, valid as long as the request may stay unverified; returns its URL. */
  private async newLink(tx: Queryable, reference: string, now: Date): Promise<string> {
    const token = newLinkToken();
    const expiresAt = new Date(now.getTime() + this.options.unverifiedCloseDays * 86_400_000);
    await repo.insertLink(tx, { tokenHash: this.secret.link(token), reference, now, expiresAt });
    return `${this.options.publicUrl.replace(/\/+$/, "")}/verify/${token}`;
  }

  async resend(reference: string): Promise<{ reference: string; resendAvailableAt: Date }> {
    const outcome = await this.db.transaction(async (tx) => {
      const locked = await repo.lockRequest(tx, reference);
      const now = this.now();
      if (locked.status !== "identity_unverified")
        return { error: new AppError("NOT_AWAITING_VERIFICATION", [locked.status.replace(/_/g, " ")]) };
      const waitMs = locked.resendAvailableAt ? locked.resendAvailableAt.getTime() - now.getTime() : 0;
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        return { error: new AppError("RESEND_TOO_SOON", [seconds], { "Retry-After": String(seconds) }) };
      }
      if (locked.codesSent >= this.options.maxCodesSent) return { error: new AppError("RESEND_LIMIT") };
      const code = newVerificationCode();
      const resendAvailableAt = new Date(now.getTime() + this.options.resendCooldownMs);
      await repo.replaceCode(tx, reference, {
        codeHash: this.secret.code(reference, code),
        codeExpiresAt: new Date(now.getTime() + this.options.codeTtlMs),
        resendAvailableAt,
        now,
      });
      await repo.insertAudit(tx, { reference, at: now, actor: "requester", action: "code_resent", from: null, to: null, note: null });
      const link = await this.newLink(tx, reference, now);
      await this.notifications.queueCode(tx, { reference, to: locked.email, code, link, now });
      return { resendAvailableAt };
    });
    if ("error" in outcome) throw outcome.error;
    this.onQueued();
    return { reference, resendAvailableAt: outcome.resendAvailableAt };
  }

  /** Closes requests left unverified for `unverifiedCloseDays`, with the reason in the audit log. Returns how many. */
  async closeUnverified(): Promise<string[]> {
    const now = this.now();
    const days = this.options.unverifiedCloseDays;
    const move = guardTransition(
      "identity_unverified",
      "closed_unverified",
      "system",
      "system",
      now,
      `identity not verified within ${days} days`,
    );
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    return this.db.transaction((tx) =>
      repo.closeUnverifiedBefore(tx, { cutoff, now, from: move.from, to: move.to, note: move.note, actor: move.actor }),
    );
  }

  list(filters: RequestFilters = {}): Promise<RequestRecord[]> {
    return repo.listRequests(this.db, filters, this.now());
  }

  /** One page of a filter and how many requests match it in all. */
  async page(filters: RequestFilters = {}): Promise<{ requests: RequestRecord[]; total: number }> {
    const now = this.now();
    const [requests, total] = await Promise.all([repo.listRequests(this.db, filters, now), repo.countRequests(this.db, filters, now)]);
    return { requests, total };
  }

  /** Open requests by status and by days left, every status and bucket present. */
  async summary(): Promise<QueueSummary> {
    const { byStatus, byDaysLeft } = await repo.summarizeOpen(this.db, this.now());
    return {
      byStatus: OPEN_STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
      byDaysLeft: DAYS_LEFT_BUCKETS.map((bucket) => ({ bucket, count: byDaysLeft.get(bucket) ?? 0 })),
    };
  }

  get(reference: string): Promise<RequestRecord> {
    return repo.getRequest(this.db, reference);
  }

  history(reference: string): Promise<{ audit: AuditEntry[]; notes: Note[] }> {
    return repo.requestHistory(this.db, reference);
  }

  /** A staff move, guarded by the status table and written to the audit log with its actor and note. */
  async transition(reference: string, to: Status, actor: string, note?: string): Promise<RequestRecord> {
    const record = await this.db.transaction(async (tx) => {
      const locked = await repo.lockRequest(tx, reference);
      const now = this.now();
      const move = guardTransition(locked.status, to, "staff", actor, now, note);
      const record = await repo.moveRequest(tx, reference, { to: move.to, now, closes: !OPEN_STATUSES.includes(move.to), note: move.note });
      await repo.insertAudit(tx, {
        reference,
        at: now,
        actor: move.actor,
        action: "transition",
        from: move.from,
        to: move.to,
        note: move.note,
      });
      if (move.to === "denied" || move.to === "completed") {
        const facts = { to: record.email, now, reference, kind: record.right, dueAt: record.dueAt, reason: move.note };
        await this.notifications.queueRequesterMail(tx, move.to, facts);
      }
      return record;
    });
    if (record.status === "denied" || record.status === "completed") this.onQueued();
    return record;
  }

  /** The one extension the regime allows, taken before the deadline passes, with a reason. */
  async extend(reference: string, actor: string, reason: string): Promise<RequestRecord> {
    const extended = await this.db.transaction(async (tx) => {
      const record = withoutCode(await repo.lockRequest(tx, reference));
      const now = this.now();
      const refuse = (message: string) => new AppError("EXTENSION_NOT_AVAILABLE", [message]);
      if (!OPEN_STATUSES.includes(record.status)) throw refuse(`A request that is ${record.status.replace(/_/g, " ")} cannot be extended.`);
      if (record.extendedAt) throw refuse("This request has already been extended once; only one extension is allowed.");
      const newDue = extendedDueDate(record.dueAt, record.jurisdiction);
      if (!newDue)
        throw refuse(`${DEADLINES[record.jurisdiction].label} (${DEADLINES[record.jurisdiction].reference}) allows no extension.`);
      if (record.dueAt.getTime() < now.getTime()) throw refuse("The deadline has passed; an extension must be taken before the due date.");
      const updated = await repo.extendRequest(tx, reference, { dueAt: newDue, now, reason });
      await repo.insertAudit(tx, {
        reference,
        at: now,
        actor,
        action: "extended",
        from: null,
        to: null,
        note: `due ${record.dueAt.toISOString()} -> ${newDue.toISOString()}: ${reason}`,
      });
      // GDPR Art. 12(3): the requester is told of an extension, with its reasons, within the first month.
      await this.notifications.queueRequesterMail(tx, "extended", {
        to: record.email,
        now,
        reference,
        kind: record.right,
        dueAt: newDue,
        reason,
      });
      return updated;
    });
    this.onQueued();
    return extended;
  }

  async addNote(reference: string, author: string, text: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await repo.lockRequest(tx, reference);
      await repo.insertNote(tx, reference, this.now(), author, text);
    });
  }

  /** E-mails kept in the local outbox because no SMTP server is configured, newest first. */
  localMessages(limit = 200): Promise<OutboxMessage[]> {
    return this.notifications.localMessages(this.db, limit);
  }
}

/** The request as the workflow hands it on, without the verification-code state. */
function withoutCode(locked: repo.LockedRequest): RequestRecord {
  const { codeHash, codeExpiresAt, codeAttempts, codesSent, resendAvailableAt, ...record } = locked;
  return record;
}

function bodyHash(input: IntakeInput): string {
  const { site, right, email, name, country, details, source } = input;
  return createHash("sha256")
    .update(JSON.stringify([site, right, email, name ?? null, country ?? null, details ?? null, source]))
    .digest("hex");
}

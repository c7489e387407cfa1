import { createHash } from "node:crypto";
import { AppError } from "../errors.js";
import { SOURCES, type RequestKind, type Source } from "../contract/constants.js";
import type { AuditEntry, Note, OutboxMessage, RequestFilters, RequestView } from "../contract/schemas.js";
import type { Db, Queryable } from "./db.js";
import { dueDate, extendedDueDate, jurisdictionOf, DEADLINES, type Jurisdiction } from "./deadlines.js";
import { codeMatches, hashCode, newReference, newVerificationCode } from "./reference.js";
import { allowedTransitions, guardTransition, OPEN_STATUSES, type Status } from "./status.js";

export { SOURCES, type Source };
export type { AuditEntry, Note, RequestFilters, RequestView };

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

export interface RequestRecord {
  reference: string;
  site: string;
  right: RequestKind;
  email: string;
  name: string | null;
  country: string | null;
  details: string | null;
  source: Source;
  jurisdiction: Jurisdiction;
  status: Status;
  receivedAt: Date;
  dueAt: Date;
  verifiedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  extendedAt: Date | null;
  extensionReason: string | null;
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
}

/** The request as it may appear in a log line: no e-mail, no name, no free text. */
export function safeForLog(request: Pick<RequestRecord, "reference" | "site" | "right" | "status" | "jurisdiction" | "source">): string {
  const { reference, site, right, status, jurisdiction, source } = request;
  return `${reference} site=${site} right=${right} status=${status} jurisdiction=${jurisdiction} source=${source}`;
}

const COLUMNS = `reference, site, right_kind, email, name, country, details, source, jurisdiction, status, received_at, due_at,
  verified_at, closed_at, close_reason, extended_at, extension_reason`;

interface RequestRow {
  reference: string;
  site: string;
  right_kind: string;
  email: string;
  name: string | null;
  country: string | null;
  details: string | null;
  source: string;
  jurisdiction: string;
  status: string;
  received_at: Date;
  due_at: Date;
  verified_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
  extended_at: Date | null;
  extension_reason: string | null;
}

interface CodeRow extends RequestRow {
  code_hash: string | null;
  code_expires_at: Date | null;
  code_attempts: number;
  codes_sent: number;
  resend_available_at: Date | null;
}

function toRecord(row: RequestRow): RequestRecord {
  return {
    reference: row.reference,
    site: row.site,
    right: row.right_kind as RequestKind,
    email: row.email,
    name: row.name,
    country: row.country,
    details: row.details,
    source: row.source as Source,
    jurisdiction: row.jurisdiction as Jurisdiction,
    status: row.status as Status,
    receivedAt: new Date(row.received_at),
    dueAt: new Date(row.due_at),
    verifiedAt: row.verified_at && new Date(row.verified_at),
    closedAt: row.closed_at && new Date(row.closed_at),
    closeReason: row.close_reason,
    extendedAt: row.extended_at && new Date(row.extended_at),
    extensionReason: row.extension_reason,
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Intake, verification and the privacy team's work on requests, over one database. */
export class RightsService {
  readonly options: Required<RightsOptions>;

  constructor(
    private readonly db: Db,
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
      ...options,
    };
  }

  view(record: RequestRecord): RequestView {
    const { receivedAt, dueAt, verifiedAt, closedAt, extendedAt, ...rest } = record;
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
      allowedTransitions: allowedTransitions(record.status, "staff"),
      overdue: OPEN_STATUSES.includes(record.status) && dueAt.getTime() < this.now().getTime(),
    };
  }

  /** The reference already created under this key, if any, after checking the body is the same one. */
  async findByIdempotencyKey(key: string, input: IntakeInput): Promise<RequestRecord | null> {
    const [row] = await this.db.query<RequestRow & { body_hash: string }>(
      `SELECT ${COLUMNS}, body_hash FROM requests WHERE idempotency_key = $1`,
      [key],
    );
    if (!row) return null;
    if (row.body_hash !== bodyHash(input)) throw new AppError("IDEMPOTENCY_KEY_REUSED");
    return toRecord(row);
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
        const [row] = await tx.query<RequestRow>(
          `INSERT INTO requests (reference, idempotency_key, body_hash, site, right_kind, email, name, country, details, source,
             jurisdiction, status, received_at, due_at, code_hash, code_expires_at, codes_sent, resend_available_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'identity_unverified', $12, $13, $14, $15, 1, $16, $12)
           ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
          [
            reference,
            idempotencyKey,
            bodyHash(input),
            input.site,
            input.right,
            input.email,
            input.name ?? null,
            input.country ?? null,
            input.details ?? null,
            input.source,
            jurisdiction,
            now,
            dueDate(now, jurisdiction, { defaultDueDays: this.options.defaultDueDays }),
            hashCode(reference, code),
            new Date(now.getTime() + this.options.codeTtlMs),
            resendAvailableAt,
          ],
        );
        if (!row) return null;
        await audit(tx, reference, now, "requester", "created", null, "identity_unverified", `source: ${input.source}`);
        await this.queueCodeMail(tx, reference, input.email, code, now);
        return toRecord(row);
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

  async verify(reference: string, code: string): Promise<RequestRecord> {
    const outcome = await this.db.transaction(async (tx) => {
      const row = await lockForCode(tx, reference);
      const now = this.now();
      if (row.status !== "identity_unverified") {
        // A retried verify whose first reply was lost: the same correct code gets the same answer.
        if (codeMatches(reference, code, row.code_hash)) return { request: toRecord(row) };
        return { error: new AppError("NOT_AWAITING_VERIFICATION", [row.status.replace(/_/g, " ")]) };
      }
      if (row.code_attempts >= this.options.maxCodeAttempts) return { error: new AppError("CODE_ATTEMPTS_EXCEEDED") };
      if (!row.code_expires_at || new Date(row.code_expires_at).getTime() <= now.getTime()) return { error: new AppError("CODE_EXPIRED") };
      if (!codeMatches(reference, code, row.code_hash)) {
        const attempts = row.code_attempts + 1;
        await tx.query("UPDATE requests SET code_attempts = $2, updated_at = $3 WHERE reference = $1", [reference, attempts, now]);
        const left = this.options.maxCodeAttempts - attempts;
        return { error: left > 0 ? new AppError("CODE_INVALID", [left]) : new AppError("CODE_ATTEMPTS_EXCEEDED") };
      }
      const move = guardTransition("identity_unverified", "pending", "requester", "requester", now, "identity verified by e-mailed code");
      const [updated] = await tx.query<RequestRow>(
        `UPDATE requests SET status = $2, verified_at = $3, updated_at = $3, code_expires_at = NULL WHERE reference = $1 RETURNING ${COLUMNS}`,
        [reference, move.to, now],
      );
      await audit(tx, reference, now, move.actor, "transition", move.from, move.to, move.note);
      const record = toRecord(updated!);
      await tx.query(
        `INSERT INTO webhook_outbox (reference, event, payload, created_at, next_attempt_at) VALUES ($1, 'request.verified', $2, $3, $3)
         ON CONFLICT (reference, event) DO NOTHING`,
        [reference, JSON.stringify({ event: "request.verified", reference, request: this.view(record) }), now],
      );
      return { request: record, queued: true };
    });
    if ("error" in outcome && outcome.error) throw outcome.error;
    if ("queued" in outcome) this.onQueued();
    return outcome.request!;
  }

  async resend(reference: string): Promise<{ reference: string; resendAvailableAt: Date }> {
    const outcome = await this.db.transaction(async (tx) => {
      const row = await lockForCode(tx, reference);
      const now = this.now();
      if (row.status !== "identity_unverified")
        return { error: new AppError("NOT_AWAITING_VERIFICATION", [row.status.replace(/_/g, " ")]) };
      const waitMs = row.resend_available_at ? new Date(row.resend_available_at).getTime() - now.getTime() : 0;
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        return { error: new AppError("RESEND_TOO_SOON", [seconds], { "Retry-After": String(seconds) }) };
      }
      if (row.codes_sent >= this.options.maxCodesSent) return { error: new AppError("RESEND_LIMIT") };
      const code = newVerificationCode();
      const resendAvailableAt = new Date(now.getTime() + this.options.resendCooldownMs);
      await tx.query(
        `UPDATE requests SET code_hash = $2, code_expires_at = $3, code_attempts = 0, codes_sent = codes_sent + 1,
           resend_available_at = $4, updated_at = $5 WHERE reference = $1`,
        [reference, hashCode(reference, code), new Date(now.getTime() + this.options.codeTtlMs), resendAvailableAt, now],
      );
      await audit(tx, reference, now, "requester", "code_resent", null, null, null);
      await this.queueCodeMail(tx, reference, row.email, code, now);
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
    const rows = await this.db.transaction((tx) =>
      tx.query<{ reference: string }>(
        `WITH closed AS (
           UPDATE requests SET status = $2, closed_at = $1, close_reason = $3, updated_at = $1, code_hash = NULL, code_expires_at = NULL
           WHERE status = $4 AND received_at <= $5 RETURNING reference)
         INSERT INTO request_audit (reference, at, actor, action, from_status, to_status, note)
         SELECT reference, $1, $6, 'transition', $4, $2, $3 FROM closed RETURNING reference`,
        [now, move.to, move.note, move.from, cutoff, move.actor],
      ),
    );
    return rows.map((row) => row.reference);
  }

  async list(filters: RequestFilters = {}): Promise<RequestRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filters.status) where.push(`status = ${param(filters.status)}`);
    if (filters.site) where.push(`site = ${param(filters.site)}`);
    if (filters.right) where.push(`right_kind = ${param(filters.right)}`);
    const now = this.now();
    if (filters.dueWithinDays !== undefined || filters.overdue !== undefined) {
      where.push(`status = ANY(${param([...OPEN_STATUSES])})`);
    }
    if (filters.dueWithinDays !== undefined) where.push(`due_at <= ${param(new Date(now.getTime() + filters.dueWithinDays * 86_400_000))}`);
    if (filters.overdue === true) where.push(`due_at < ${param(now)}`);
    if (filters.overdue === false) where.push(`due_at >= ${param(now)}`);
    const rows = await this.db.query<RequestRow>(
      `SELECT ${COLUMNS} FROM requests ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY due_at, reference LIMIT ${param(filters.limit ?? 1000)}`,
      params,
    );
    return rows.map(toRecord);
  }

  async get(reference: string): Promise<RequestRecord> {
    const [row] = await this.db.query<RequestRow>(`SELECT ${COLUMNS} FROM requests WHERE reference = $1`, [reference]);
    if (!row) throw new AppError("REQUEST_NOT_FOUND", [reference]);
    return toRecord(row);
  }

  async history(reference: string): Promise<{ audit: AuditEntry[]; notes: Note[] }> {
    const audit = await this.db.query<{
      at: Date;
      actor: string;
      action: string;
      from_status: Status | null;
      to_status: Status | null;
      note: string | null;
    }>("SELECT at, actor, action, from_status, to_status, note FROM request_audit WHERE reference = $1 ORDER BY id", [reference]);
    const notes = await this.db.query<{ at: Date; author: string; text: string }>(
      "SELECT at, author, text FROM request_notes WHERE reference = $1 ORDER BY id",
      [reference],
    );
    return {
      audit: audit.map((a) => ({
        at: new Date(a.at).toISOString(),
        actor: a.actor,
        action: a.action,
        from: a.from_status,
        to: a.to_status,
        note: a.note,
      })),
      notes: notes.map((n) => ({ at: new Date(n.at).toISOString(), author: n.author, text: n.text })),
    };
  }

  /** A staff move, guarded by the status table and written to the audit log with its actor and note. */
  async transition(reference: string, to: Status, actor: string, note?: string): Promise<RequestRecord> {
    return this.db.transaction(async (tx) => {
      const row = await lockForCode(tx, reference);
      const now = this.now();
      const move = guardTransition(row.status as Status, to, "staff", actor, now, note);
      const closes = !OPEN_STATUSES.includes(move.to);
      const [updated] = await tx.query<RequestRow>(
        `UPDATE requests SET status = $2, updated_at = $3, closed_at = CASE WHEN $4::boolean THEN $3 ELSE closed_at END,
           close_reason = CASE WHEN $4::boolean THEN $5 ELSE close_reason END
         WHERE reference = $1 RETURNING ${COLUMNS}`,
        [reference, move.to, now, closes, move.note],
      );
      await audit(tx, reference, now, move.actor, "transition", move.from, move.to, move.note);
      return toRecord(updated!);
    });
  }

  /** The one extension the regime allows, taken before the deadline passes, with a reason. */
  async extend(reference: string, actor: string, reason: string): Promise<RequestRecord> {
    return this.db.transaction(async (tx) => {
      const record = toRecord(await lockForCode(tx, reference));
      const now = this.now();
      const refuse = (message: string) => new AppError("EXTENSION_NOT_AVAILABLE", [message]);
      if (!OPEN_STATUSES.includes(record.status)) throw refuse(`A request that is ${record.status.replace(/_/g, " ")} cannot be extended.`);
      if (record.extendedAt) throw refuse("This request has already been extended once; only one extension is allowed.");
      const newDue = extendedDueDate(record.dueAt, record.jurisdiction);
      if (!newDue)
        throw refuse(`${DEADLINES[record.jurisdiction].label} (${DEADLINES[record.jurisdiction].reference}) allows no extension.`);
      if (record.dueAt.getTime() < now.getTime()) throw refuse("The deadline has passed; an extension must be taken before the due date.");
      const [updated] = await tx.query<RequestRow>(
        `UPDATE requests SET due_at = $2, extended_at = $3, extension_reason = $4, updated_at = $3 WHERE reference = $1 RETURNING ${COLUMNS}`,
        [reference, newDue, now, reason],
      );
      await audit(
        tx,
        reference,
        now,
        actor,
        "extended",
        null,
        null,
        `due ${record.dueAt.toISOString()} -> ${newDue.toISOString()}: ${reason}`,
      );
      return toRecord(updated!);
    });
  }

  async addNote(reference: string, author: string, text: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockForCode(tx, reference);
      await tx.query("INSERT INTO request_notes (reference, at, author, text) VALUES ($1, $2, $3, $4)", [
        reference,
        this.now(),
        author,
        text,
      ]);
    });
  }

  /** E-mails kept in the local outbox because no SMTP server is configured, newest first. */
  async localMessages(limit = 200): Promise<OutboxMessage[]> {
    const rows = await this.db.query<{ id: number; to_address: string; subject: string; body: string; created_at: Date }>(
      "SELECT id, to_address, subject, body, created_at FROM mail_outbox WHERE state = 'local' ORDER BY id DESC LIMIT $1",
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      to: r.to_address,
      subject: r.subject,
      text: r.body,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** Stores a thumbs up or down on an answer; nothing about who gave it. */
  async recordFeedback(feedback: {
    site: string;
    verdict: "up" | "down";
    kind: string;
    citations: Array<{ title: string; section: string; url: string }>;
  }) {
    const [row] = await this.db.query<{ id: number }>(
      "INSERT INTO feedback (site, verdict, kind, citations, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [feedback.site, feedback.verdict, feedback.kind, JSON.stringify(feedback.citations), this.now()],
    );
    return row!.id;
  }

  private async queueCodeMail(tx: Queryable, reference: string, to: string, code: string, now: Date) {
    const minutes = Math.round(this.options.codeTtlMs / 60_000);
    await tx.query(
      "INSERT INTO mail_outbox (reference, to_address, subject, body, created_at, state, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
      [
        reference,
        to,
        `Your verification code for privacy request ${reference}`,
        `Your verification code is ${code}.\n\nEnter it where you made your request (reference ${reference}). ` +
          `It is valid for ${minutes} minutes. If you did not ask for this, ignore this message and the request will close itself.`,
        now,
        this.options.mailDelivery === "smtp" ? "queued" : "local",
      ],
    );
  }
}

function bodyHash(input: IntakeInput): string {
  const { site, right, email, name, country, details, source } = input;
  return createHash("sha256")
    .update(JSON.stringify([site, right, email, name ?? null, country ?? null, details ?? null, source]))
    .digest("hex");
}

async function lockForCode(tx: Queryable, reference: string): Promise<CodeRow> {
  const [row] = await tx.query<CodeRow>(
    `SELECT ${COLUMNS}, code_hash, code_expires_at, code_attempts, codes_sent, resend_available_at FROM requests WHERE reference = $1 FOR UPDATE`,
    [reference],
  );
  if (!row) throw new AppError("REQUEST_NOT_FOUND", [reference]);
  return row;
}

async function audit(
  tx: Queryable,
  reference: string,
  at: Date,
  actor: string,
  action: string,
  from: Status | null,
  to: Status | null,
  note: string | null,
) {
  await tx.query(
    "INSERT INTO request_audit (reference, at, actor, action, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [reference, at, actor, action, from, to, note],
  );
}

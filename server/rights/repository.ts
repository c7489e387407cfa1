import type { RequestKind, Source } from "../contract/constants.js";
import type { AuditEntry, Note, RequestFilters } from "../contract/schemas.js";
import { AppError } from "../errors.js";
import type { Queryable } from "./db.js";
import type { Jurisdiction } from "./deadlines.js";
import { OPEN_STATUSES, type Status } from "./status.js";

/**
 * The requests' SQL, and nothing else: rows in, records out. Every function takes the connection or transaction to
 * run on, so the workflow (./service.ts) decides what happens together in one transaction.
 */

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
  /** When its identity was blanked: after the retention period, or erased by staff (./retention.ts). */
  anonymisedAt: Date | null;
}

/** A request locked for a change, with its verification-code state. */
export interface LockedRequest extends RequestRecord {
  codeHash: string | null;
  codeExpiresAt: Date | null;
  codeAttempts: number;
  codesSent: number;
  resendAvailableAt: Date | null;
}

export interface NewRequest {
  reference: string;
  idempotencyKey: string;
  bodyHash: string;
  site: string;
  right: RequestKind;
  email: string;
  name: string | null;
  country: string | null;
  details: string | null;
  source: Source;
  jurisdiction: Jurisdiction;
  receivedAt: Date;
  dueAt: Date;
  codeHash: string;
  codeExpiresAt: Date;
  resendAvailableAt: Date;
}

const COLUMNS = `reference, site, right_kind, email, name, country, details, source, jurisdiction, status, received_at, due_at,
  verified_at, closed_at, close_reason, extended_at, extension_reason, anonymised_at`;

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
  anonymised_at: Date | null;
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
    // The columns only ever hold what the workflow wrote, which the types below name; the database does not know them.
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
    anonymisedAt: row.anonymised_at && new Date(row.anonymised_at),
  };
}

const date = (value: Date | null) => (value ? new Date(value) : null);

/** The request created under an idempotency key, with the hash of the body it was created from. */
export async function findByIdempotencyKey(db: Queryable, key: string): Promise<{ request: RequestRecord; bodyHash: string } | null> {
  const [row] = await db.query<RequestRow & { body_hash: string }>(
    `SELECT ${COLUMNS}, body_hash FROM requests WHERE idempotency_key = $1`,
    [key],
  );
  return row ? { request: toRecord(row), bodyHash: row.body_hash } : null;
}

/** Inserts an unverified request; null when the reference or the idempotency key is already taken. */
export async function insertRequest(tx: Queryable, r: NewRequest): Promise<RequestRecord | null> {
  const [row] = await tx.query<RequestRow>(
    `INSERT INTO requests (reference, idempotency_key, body_hash, site, right_kind, email, name, country, details, source,
       jurisdiction, status, received_at, due_at, code_hash, code_expires_at, codes_sent, resend_available_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'identity_unverified', $12, $13, $14, $15, 1, $16, $12)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [
      r.reference,
      r.idempotencyKey,
      r.bodyHash,
      r.site,
      r.right,
      r.email,
      r.name,
      r.country,
      r.details,
      r.source,
      r.jurisdiction,
      r.receivedAt,
      r.dueAt,
      r.codeHash,
      r.codeExpiresAt,
      r.resendAvailableAt,
    ],
  );
  return row ? toRecord(row) : null;
}

/** Locks one request for the rest of the transaction; 404 REQUEST_NOT_FOUND when there is none. */
export async function lockRequest(tx: Queryable, reference: string): Promise<LockedRequest> {
  const [row] = await tx.query<CodeRow>(
    `SELECT ${COLUMNS}, code_hash, code_expires_at, code_attempts, codes_sent, resend_available_at FROM requests WHERE reference = $1 FOR UPDATE`,
    [reference],
  );
  if (!row) throw new AppError("REQUEST_NOT_FOUND", [reference]);
  return {
    ...toRecord(row),
    codeHash: row.code_hash,
    codeExpiresAt: date(row.code_expires_at),
    codeAttempts: row.code_attempts,
    codesSent: row.codes_sent,
    resendAvailableAt: date(row.resend_available_at),
  };
}

export async function countWrongCode(tx: Queryable, reference: string, attempts: number, now: Date): Promise<void> {
  await tx.query("UPDATE requests SET code_attempts = $2, updated_at = $3 WHERE reference = $1", [reference, attempts, now]);
}

export async function markVerified(tx: Queryable, reference: string, to: Status, now: Date): Promise<RequestRecord> {
  const [row] = await tx.query<RequestRow>(
    `UPDATE requests SET status = $2, verified_at = $3, updated_at = $3, code_expires_at = NULL WHERE reference = $1 RETURNING ${COLUMNS}`,
    [reference, to, now],
  );
  return toRecord(row!);
}

export async function replaceCode(
  tx: Queryable,
  reference: string,
  { codeHash, codeExpiresAt, resendAvailableAt, now }: { codeHash: string; codeExpiresAt: Date; resendAvailableAt: Date; now: Date },
): Promise<void> {
  await tx.query(
    `UPDATE requests SET code_hash = $2, code_expires_at = $3, code_attempts = 0, codes_sent = codes_sent + 1,
       resend_available_at = $4, updated_at = $5 WHERE reference = $1`,
    [reference, codeHash, codeExpiresAt, resendAvailableAt, now],
  );
}

/** A one-time verification link, stored by the HMAC of its token. */
export async function insertLink(
  tx: Queryable,
  { tokenHash, reference, now, expiresAt }: { tokenHash: string; reference: string; now: Date; expiresAt: Date },
): Promise<void> {
  await tx.query("INSERT INTO verification_links (token_hash, reference, created_at, expires_at) VALUES ($1, $2, $3, $4)", [
    tokenHash,
    reference,
    now,
    expiresAt,
  ]);
}

export interface LinkRecord {
  tokenHash: string;
  reference: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** The link stored under one of `tokenHashes` (one per secret key in use); `lock` holds it for the transaction. */
export async function findLink(db: Queryable, tokenHashes: string[], { lock = false } = {}): Promise<LinkRecord | null> {
  const [row] = await db.query<{ token_hash: string; reference: string; expires_at: Date; used_at: Date | null }>(
    `SELECT token_hash, reference, expires_at, used_at FROM verification_links WHERE token_hash = ANY($1)${lock ? " FOR UPDATE" : ""}`,
    [tokenHashes],
  );
  return row
    ? { tokenHash: row.token_hash, reference: row.reference, expiresAt: new Date(row.expires_at), usedAt: date(row.used_at) }
    : null;
}

export async function useLink(tx: Queryable, tokenHash: string, now: Date): Promise<void> {
  await tx.query("UPDATE verification_links SET used_at = $2 WHERE token_hash = $1", [tokenHash, now]);
}

/** Closes every request still unverified and received before `cutoff`, each with its audit entry; returns their references. */
export async function closeUnverifiedBefore(
  tx: Queryable,
  { cutoff, now, from, to, note, actor }: { cutoff: Date; now: Date; from: Status; to: Status; note: string | null; actor: string },
): Promise<string[]> {
  const rows = await tx.query<{ reference: string }>(
    `WITH closed AS (
       UPDATE requests SET status = $2, closed_at = $1, close_reason = $3, updated_at = $1, code_hash = NULL, code_expires_at = NULL
       WHERE status = $4 AND received_at <= $5 RETURNING reference)
     INSERT INTO request_audit (reference, at, actor, action, from_status, to_status, note)
     SELECT reference, $1, $6, 'transition', $4, $2, $3 FROM closed RETURNING reference`,
    [now, to, note, from, cutoff, actor],
  );
  return rows.map((row) => row.reference);
}

/** The WHERE clause of a filter, with its parameters; shared by the page and its count. */
function filterClause(filters: RequestFilters, now: Date): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filters.status) where.push(`status = ${param(filters.status)}`);
  if (filters.site) where.push(`site = ${param(filters.site)}`);
  if (filters.right) where.push(`right_kind = ${param(filters.right)}`);
  if (filters.state === "open" || filters.dueWithinDays !== undefined || filters.overdue !== undefined) {
    where.push(`status = ANY(${param([...OPEN_STATUSES])})`);
  }
  if (filters.state === "closed") where.push(`NOT (status = ANY(${param([...OPEN_STATUSES])}))`);
  if (filters.q) {
    const like = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const p = param(like);
    where.push(`(reference ILIKE ${p} OR email ILIKE ${p})`);
  }
  if (filters.dueWithinDays !== undefined) where.push(`due_at <= ${param(new Date(now.getTime() + filters.dueWithinDays * 86_400_000))}`);
  if (filters.overdue === true) where.push(`due_at < ${param(now)}`);
  if (filters.overdue === false) where.push(`due_at >= ${param(now)}`);
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", params };
}

export async function listRequests(db: Queryable, filters: RequestFilters, now: Date): Promise<RequestRecord[]> {
  const { sql, params } = filterClause(filters, now);
  const direction = filters.order === "-due" ? "DESC" : "ASC";
  const rows = await db.query<RequestRow>(
    `SELECT ${COLUMNS} FROM requests ${sql}
     ORDER BY due_at ${direction}, reference ${direction} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, filters.limit ?? 1000, filters.offset ?? 0],
  );
  return rows.map(toRecord);
}

/** Open requests counted by status and by whole days left to their due date (the queue's charts). */
export async function summarizeOpen(db: Queryable, now: Date): Promise<{ byStatus: Map<string, number>; byDaysLeft: Map<string, number> }> {
  const day = 86_400_000;
  const rows = await db.query<{ status: string; bucket: string; count: string | number }>(
    `SELECT status, CASE WHEN due_at < $2 THEN 'overdue' WHEN due_at < $3 THEN 'week' WHEN due_at < $4 THEN 'fortnight'
       WHEN due_at < $5 THEN 'month' ELSE 'later' END AS bucket, count(*) AS count
     FROM requests WHERE status = ANY($1) GROUP BY 1, 2`,
    [[...OPEN_STATUSES], now, new Date(now.getTime() + 8 * day), new Date(now.getTime() + 15 * day), new Date(now.getTime() + 31 * day)],
  );
  const byStatus = new Map<string, number>();
  const byDaysLeft = new Map<string, number>();
  for (const { status, bucket, count } of rows) {
    byStatus.set(status, (byStatus.get(status) ?? 0) + Number(count));
    byDaysLeft.set(bucket, (byDaysLeft.get(bucket) ?? 0) + Number(count));
  }
  return { byStatus, byDaysLeft };
}

/** How many requests match a filter, whatever page is asked for. */
export async function countRequests(db: Queryable, filters: RequestFilters, now: Date): Promise<number> {
  const { sql, params } = filterClause(filters, now);
  const [row] = await db.query<{ count: number | string }>(`SELECT count(*) AS count FROM requests ${sql}`, params);
  return Number(row?.count ?? 0);
}

export async function getRequest(db: Queryable, reference: string): Promise<RequestRecord> {
  const [row] = await db.query<RequestRow>(`SELECT ${COLUMNS} FROM requests WHERE reference = $1`, [reference]);
  if (!row) throw new AppError("REQUEST_NOT_FOUND", [reference]);
  return toRecord(row);
}

export async function requestHistory(db: Queryable, reference: string): Promise<{ audit: AuditEntry[]; notes: Note[] }> {
  const audit = await db.query<{
    at: Date;
    actor: string;
    action: string;
    from_status: Status | null;
    to_status: Status | null;
    note: string | null;
  }>("SELECT at, actor, action, from_status, to_status, note FROM request_audit WHERE reference = $1 ORDER BY id", [reference]);
  const notes = await db.query<{ at: Date; author: string; text: string }>(
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

/** Moves a request to `to`; a move out of the open statuses also closes it with the note as the reason. */
export async function moveRequest(
  tx: Queryable,
  reference: string,
  { to, now, closes, note }: { to: Status; now: Date; closes: boolean; note: string | null },
): Promise<RequestRecord> {
  const [row] = await tx.query<RequestRow>(
    `UPDATE requests SET status = $2, updated_at = $3, closed_at = CASE WHEN $4::boolean THEN $3 ELSE closed_at END,
       close_reason = CASE WHEN $4::boolean THEN $5 ELSE close_reason END
     WHERE reference = $1 RETURNING ${COLUMNS}`,
    [reference, to, now, closes, note],
  );
  return toRecord(row!);
}

export async function extendRequest(
  tx: Queryable,
  reference: string,
  { dueAt, now, reason }: { dueAt: Date; now: Date; reason: string },
): Promise<RequestRecord> {
  const [row] = await tx.query<RequestRow>(
    `UPDATE requests SET due_at = $2, extended_at = $3, extension_reason = $4, updated_at = $3 WHERE reference = $1 RETURNING ${COLUMNS}`,
    [reference, dueAt, now, reason],
  );
  return toRecord(row!);
}

export async function insertNote(tx: Queryable, reference: string, at: Date, author: string, text: string): Promise<void> {
  await tx.query("INSERT INTO request_notes (reference, at, author, text) VALUES ($1, $2, $3, $4)", [reference, at, author, text]);
}

/** One line of the audit log: who did what to the request, when, and why. */
export async function insertAudit(
  tx: Queryable,
  entry: { reference: string; at: Date; actor: string; action: string; from: Status | null; to: Status | null; note: string | null },
): Promise<void> {
  await tx.query(
    "INSERT INTO request_audit (reference, at, actor, action, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [entry.reference, entry.at, entry.actor, entry.action, entry.from, entry.to, entry.note],
  );
}

/**
 * Closed requests not yet anonymised that closed at or before `cutoff`, oldest first, locked for the transaction; rows
 * another instance's sweep holds are skipped, not waited for.
 */
export async function lockClosedBefore(tx: Queryable, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<{ reference: string }>(
    `SELECT reference FROM requests WHERE anonymised_at IS NULL AND closed_at <= $1 AND NOT (status = ANY($2))
     ORDER BY closed_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [cutoff, [...OPEN_STATUSES], limit],
  );
  return rows.map((row) => row.reference);
}

/**
 * Blanks what identifies the requesters of `references`: e-mail (NOT NULL, so ''), name, country, details, the
 * idempotency key and body hash they sent (a hash of their e-mail and name), the code, their links, and the text of
 * staff notes. What is left is the record of the request: site, right, jurisdiction, dates, status, staff reasons.
 */
export async function anonymise(tx: Queryable, references: string[], now: Date): Promise<void> {
  await tx.query(
    `UPDATE requests SET email = '', name = NULL, country = NULL, details = NULL, idempotency_key = 'anonymised:' || reference,
       body_hash = '', code_hash = NULL, code_expires_at = NULL, anonymised_at = $2, updated_at = $2
     WHERE reference = ANY($1)`,
    [references, now],
  );
  await tx.query("UPDATE request_notes SET text = '' WHERE reference = ANY($1)", [references]);
  await tx.query("DELETE FROM verification_links WHERE reference = ANY($1)", [references]);
}

/** One identical audit line for each of `references` (who, what, why), in one statement. */
export async function insertAuditForEach(
  tx: Queryable,
  references: string[],
  entry: { at: Date; actor: string; action: string; note: string | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO request_audit (reference, at, actor, action, from_status, to_status, note)
     SELECT reference, $2, $3, $4, NULL, NULL, $5 FROM unnest($1::text[]) AS reference`,
    [references, entry.at, entry.actor, entry.action, entry.note],
  );
}

import type { Db } from "./db.js";

/** One claimed outbox row: its id and which attempt this is (1 for the first). */
export interface OutboxRow {
  id: number;
  attempts: number;
}

export interface OutboxLoopOptions<Row extends OutboxRow> {
  db: Db;
  /** The outbox table, the condition for rows still to deliver, their order, and the columns a delivery needs. */
  table: "mail_outbox" | "webhook_outbox";
  pending: string;
  order: string;
  columns: string;
  now: () => Date;
  /** How long a claimed row is held before another run (or instance, or the restarted server) may try it again. */
  leaseMs: number;
  batch?: number;
  /** Delivers one row; a throw is a failed attempt. */
  deliver: (row: Row) => Promise<void>;
  /** Records a delivery (and counts the attempt). */
  delivered: (row: Row) => Promise<void>;
  /** Records a failed attempt: when to try again, or that it was given up (and counts the attempt). */
  failed: (row: Row, error: unknown) => Promise<void>;
}

/**
 * The lease/retry loop both outboxes (e-mail, helpdesk webhook) run: claim due rows with a lease (FOR UPDATE SKIP
 * LOCKED, so two instances never take the same row), deliver them one by one, record each outcome, and on shutdown
 * hand the untried rest back at once. The claim is only a lease: attempts are counted when a try has an outcome, so a
 * server killed mid-batch does not use up the attempts of rows it never tried.
 */
export function createOutboxLoop<Row extends OutboxRow>({
  db,
  table,
  pending,
  order,
  columns,
  now,
  leaseMs,
  batch = 10,
  deliver,
  delivered,
  failed,
}: OutboxLoopOptions<Row>) {
  /** Delivers what is due; returns how many went out. Once `stopping()` says so, the untried rest is released. */
  return async function deliverDue(stopping: () => boolean = () => false): Promise<number> {
    const claimed = await db.query<Row>(
      `UPDATE ${table} SET next_attempt_at = $2
       WHERE id IN (SELECT id FROM ${table} WHERE ${pending} AND next_attempt_at <= $1 ORDER BY ${order} LIMIT ${batch} FOR UPDATE SKIP LOCKED)
       RETURNING ${columns}, attempts + 1 AS attempts`,
      [now(), new Date(now().getTime() + leaseMs)],
    );
    let count = 0;
    for (const [index, row] of claimed.entries()) {
      if (stopping()) {
        const untried = claimed.slice(index).map((r) => r.id);
        await db.query(`UPDATE ${table} SET next_attempt_at = $2 WHERE id = ANY($1) AND ${pending}`, [untried, now()]);
        break;
      }
      try {
        await deliver(row);
      } catch (error) {
        await failed(row, error);
        continue;
      }
      await delivered(row);
      count++;
    }
    return count;
  };
}

/**
 * Exponential backoff: `baseMs` after the first failed attempt, doubling, capped at `maxMs`, optionally with ±25 %
 * jitter so many rows that failed together do not retry together.
 */
export function retryDelay(attempt: number, { baseMs, maxMs = Number.POSITIVE_INFINITY, jitter = false }: RetryPolicy): number {
  const delay = Math.min(baseMs * 2 ** (attempt - 1), maxMs);
  return jitter ? delay * (0.75 + Math.random() * 0.5) : delay;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs?: number;
  jitter?: boolean;
}

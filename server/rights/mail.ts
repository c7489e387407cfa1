import nodemailer from "nodemailer";
import type { Db } from "./db.js";
import { createOutboxLoop, type OutboxRow, retryDelay } from "./outbox.js";
import { errorMessage } from "./safe-log.js";

export interface MailDispatcherOptions {
  db: Db;
  smtpUrl: string;
  from: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** Attempts before a message is given up as failed; its code expires within minutes anyway. */
  maxAttempts?: number;
  retryBaseMs?: number;
  /** How long a claimed message is held before a restarted server (or another instance) may send it again. */
  leaseMs?: number;
}

/**
 * Sends queued e-mails over SMTP. A sent message's row (address, and a code in the body) is deleted at once, so the
 * database keeps only the code's hash. Rows are claimed with a lease so two instances do not both send one.
 */
export function createMailDispatcher({
  db,
  smtpUrl,
  from,
  now = () => new Date(),
  log = () => {},
  maxAttempts = 8,
  retryBaseMs = 5_000,
  leaseMs = 60_000,
}: MailDispatcherOptions) {
  const transport = nodemailer.createTransport(smtpUrl);
  const deliverDue = createOutboxLoop<QueuedMail>({
    db,
    table: "mail_outbox",
    pending: "state = 'queued'",
    order: "id",
    columns: "id, reference, to_address, subject, body, html",
    now,
    leaseMs,
    deliver: async (message) => {
      await transport.sendMail({
        from,
        to: message.to_address,
        subject: message.subject,
        text: message.body,
        ...(message.html ? { html: message.html } : {}),
      });
    },
    delivered: async (message) => {
      await db.query("DELETE FROM mail_outbox WHERE id = $1", [message.id]);
    },
    failed: async (message, error) => {
      const givenUp = message.attempts >= maxAttempts;
      const delay = retryDelay(message.attempts, { baseMs: retryBaseMs });
      await db.query("UPDATE mail_outbox SET state = $2, next_attempt_at = $3, last_error = $4, attempts = attempts + 1 WHERE id = $1", [
        message.id,
        givenUp ? "failed" : "queued",
        new Date(now().getTime() + delay),
        errorMessage(error).slice(0, 500),
      ]);
      log(
        `mail: message ${message.id} (${message.reference ?? "-"}) attempt ${message.attempts} failed${givenUp ? ", giving up" : ""}: ${errorMessage(error)}`,
      );
    },
  });
  return {
    transport,
    /** Sends what is due; returns how many went out. Once `stopping()` says so, the untried rest is released at once. */
    deliverDue,
    close: () => transport.close(),
  };
}

interface QueuedMail extends OutboxRow {
  reference: string | null;
  to_address: string;
  subject: string;
  body: string;
  html: string | null;
}

import nodemailer from "nodemailer";
import type { Db } from "./db.js";
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
 * Sends queued e-mails over SMTP. A sent message's body (which holds the code) is blanked at once, so the
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
  return {
    transport,
    /** Sends what is due; returns how many went out. Once `stopping()` says so, the untried rest is released at once. */
    async deliverDue(stopping: () => boolean = () => false): Promise<number> {
      const claimed = await db.query<{
        id: number;
        reference: string | null;
        to_address: string;
        subject: string;
        body: string;
        attempts: number;
      }>(
        // The claim is only a lease: a server killed mid-batch must not use up the attempts of messages it never tried.
        `UPDATE mail_outbox SET next_attempt_at = $2
         WHERE id IN (SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= $1 ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED)
         RETURNING id, reference, to_address, subject, body, attempts + 1 AS attempts`,
        [now(), new Date(now().getTime() + leaseMs)],
      );
      let sent = 0;
      for (const [index, message] of claimed.entries()) {
        if (stopping()) {
          const untried = claimed.slice(index).map((row) => row.id);
          await db.query("UPDATE mail_outbox SET next_attempt_at = $2 WHERE id = ANY($1) AND state = 'queued'", [untried, now()]);
          break;
        }
        try {
          await transport.sendMail({ from, to: message.to_address, subject: message.subject, text: message.body });
          await db.query("UPDATE mail_outbox SET state = 'sent', sent_at = $2, body = '', attempts = attempts + 1 WHERE id = $1", [
            message.id,
            now(),
          ]);
          sent++;
        } catch (error) {
          const failed = message.attempts >= maxAttempts;
          const delay = retryBaseMs * 2 ** (message.attempts - 1);
          await db.query(
            "UPDATE mail_outbox SET state = $2, next_attempt_at = $3, last_error = $4, attempts = attempts + 1 WHERE id = $1",
            [message.id, failed ? "failed" : "queued", new Date(now().getTime() + delay), errorMessage(error).slice(0, 500)],
          );
          log(
            `mail: message ${message.id} (${message.reference ?? "-"}) attempt ${message.attempts} failed${failed ? ", giving up" : ""}: ${errorMessage(error)}`,
          );
        }
      }
      return sent;
    },
    close: () => transport.close(),
  };
}

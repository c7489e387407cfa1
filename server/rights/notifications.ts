import type { OutboxMessage, RequestView } from "../contract/schemas.js";
import type { Queryable } from "./db.js";
import { type MailLanguage, type RequestFacts, type RequesterEvent, requesterMessage } from "./requester-mail.js";

export interface NotificationOptions {
  /** "smtp": messages queue for the SMTP dispatcher; "local": they stay in the outbox for the staff API. */
  mailDelivery: "smtp" | "local";
  /** Whether a helpdesk webhook is configured (WEBHOOK_URL); without one no copy of a verified request is kept. */
  helpdeskWebhook: boolean;
  /** How long a code is valid, for the e-mail's wording. */
  codeTtlMs: number;
  /** The language of the e-mails that tell the requester what happened to their request. */
  mailLanguage?: MailLanguage;
}

/**
 * What the requester and the helpdesk are told, and the outboxes it waits in: the verification e-mail's text
 * (mail_outbox) and the hand-off of a verified request (webhook_outbox, only with a webhook configured). Rows are written in the caller's transaction,
 * so a message exists exactly when the change it reports was committed; the dispatchers (./mail.ts, ./webhook.ts)
 * deliver them.
 */
export class Notifications {
  constructor(private readonly options: NotificationOptions) {}

  /** Queues the e-mail with a verification code and a one-time link that does the same without typing. */
  async queueCode(
    tx: Queryable,
    { reference, to, code, link, now }: { reference: string; to: string; code: string; link: string; now: Date },
  ) {
    const minutes = Math.round(this.options.codeTtlMs / 60_000);
    await tx.query(
      "INSERT INTO mail_outbox (reference, to_address, subject, body, created_at, state, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
      [
        reference,
        to,
        `Your verification code for privacy request ${reference}`,
        `Your verification code is ${code}.\n\nEnter it where you made your request (reference ${reference}). ` +
          `It is valid for ${minutes} minutes.\n\nOr confirm your request with this link (it works once, and keeps working ` +
          `after a mistyped code):\n${link}\n\nIf you did not ask for this, ignore this message and the request will close itself.`,
        now,
        this.options.mailDelivery === "smtp" ? "queued" : "local",
      ],
    );
  }

  /** Queues the e-mail that tells the requester what happened (verified, extended, denied, completed), text and HTML. */
  async queueRequesterMail(tx: Queryable, event: RequesterEvent, { to, now, ...facts }: RequestFacts & { to: string; now: Date }) {
    const message = requesterMessage(event, facts, this.options.mailLanguage);
    await tx.query(
      "INSERT INTO mail_outbox (reference, to_address, subject, body, html, created_at, state, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6)",
      [facts.reference, to, message.subject, message.text, message.html, now, this.options.mailDelivery === "smtp" ? "queued" : "local"],
    );
  }

  /** Queues the helpdesk hand-off of a verified request, once per request, when there is a helpdesk to hand it to. */
  async queueVerified(tx: Queryable, request: RequestView, now: Date) {
    if (!this.options.helpdeskWebhook) return;
    await tx.query(
      `INSERT INTO webhook_outbox (reference, event, payload, created_at, next_attempt_at) VALUES ($1, 'request.verified', $2, $3, $3)
       ON CONFLICT (reference, event) DO NOTHING`,
      [request.reference, JSON.stringify({ event: "request.verified", reference: request.reference, request }), now],
    );
  }

  /**
   * Deletes the e-mails queued before `cutoff`. A sent one is gone already, so these were never sent: the local outbox's
   * (no SMTP), those given up after failed attempts, and any left queued while no SMTP dispatcher ran. Each holds an
   * address, and a code or link in clear. Returns how many.
   */
  async deleteUnsentBefore(db: Queryable, cutoff: Date): Promise<number> {
    const rows = await db.query("DELETE FROM mail_outbox WHERE created_at <= $1 RETURNING id", [cutoff]);
    return rows.length;
  }

  /** Deletes every message still waiting for `references`, e-mail or webhook: they carry the requesters' identity. */
  async forget(tx: Queryable, references: string[]): Promise<void> {
    await tx.query("DELETE FROM mail_outbox WHERE reference = ANY($1)", [references]);
    await tx.query("DELETE FROM webhook_outbox WHERE reference = ANY($1)", [references]);
  }

  /** E-mails kept in the local outbox because no SMTP server is configured, newest first. */
  async localMessages(db: Queryable, limit = 200): Promise<OutboxMessage[]> {
    const rows = await db.query<{ id: number; to_address: string; subject: string; body: string; created_at: Date }>(
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
}

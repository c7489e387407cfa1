import { createHmac } from "node:crypto";
import type { Db } from "./db.js";
import { createOutboxLoop, type OutboxRow, retryDelay } from "./outbox.js";
import { errorMessage } from "./safe-log.js";

/** `X-Signature-256: sha256=<hex>` over the exact body bytes, as GitHub signs its webhooks. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface WebhookDispatcherOptions {
  db: Db;
  url: string;
  secret: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** First retry delay; each later one doubles, up to `retryMaxMs`, with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long a claimed delivery is held before another run (or instance, or the restarted server) may retry it. */
  leaseMs?: number;
  timeoutMs?: number;
}

/**
 * Delivers the helpdesk hand-off at least once: rows live in webhook_outbox until a 2xx, so a crash or
 * restart only delays them, and are deleted with it (the payload is a copy of the request). Receivers dedupe on
 * the X-Webhook-Delivery header.
 */
export function createWebhookDispatcher({
  db,
  url,
  secret,
  now = () => new Date(),
  log = () => {},
  retryBaseMs = 5_000,
  retryMaxMs = 3_600_000,
  leaseMs = 30_000,
  timeoutMs = 10_000,
}: WebhookDispatcherOptions) {
  const deliverDue = createOutboxLoop<Delivery>({
    db,
    table: "webhook_outbox",
    pending: "delivered_at IS NULL",
    order: "next_attempt_at, id",
    columns: "id, reference, event, payload",
    now,
    leaseMs,
    deliver: async (delivery) => {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-signature-256": signBody(secret, delivery.payload),
          "x-webhook-event": delivery.event,
          "x-webhook-delivery": String(delivery.id),
        },
        body: delivery.payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`receiver answered ${response.status}`);
    },
    delivered: async (delivery) => {
      await db.query("DELETE FROM webhook_outbox WHERE id = $1", [delivery.id]);
      log(`webhook: delivered ${delivery.event} ${delivery.reference} (attempt ${delivery.attempts})`);
    },
    // At least once: a delivery is never given up, only spaced out up to retryMaxMs.
    failed: async (delivery, error) => {
      const delay = retryDelay(delivery.attempts, { baseMs: retryBaseMs, maxMs: retryMaxMs, jitter: true });
      await db.query("UPDATE webhook_outbox SET next_attempt_at = $2, last_error = $3, attempts = attempts + 1 WHERE id = $1", [
        delivery.id,
        new Date(now().getTime() + delay),
        errorMessage(error).slice(0, 500),
      ]);
      log(
        `webhook: ${delivery.event} ${delivery.reference} attempt ${delivery.attempts} failed, retry in ${Math.round(delay / 1000)} s: ${errorMessage(error)}`,
      );
    },
  });
  /** Delivers what is due; once `stopping()` says so, the untried rest of the batch is released at once. */
  return { deliverDue };
}

interface Delivery extends OutboxRow {
  reference: string;
  event: string;
  payload: string;
}

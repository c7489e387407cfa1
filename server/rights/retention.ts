import { AppError } from "../errors.js";
import type { Db } from "./db.js";
import { addPeriod } from "./deadlines.js";
import type { Notifications } from "./notifications.js";
import * as repo from "./repository.js";
import type { RequestRecord } from "./repository.js";
import { OPEN_STATUSES } from "./status.js";

export interface RetentionOptions {
  /** Months a closed request keeps its requester's identity; 24 is the CCPA regulations' record-keeping period (§ 7101). */
  retentionMonths: number;
  /** Hours an e-mail not sent over SMTP (the local outbox, given up, or left queued) is kept before it is deleted. */
  mailOutboxHours: number;
}

/** What one sweep deleted and anonymised. */
export interface SweepResult {
  unsentMailDeleted: number;
  anonymised: string[];
}

/** Requests anonymised per transaction, so a large first sweep holds no lock for long. */
const BATCH = 200;

/**
 * The life of personal data after its use: e-mails that were never sent expire, and closed requests lose their
 * requester's identity once the retention period is over, or at once when staff erase it. A sent e-mail and a delivered
 * webhook are deleted by their dispatchers (./mail.ts, ./webhook.ts) at once.
 */
export class Retention {
  constructor(
    private readonly db: Db,
    private readonly notifications: Notifications,
    readonly options: RetentionOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Run at start-up and on the sweep's timer (./index.ts). */
  async sweep(): Promise<SweepResult> {
    const mailCutoff = new Date(this.now().getTime() - this.options.mailOutboxHours * 3_600_000);
    const unsentMailDeleted = await this.notifications.deleteUnsentBefore(this.db, mailCutoff);
    return { unsentMailDeleted, anonymised: await this.anonymiseExpired() };
  }

  /**
   * Anonymises every request closed at least `retentionMonths` ago, each with an audit line by "system"; the audit
   * trail stays, and names no requester. Returns their references.
   */
  async anonymiseExpired(): Promise<string[]> {
    const months = this.options.retentionMonths;
    const done: string[] = [];
    for (;;) {
      const now = this.now();
      const batch = await this.db.transaction(async (tx) => {
        const references = await repo.lockClosedBefore(tx, addPeriod(now, { months: -months }), BATCH);
        if (!references.length) return references;
        await repo.anonymise(tx, references, now);
        await this.notifications.forget(tx, references);
        await repo.insertAuditForEach(tx, references, {
          at: now,
          actor: "system",
          action: "anonymised",
          note: `retention over: closed ${months} months ago or more (RETENTION_MONTHS)`,
        });
        return references;
      });
      done.push(...batch);
      if (batch.length < BATCH) return done;
    }
  }

  /**
   * Staff erase a closed request's requester now, as the retention period would: audited with who and why, never whose.
   * 409 REQUEST_STILL_OPEN while it is open (closing it is a decision of its own, and may e-mail the requester); a request
   * already anonymised is answered as it is, with no second audit line.
   */
  async erase(reference: string, actor: string, reason: string): Promise<RequestRecord> {
    return this.db.transaction(async (tx) => {
      const locked = await repo.lockRequest(tx, reference);
      if (OPEN_STATUSES.includes(locked.status)) throw new AppError("REQUEST_STILL_OPEN", [locked.status.replace(/_/g, " ")]);
      if (!locked.anonymisedAt) {
        const now = this.now();
        await repo.anonymise(tx, [reference], now);
        await this.notifications.forget(tx, [reference]);
        await repo.insertAudit(tx, { reference, at: now, actor, action: "erased", from: null, to: null, note: reason });
      }
      return repo.getRequest(tx, reference);
    });
  }
}

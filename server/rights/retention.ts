import type { Db } from "./db.js";
import type { Notifications } from "./notifications.js";

export interface RetentionOptions {
  /** Hours an e-mail not sent over SMTP (the local outbox, or one given up) is kept before it is deleted. */
  mailOutboxHours: number;
}

/** What the sweep deleted or anonymised in one run. */
export interface SweepResult {
  unsentMailDeleted: number;
}

/**
 * The life of personal data after its use: e-mails that were never sent expire. A sent e-mail and a delivered webhook
 * are deleted by their dispatchers (./mail.ts, ./webhook.ts) at once.
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
    return { unsentMailDeleted: await this.notifications.deleteUnsentBefore(this.db, mailCutoff) };
  }
}

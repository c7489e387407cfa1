import path from "node:path";
import type { Env } from "../env.js";
import { migrate, openPglite, openPostgres, type Db } from "./db.js";
import { createMailDispatcher, type MailDispatcherOptions } from "./mail.js";
import { createPump } from "./pump.js";
import { MemoryRateLimiter, PostgresRateLimiter, type RateLimit, type RateLimiter } from "../rate-limit.js";
import { errorMessage, safeLogger } from "./safe-log.js";
import { InsightsStore } from "./insights.js";
import { FeedbackStore } from "./feedback.js";
import { Retention } from "./retention.js";
import { resolveSecretKey, SecretHasher } from "./secret.js";
import { RightsService, type RightsOptions } from "./service.js";
import { createWebhookDispatcher, type WebhookDispatcherOptions } from "./webhook.js";

export { DEADLINES, dueDate, extendedDueDate, jurisdictionOf, type Jurisdiction } from "./deadlines.js";
export { migrate, openPglite, openPostgres, type Db } from "./db.js";
export { newReference, normalizeReference, REFERENCE_PATTERN } from "./reference.js";
export { Retention, type RetentionOptions } from "./retention.js";
export { resolveSecretKey, SecretHasher } from "./secret.js";
export { redactEmails } from "./safe-log.js";
export { RightsService, safeForLog, SOURCES, type RequestView, type RightsOptions } from "./service.js";
export { allowedTransitions, STATUSES, TRANSITIONS, type Status } from "./status.js";
export { signBody } from "./webhook.js";

/** Per-client limits on the public routes; a flood gets 429 with Retry-After. */
export interface IntakeLimits {
  createPerAddress: RateLimit;
  createPerEmail: RateLimit;
  /** verify + resend per address, so one client cannot spray codes across many references. */
  codePerAddress: RateLimit;
  feedbackPerAddress: RateLimit;
}

export const DEFAULT_LIMITS: IntakeLimits = {
  createPerAddress: { limit: 20, windowMs: 3_600_000 },
  createPerEmail: { limit: 5, windowMs: 3_600_000 },
  codePerAddress: { limit: 60, windowMs: 600_000 },
  feedbackPerAddress: { limit: 120, windowMs: 3_600_000 },
};

/** What createApp needs for the rights routes (AppDeps.rights). */
export interface RightsApi {
  service: RightsService;
  /** Answer feedback, kept apart from requests. */
  feedback: FeedbackStore;
  /** Expiry, anonymisation and erasure of requesters' data (server/rights/retention.ts). */
  retention: Retention;
  /** What visitors asked and how it went, per site and week (server/rights/insights.ts). */
  insights: InsightsStore;
  /** Every per-client budget (intake, questions, search): in PostgreSQL when DATABASE_URL, so instances share them. */
  limiter: RateLimiter;
  limits: IntakeLimits;
  log: (line: string) => void;
}

export interface OpenRightsOptions extends RightsOptions {
  now?: () => Date;
  limits?: Partial<IntakeLimits>;
  webhook?: Partial<Pick<WebhookDispatcherOptions, "retryBaseMs" | "retryMaxMs" | "leaseMs">>;
  mail?: Partial<Pick<MailDispatcherOptions, "retryBaseMs" | "leaseMs">>;
  /** How often the dispatchers look for due work, and the sweep closes stale requests and deletes expired data. */
  pollMs?: number;
  sweepMs?: number;
}

export interface OpenedRights extends RightsApi {
  db: Db;
  /** Runs the dispatchers once now and waits for them (tests and shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * env -> database (migrated) -> service, e-mail and webhook dispatchers, sweep (unverified requests, expired data).
 * Bad configuration throws here, at start-up.
 */
export async function openRights(env: Env, log: (line: string) => void, options: OpenRightsOptions = {}): Promise<OpenedRights> {
  const safeLog = safeLogger(log);
  if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET) throw new Error("Bad configuration:\n  WEBHOOK_SECRET: required when WEBHOOK_URL is set");
  const {
    now = () => new Date(),
    pollMs = 5_000,
    sweepMs = 3_600_000,
    limits,
    webhook: webhookOptions,
    mail: mailOptions,
    ...serviceOptions
  } = options;

  const db = env.DATABASE_URL
    ? await openPostgres(env.DATABASE_URL, { connectMs: env.DATABASE_CONNECT_TIMEOUT_MS, statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS })
    : await openPglite(path.join(env.DATA_DIR, "rights-db"));
  const applied = await migrate(db);
  safeLog(
    `rights: ${db.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded database in ${path.join(env.DATA_DIR, "rights-db")}`}` +
      (applied ? `, ${applied} migration(s) applied` : ""),
  );

  const secretKey = await resolveSecretKey(env);
  safeLog(`rights: codes and links are keyed by the secret from ${secretKey.source}`);
  if (db.kind === "postgres" && env.SECRET_KEY === undefined) {
    safeLog("warn: rights: with DATABASE_URL, set one SECRET_KEY for every instance, or a code mailed by one fails on another");
  }
  const mailer = env.SMTP_URL
    ? createMailDispatcher({ db, smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, now, log: safeLog, ...mailOptions })
    : null;
  safeLog(
    mailer
      ? "rights: e-mail goes out over SMTP (SMTP_URL)"
      : "rights: SMTP_URL is not set; e-mails are kept in the local outbox (GET /api/staff/outbox)",
  );
  const webhook =
    env.WEBHOOK_URL && env.WEBHOOK_SECRET
      ? createWebhookDispatcher({ db, url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET, now, log: safeLog, ...webhookOptions })
      : null;
  safeLog(
    webhook
      ? "rights: verified requests are delivered to WEBHOOK_URL"
      : "rights: WEBHOOK_URL is not set; verified requests are worked in the staff console only (no copy is kept for a helpdesk)",
  );
  if (!webhook) {
    // Copies an earlier version kept without a webhook, or queued while one was set: not deleted, since setting it again delivers them.
    const [waiting] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_outbox");
    if (waiting?.n)
      safeLog(
        `warn: rights: ${waiting.n} verified request(s) wait in webhook_outbox; set WEBHOOK_URL to deliver them, or they are deleted when their requests are anonymised`,
      );
  }

  const report = (what: string) => (error: unknown) => safeLog(`rights: ${what} failed: ${errorMessage(error)}`);
  const mailPump = mailer ? createPump((stopping) => mailer.deliverDue(stopping), pollMs, report("e-mail delivery")) : null;
  const webhookPump = webhook ? createPump((stopping) => webhook.deliverDue(stopping), pollMs, report("webhook delivery")) : null;
  const service = new RightsService(
    db,
    new SecretHasher(secretKey.key, env.SECRET_KEY_PREVIOUS),
    {
      publicUrl: env.PUBLIC_URL ?? `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`,
      defaultDueDays: env.DEFAULT_DUE_DAYS,
      unverifiedCloseDays: env.UNVERIFIED_CLOSE_DAYS,
      mailDelivery: mailer ? "smtp" : "local",
      helpdeskWebhook: webhook !== null,
      mailLanguage: env.MAIL_LANGUAGE,
      ...serviceOptions,
    },
    now,
    () => {
      mailPump?.kick();
      webhookPump?.kick();
    },
  );
  const retention = new Retention(
    db,
    service.notifications,
    { retentionMonths: env.RETENTION_MONTHS, mailOutboxHours: env.MAIL_OUTBOX_HOURS },
    now,
  );
  const limiter = db.kind === "postgres" ? new PostgresRateLimiter(db, now) : new MemoryRateLimiter(now);
  const sweep = async () => {
    const closed = await service.closeUnverified();
    if (closed.length)
      safeLog(`rights: closed ${closed.length} request(s) left unverified for ${service.options.unverifiedCloseDays} days`);
    const { unsentMailDeleted, anonymised } = await retention.sweep();
    if (unsentMailDeleted)
      safeLog(`rights: deleted ${unsentMailDeleted} e-mail(s) left unsent for ${retention.options.mailOutboxHours} hours`);
    if (anonymised.length)
      safeLog(`rights: anonymised ${anonymised.length} request(s) closed ${retention.options.retentionMonths} months ago`);
    if (limiter instanceof PostgresRateLimiter) await limiter.prune();
  };
  const sweepPump = createPump(sweep, sweepMs, report("sweep"));
  await sweepPump.runNow();
  mailPump?.kick();
  webhookPump?.kick();

  const flush = async () => {
    for (const pump of [mailPump, webhookPump]) await pump?.runNow();
  };
  const insights = new InsightsStore(db, { keepQuestions: env.INSIGHTS_KEEP_QUESTIONS, keepDays: env.INSIGHTS_QUESTION_DAYS }, now);
  return {
    service,
    retention,
    feedback: new FeedbackStore(db, now),
    insights,
    db,
    limiter,
    limits: { ...DEFAULT_LIMITS, ...limits },
    log: safeLog,
    flush,
    async close() {
      await Promise.all([mailPump?.stop(), webhookPump?.stop(), sweepPump.stop()]);
      // Questions counted in the last second; a failed write was logged where it was recorded.
      await insights.flush().catch(() => {});
      mailer?.close();
      await db.close();
    },
  };
}

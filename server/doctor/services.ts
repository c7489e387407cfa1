import { existsSync } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import pg from "pg";
import type { Env } from "../env.js";
import { folderHolder, MIGRATIONS, openPglite } from "../rights/db.js";
import { redactEmails } from "../rights/safe-log.js";
import { type CheckResult, errorText, fail, ok, warn } from "./types.js";

export interface NetworkCheckOptions {
  /** How long a connection may take before the check gives up. */
  timeoutMs?: number;
}

/** host:port/path of a URL, never its user name or password. */
function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
}

/** The cause a failed fetch or socket hides behind "fetch failed". */
function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return redactEmails(cause?.code ?? cause?.message ?? errorText(error));
}

function migrationVerdict(kind: string, version: number): CheckResult {
  const known = MIGRATIONS.length;
  if (version > known) {
    return fail("database", `${kind} is at migration ${version}, newer than this code knows (${known}): run the newer server version`);
  }
  if (version < known) return warn("database", `${kind} reachable, at migration ${version} of ${known}: the next start applies the rest`);
  return ok("database", `${kind} reachable and migrated (${known} of ${known})`);
}

/** DATABASE_URL reachable and migrated; or the embedded database's folder usable. Never migrates anything itself. */
export async function checkDatabase(env: Env, { timeoutMs = 5_000 }: NetworkCheckOptions = {}): Promise<CheckResult> {
  if (env.DATABASE_URL) {
    const kind = `PostgreSQL at ${where(env.DATABASE_URL)}`;
    const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (error) {
      return fail("database", `cannot reach ${kind}: ${reason(error)}; check host, port, user, password and database name in DATABASE_URL`);
    }
    try {
      const [table] = (await client.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")).rows;
      if (!table?.present) return warn("database", `${kind} reachable, not migrated yet: the first start creates the tables`);
      const [row] = (await client.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations")).rows;
      return migrationVerdict(kind, row?.version ?? 0);
    } catch (error) {
      return fail("database", `${kind} reachable, but reading its schema failed: ${reason(error)}`);
    } finally {
      await client.end().catch(() => {});
    }
  }

  const dir = path.join(env.DATA_DIR, "rights-db");
  const kind = `embedded database (PGlite) in ${dir}`;
  if (!existsSync(dir)) {
    let parent = env.DATA_DIR;
    while (!existsSync(parent)) parent = path.dirname(parent);
    const writable = await access(parent, 2).then(
      () => true,
      () => false,
    );
    return writable
      ? ok("database", `${kind}: created and migrated at the first start`)
      : fail("database", `${parent} is not writable, so ${kind} cannot be created: set DATA_DIR to a writable folder`);
  }
  const holder = await folderHolder(dir);
  if (holder) return ok("database", `${kind}, open in a running server (process ${holder}); not opened here`);
  try {
    const db = await openPglite(dir);
    try {
      const [table] = await db.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
      if (!table?.present) return warn("database", `${kind}, not migrated yet: the next start creates the tables`);
      const [row] = await db.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations");
      return migrationVerdict(kind, row?.version ?? 0);
    } finally {
      await db.close();
    }
  } catch (error) {
    return fail("database", `${kind} cannot be opened: ${reason(error)}; move the folder aside to start afresh, or set DATA_DIR`);
  }
}

/** SMTP_URL answers and accepts its credentials (nodemailer's verify: connect, EHLO, STARTTLS, AUTH; no mail). */
export async function checkSmtp(env: Env, { timeoutMs = 5_000 }: NetworkCheckOptions = {}): Promise<CheckResult> {
  if (!env.SMTP_URL) {
    return warn(
      "smtp",
      `SMTP_URL not set: verification e-mails stay in the local outbox (GET /api/staff/outbox) for MAIL_OUTBOX_HOURS (${env.MAIL_OUTBOX_HOURS} h), requesters get no code; set SMTP_URL=smtp://user:pass@host:587`,
    );
  }
  const transport = nodemailer.createTransport({
    url: env.SMTP_URL,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  try {
    await transport.verify();
    return ok(
      "smtp",
      `SMTP server at ${where(env.SMTP_URL)} accepts the connection${new URL(env.SMTP_URL).username ? " and the credentials" : ""}`,
    );
  } catch (error) {
    return fail(
      "smtp",
      `SMTP server at ${where(env.SMTP_URL)}: ${redactEmails(errorText(error))}; check host, port and credentials in SMTP_URL`,
    );
  } finally {
    transport.close();
  }
}

/** WEBHOOK_URL reachable: one HEAD request, no payload, nothing delivered. */
export async function checkWebhook(env: Env, { timeoutMs = 5_000 }: NetworkCheckOptions = {}): Promise<CheckResult> {
  if (!env.WEBHOOK_URL)
    return ok("webhook", "WEBHOOK_URL not set: verified requests are worked in the staff console only, and no copy is kept for a helpdesk");
  if (!env.WEBHOOK_SECRET) return fail("webhook", "WEBHOOK_SECRET is required when WEBHOOK_URL is set (start-up stops without it)");
  const target = where(env.WEBHOOK_URL);
  let status: number;
  try {
    const response = await fetch(env.WEBHOOK_URL, { method: "HEAD", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
  } catch (error) {
    return fail("webhook", `WEBHOOK_URL ${target} is unreachable: ${reason(error)}; check the address and that this server may reach it`);
  }
  if (status === 404) return warn("webhook", `WEBHOOK_URL ${target} answered 404 to HEAD: check the path`);
  if (status >= 500)
    return warn("webhook", `WEBHOOK_URL ${target} answered ${status} to HEAD: deliveries are retried, but check the helpdesk`);
  return ok("webhook", `WEBHOOK_URL ${target} reachable (HEAD answered ${status})`);
}

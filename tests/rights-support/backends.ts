import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate, openPglite, openPostgres, type Db } from "../../server/rights/db.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "./postgres.js";

/** One storage backend the same suite runs against: `fresh()` gives an empty, migrated database. */
export interface Backend {
  name: "pglite" | "postgres";
  available: boolean;
  setup(): Promise<void>;
  fresh(): Promise<Db>;
  teardown(): Promise<void>;
}

const TABLES =
  "requests, request_audit, request_notes, verification_links, mail_outbox, webhook_outbox, feedback, question_events, rate_limits";

/** Empties every table, so each test starts from nothing without paying for a new database. */
async function emptied(db: Db): Promise<Db> {
  await db.query(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);
  return db;
}

export function pgliteBackend(): Backend {
  let dir: string | undefined;
  let db: Db | undefined;
  return {
    name: "pglite",
    available: true,
    async setup() {
      dir = mkdtempSync(path.join(os.tmpdir(), "rights-pglite-"));
      db = await openPglite(dir);
      await migrate(db);
    },
    fresh: () => emptied(db!),
    async teardown() {
      await db?.close().catch(() => {});
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): Backend {
  let server: TestPostgres | undefined;
  let db: Db | undefined;
  return {
    name: "postgres",
    available: postgresBinDir() !== null,
    async setup() {
      server = await startPostgres();
      db = await openPostgres(server.url);
      await migrate(db);
    },
    fresh: () => emptied(db!),
    async teardown() {
      await db?.close().catch(() => {});
      server?.stop();
    },
  };
}

export const NO_POSTGRES_MESSAGE =
  "PostgreSQL binaries are absent (no /usr/lib/postgresql/*/bin/initdb): the PostgreSQL storage run is SKIPPED; `apt-get install postgresql` (as .ci/run does) to run it";

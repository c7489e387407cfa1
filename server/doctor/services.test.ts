import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, postgresBinDir, startPostgres, type TestPostgres } from "../../tests/rights-support/postgres.js";
import { startSmtp } from "../../tests/rights-support/smtp.js";
import { readEnv } from "../env.js";
import { MIGRATIONS, migrate, openPglite, openPostgres } from "../rights/db.js";
import { checkDatabase, checkSmtp, checkWebhook } from "./services.js";

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "doctor-services-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const envWith = (overrides: Record<string, string> = {}) => readEnv({ DATA_DIR: dataDir, ...overrides });
const quick = { timeoutMs: 3_000 };

describe.skipIf(!postgresBinDir())("doctor: PostgreSQL (a real server)", () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(() => postgres?.stop());

  it("warns before the first migration, is ok once migrated, and fails on a schema newer than the code", async () => {
    const env = envWith({ DATABASE_URL: postgres.url });
    expect(await checkDatabase(env, quick)).toMatchObject({ status: "warn", message: expect.stringContaining("not migrated yet") });
    const db = await openPostgres(postgres.url);
    try {
      await migrate(db);
      const healthy = await checkDatabase(env, quick);
      expect(healthy).toMatchObject({
        status: "ok",
        message: expect.stringContaining(`migrated (${MIGRATIONS.length} of ${MIGRATIONS.length})`),
      });
      expect(healthy.message).not.toContain("postgres@");
      await db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [MIGRATIONS.length + 1]);
      expect(await checkDatabase(env, quick)).toMatchObject({ status: "fail", message: expect.stringContaining("newer than this code") });
    } finally {
      await db.close();
    }
  });

  it("fails on a database that does not exist on a reachable server", async () => {
    const result = await checkDatabase(envWith({ DATABASE_URL: postgres.url.replace(/\/postgres$/, "/no_such_db") }), quick);
    expect(result).toMatchObject({ status: "fail", message: expect.stringContaining("no_such_db") });
  });
});

describe("doctor: database", () => {
  it("fails on a DATABASE_URL nobody answers, without printing its password", async () => {
    const port = await freePort();
    const result = await checkDatabase(envWith({ DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${port}/privacy` }), quick);
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(new RegExp(`^cannot reach PostgreSQL at 127.0.0.1:${port}/privacy: .*ECONNREFUSED`));
    expect(result.message).not.toContain("s3cret");
  });

  it("checks the embedded database: to be created, then opened and migrated", async () => {
    const env = envWith();
    expect(await checkDatabase(env)).toMatchObject({
      status: "ok",
      message: expect.stringContaining("created and migrated at the first start"),
    });
    const db = await openPglite(path.join(dataDir, "rights-db"));
    await migrate(db);
    expect(await checkDatabase(env)).toMatchObject({
      status: "ok",
      message: expect.stringContaining(`open in a running server (process ${process.pid})`),
    });
    await db.close();
    expect(await checkDatabase(env)).toMatchObject({ status: "ok", message: expect.stringContaining("reachable and migrated") });
  }, 180_000);
});

describe("doctor: SMTP (a real server)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let locked: SMTPServer;
  let lockedPort: number;
  beforeAll(async () => {
    smtp = await startSmtp();
    locked = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.username === "mailer" && auth.password === "right"
          ? callback(null, { user: "mailer" })
          : callback(new Error("Invalid username or password")),
    });
    lockedPort = await new Promise<number>((resolve) =>
      locked.listen(0, "127.0.0.1", () => resolve((locked.server.address() as AddressInfo).port)),
    );
  });
  afterAll(async () => {
    await smtp?.close();
    await new Promise<void>((resolve) => locked.close(() => resolve()));
  });

  it("warns when SMTP_URL is unset: requesters would get no code", async () => {
    expect(await checkSmtp(envWith())).toMatchObject({ status: "warn", message: expect.stringContaining("local outbox") });
  });

  it("is ok when the server accepts the connection and the credentials, and sends nothing", async () => {
    expect(await checkSmtp(envWith({ SMTP_URL: smtp.url }), quick)).toMatchObject({ status: "ok" });
    expect(await checkSmtp(envWith({ SMTP_URL: `smtp://mailer:right@127.0.0.1:${lockedPort}` }), quick)).toMatchObject({
      status: "ok",
      message: expect.stringContaining("and the credentials"),
    });
    expect(smtp.messages).toEqual([]);
  });

  it("fails on wrong credentials and on a closed port, without printing the password", async () => {
    const refused = await checkSmtp(envWith({ SMTP_URL: `smtp://mailer:wrong@127.0.0.1:${lockedPort}` }), quick);
    expect(refused).toMatchObject({ status: "fail", message: expect.stringContaining("Invalid") });
    expect(refused.message).not.toContain("wrong");
    const port = await freePort();
    const closed = await checkSmtp(envWith({ SMTP_URL: `smtp://127.0.0.1:${port}` }), quick);
    expect(closed).toMatchObject({ status: "fail", message: expect.stringContaining(`127.0.0.1:${port}`) });
  });
});

describe("doctor: webhook", () => {
  let helpdesk: Server;
  let url: string;
  const seen: Array<{ method: string | undefined; bytes: number; signature: string | undefined }> = [];
  beforeAll(async () => {
    helpdesk = createServer((request: IncomingMessage, response) => {
      let bytes = 0;
      request.on("data", (chunk: Buffer) => (bytes += chunk.length));
      request.on("end", () => {
        seen.push({ method: request.method, bytes, signature: request.headers["x-signature-256"] as string | undefined });
        response.writeHead(request.url === "/hooks/privacy" ? 405 : 404).end();
      });
    });
    await new Promise<void>((resolve) => helpdesk.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(helpdesk.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => helpdesk.close(() => resolve())));

  it("is ok unset, and when the helpdesk answers one HEAD request with no payload", async () => {
    expect((await checkWebhook(envWith())).status).toBe("ok");
    const result = await checkWebhook(envWith({ WEBHOOK_URL: `${url}/hooks/privacy`, WEBHOOK_SECRET: "s" }), quick);
    expect(result).toMatchObject({ status: "ok", message: expect.stringContaining("HEAD answered 405") });
    expect(seen).toEqual([{ method: "HEAD", bytes: 0, signature: undefined }]);
  });

  it("warns on a wrong path, fails without a secret and on an unreachable address", async () => {
    expect(await checkWebhook(envWith({ WEBHOOK_URL: `${url}/nope`, WEBHOOK_SECRET: "s" }), quick)).toMatchObject({
      status: "warn",
      message: expect.stringContaining("404"),
    });
    expect(await checkWebhook(envWith({ WEBHOOK_URL: `${url}/hooks/privacy` }), quick)).toMatchObject({
      status: "fail",
      message: expect.stringContaining("WEBHOOK_SECRET is required"),
    });
    const port = await freePort();
    expect(await checkWebhook(envWith({ WEBHOOK_URL: `http://127.0.0.1:${port}/hook`, WEBHOOK_SECRET: "s" }), quick)).toMatchObject({
      status: "fail",
      message: expect.stringContaining("unreachable: ECONNREFUSED"),
    });
  });
});

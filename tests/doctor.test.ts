import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../server/knowledge/embed/index.js";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./support/fixture-model.js";
import { ingest } from "../server/knowledge/ingest.js";
import { migrate, openPostgres } from "../server/rights/db.js";
import { freePort, postgresBinDir, startPostgres, type TestPostgres } from "./rights-support/postgres.js";
import { startSmtp } from "./rights-support/smtp.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** `npm run doctor` as a new process with exactly the given environment: its lines and exit code. */
function doctor(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/doctor.ts"],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, timeout: 200_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, lines: stdout.split("\n").filter(Boolean) }),
    );
  });
}

const POLICY = `---
title: "Acme Privacy Policy"
organization: "Acme Ltd."
url: "https://acme.example/privacy"
contact: "privacy@acme.example"
---

# Acme Privacy Policy

## Retention

We keep chat transcripts for thirty days and then delete them.
`;

describe("npm run doctor on a whole set-up", () => {
  let root: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let helpdesk: Server;
  let postgres: TestPostgres | undefined;
  let healthy: Record<string, string>;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "doctor-flow-"));
    const corpusDir = path.join(root, "corpus");
    await mkdir(path.join(corpusDir, "acme"), { recursive: true });
    await writeFile(path.join(corpusDir, "acme", "privacy.md"), POLICY);
    const embedder = await createEmbedder({
      kind: "transformers",
      model: FIXTURE_MODEL,
      modelsDir: FIXTURE_MODELS_DIR,
      allowRemote: false,
      cacheDir: path.join(root, "cache"),
      log: () => {},
    });
    await ingest({ corpusDir, indexDir: path.join(root, "index"), embedder });

    smtp = await startSmtp();
    helpdesk = createServer((_request, response) => response.writeHead(204).end());
    await new Promise<void>((resolve) => helpdesk.listen(0, "127.0.0.1", resolve));
    if (postgresBinDir()) {
      postgres = await startPostgres();
      const db = await openPostgres(postgres.url);
      await migrate(db);
      await db.close();
    } else {
      console.warn("doctor flow: no PostgreSQL binaries (apt-get install postgresql); the embedded database is checked instead");
    }
    healthy = {
      PORT: String(await freePort()),
      CORPUS_DIR: corpusDir,
      INDEX_DIR: path.join(root, "index"),
      DATA_DIR: path.join(root, "data"),
      EMBEDDER: "transformers",
      MODELS_DIR: FIXTURE_MODELS_DIR,
      EMBEDDING_MODEL: FIXTURE_MODEL,
      ALLOW_REMOTE_MODELS: "false",
      STAFF_TOKEN: "doctor-flow-token-0123456789",
      ALLOWED_ORIGINS: "https://acme.example",
      SMTP_URL: smtp.url,
      WEBHOOK_URL: `http://127.0.0.1:${(helpdesk.address() as AddressInfo).port}/hooks/privacy`,
      WEBHOOK_SECRET: "webhook-secret",
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    };
  }, 240_000);
  afterAll(async () => {
    postgres?.stop();
    await smtp?.close();
    await new Promise<void>((resolve) => (helpdesk ? helpdesk.close(() => resolve()) : resolve()));
    await rm(root, { recursive: true, force: true });
  });

  it("prints one ok line per check and exits 0 on a healthy set-up", async () => {
    const { code, lines } = await doctor(healthy);
    const checks = lines.filter((line) => /^(ok|warn|fail) /.test(line));
    expect(checks.map((line) => line.split(/\s+/)[1])).toEqual([
      "env",
      "port",
      "staff",
      "embedder",
      "model",
      "corpus",
      "index",
      "origins",
      "database",
      "smtp",
      "webhook",
    ]);
    expect(
      checks.filter((line) => !line.startsWith("ok ")),
      lines.join("\n"),
    ).toEqual([]);
    expect(code).toBe(0);
    expect(smtp.messages).toEqual([]);
  }, 240_000);

  it("names each problem in one line and exits 1", async () => {
    const { code, lines } = await doctor({
      ...healthy,
      ALLOWED_ORIGINS: "https://acme.example/",
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
      WEBHOOK_URL: `http://127.0.0.1:${await freePort()}/hook`,
      DATABASE_URL: `postgres://app:pw@127.0.0.1:${await freePort()}/privacy`,
      EMBEDDING_MODEL: "fixture/missing-model",
    });
    expect(code).toBe(1);
    const failed = lines.filter((line) => line.startsWith("fail")).map((line) => line.split(/\s+/)[1]);
    expect(failed).toEqual(["embedder", "model", "origins", "database", "smtp", "webhook"]);
    expect(lines.at(-1)).toBe("6 check(s) failed, 0 warning(s).");

    const badEnv = await doctor({ ...healthy, PORT: "eighty" });
    expect(badEnv.code).toBe(1);
    expect(badEnv.lines[0]).toMatch(/^fail {2}env {7}PORT: /);
  }, 240_000);
});

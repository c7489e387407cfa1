import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../server/main.js";
import { memoryLogger } from "./rights-support/logs.js";
import { postgresBinDir, startPostgres, type TestPostgres } from "./rights-support/postgres.js";
import { NO_POSTGRES_MESSAGE } from "./rights-support/backends.js";

const root = path.resolve(import.meta.dirname, "..");
const STAFF_TOKEN = "multi-instance-staff-token-01";
const hasPostgres = postgresBinDir() !== null;
if (!hasPostgres) console.warn(NO_POSTGRES_MESSAGE);

let postgres: TestPostgres;
let dir: string;
let corpus: string;
const servers: RunningServer[] = [];

beforeAll(async () => {
  if (!hasPostgres) return;
  postgres = await startPostgres();
  dir = await mkdtemp(path.join(os.tmpdir(), "multi-instance-"));
  corpus = path.join(dir, "corpus");
  await cp(path.join(root, "tests/fixtures/tiny-corpus"), corpus, { recursive: true });
  // What the README documents: one database, one corpus both can read, an index and data folder per instance.
  for (const name of ["a", "b"]) {
    servers.push(
      await startServer({
        env: {
          PORT: "0",
          HOST: "127.0.0.1",
          DATABASE_URL: postgres.url,
          CORPUS_DIR: corpus,
          INDEX_DIR: path.join(dir, name, "index"),
          DATA_DIR: path.join(dir, name),
          EMBEDDER: "use-lite",
          STAFF_TOKEN,
        },
        logger: memoryLogger().logger,
      }),
    );
  }
}, 180_000);
afterAll(async () => {
  for (const server of servers) await server.close();
  postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasPostgres)("several instances on PostgreSQL", () => {
  it("each re-indexes itself from the shared corpus: a new site shows on both within 30 s", async () => {
    await mkdir(path.join(corpus, "initech"));
    await writeFile(
      path.join(corpus, "initech", "privacy.md"),
      '---\ntitle: "Initech Privacy"\norganization: "Initech"\nurl: "https://initech.example/privacy"\n---\n\n# Privacy\n\n## Retention\n\nInitech keeps TPS reports for two years.\n',
    );
    const began = Date.now();
    for (const server of servers) {
      for (;;) {
        const { sites } = (await (await fetch(`${server.url}/api/sites`)).json()) as { sites: Array<{ site: string }> };
        if (sites.some((s) => s.site === "initech")) break;
        expect(Date.now() - began).toBeLessThan(30_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    // And they share the requests: one taken by A is in B's staff queue.
    const created = await fetch(`${servers[0]!.url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "multi-1" },
      body: JSON.stringify({ site: "initech", right: "access", email: "peter@example.test", country: "US", source: "form" }),
    });
    expect(created.status).toBe(201);
    const { reference } = (await created.json()) as { reference: string };
    const queue = (await (
      await fetch(`${servers[1]!.url}/api/staff/requests`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })
    ).json()) as { requests: Array<{ reference: string }> };
    expect(queue.requests.map((r) => r.reference)).toContain(reference);
  }, 60_000);
});

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
          ASK_RATE_LIMIT: "6",
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

  it("spend one budget: a client's questions and new requests count on every instance (rate_limits in PostgreSQL)", async () => {
    const ask = (server: RunningServer) =>
      fetch(`${server.url}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ site: "acme", question: "How long do you keep my data?" }),
      });
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) for (const server of servers) statuses.push((await ask(server)).status);
    // ASK_RATE_LIMIT=6 per minute for this client, whichever instance answers: 6 answers, then 429 on both.
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429]);

    // Five new requests an hour per e-mail address, across instances.
    const create = (server: RunningServer, n: number) =>
      fetch(`${server.url}/api/requests`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `budget-${n}` },
        body: JSON.stringify({ site: "acme", right: "erasure", email: "budget@example.test", country: "DE", source: "form" }),
      });
    const created: number[] = [];
    for (let n = 0; n < 8; n++) created.push((await create(servers[n % 2]!, n)).status);
    expect(created).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
  }, 60_000);
});

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.js";
import type { Coverage } from "../server/contract/schemas.js";
import { UseLiteEmbedder } from "../server/knowledge/embed/use-lite.js";
import { ingest, openKnowledge } from "../server/knowledge/index.js";
import { loadLanguageModel } from "../server/language/index.js";

const TOKEN = "coverage-test-token-0123456789";
const root = path.resolve(import.meta.dirname, "..");

/** The real corpus, the packaged encoder and the committed language model: what a company's staff would see. */
describe("GET /api/staff/coverage (policy coverage for staff)", () => {
  let dir: string;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "coverage-"));
    const embedder = await UseLiteEmbedder.load();
    const indexDir = path.join(dir, "index");
    await ingest({ corpusDir: path.join(root, "corpus"), indexDir, embedder });
    const language = await loadLanguageModel({ embedder, dataDir: dir });
    app = createApp({ knowledge: await openKnowledge({ indexDir, embedder, language }), staffToken: TOKEN, log: () => {} });
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const coverage = async (site: string) => {
    const response = await app.request(`/api/staff/coverage?site=${site}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, body: (await response.json()) as Coverage };
  };

  it("lists every privacy topic with the passages carrying it, and the ones the policy does not address", async () => {
    const { status, body } = await coverage("altoros");
    expect(status).toBe(200);
    expect(body.available).toBe(true);
    const byId = new Map(body.topics.map((topic) => [topic.id, topic]));
    expect(byId.size).toBeGreaterThan(40);
    expect(byId.has("not_privacy")).toBe(false);
    // Altoros's policy has a whole section on retention periods and one on cookies.
    expect(byId.get("retention")?.passages).toBeGreaterThan(0);
    expect(byId.get("cookies_tracking")?.passages).toBeGreaterThan(0);
    expect(body.missing).toEqual(body.topics.filter((topic) => topic.passages === 0).map((topic) => topic.id));
    expect(body.missing.length).toBeGreaterThan(0);
    for (const passage of body.untagged) expect(passage.url).toMatch(/^https:\/\/www\.altoros\.com\//);
  });

  it("answers 404 UNKNOWN_SITE for a site it does not know, and 401 without the staff token", async () => {
    const unknown = await coverage("nowhere");
    expect(unknown.status).toBe(404);
    expect((await app.request("/api/staff/coverage?site=altoros")).status).toBe(401);
  });
});

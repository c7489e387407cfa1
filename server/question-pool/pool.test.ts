import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../assistant.js";
import { TransformersEmbedder } from "../knowledge/embed/transformers.js";
import { ingest, openKnowledge } from "../knowledge/index.js";
import type { Knowledge } from "../knowledge/types.js";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "../../tests/support/fixture-model.js";
import { QuestionPool } from "./pool.js";

const TINY_CORPUS = fileURLToPath(new URL("../../tests/fixtures/tiny-corpus/", import.meta.url));
const QUESTIONS = [
  "How long do you keep my chat messages?",
  "Do you sell my personal data?",
  "Can I block cookies?",
  "Delete my account and all my data",
  "Do you accept bitcoin?",
];

/** Real worker threads (loaded through the .mjs entry, as the server loads them) on the project-made model. */
describe("QuestionPool", () => {
  let work: string;
  let corpusDir: string;
  let pool: QuestionPool;
  let local: TransformersEmbedder;
  let knowledge: Knowledge;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "question-pool-"));
    corpusDir = path.join(work, "corpus");
    await cp(TINY_CORPUS, corpusDir, { recursive: true });
    const embedderOptions = { kind: "transformers" as const, model: FIXTURE_MODEL, modelsDir: FIXTURE_MODELS_DIR, allowRemote: false };
    pool = await QuestionPool.start({
      embedder: { ...embedderOptions, cacheDir: path.join(work, "cache") },
      questionCacheSize: 100,
      threads: 2,
    });
    local = await TransformersEmbedder.load({ ...embedderOptions, cacheDir: path.join(work, "cache") });
    await ingest({ corpusDir, indexDir: path.join(work, "index"), embedder: pool.embedder });
    knowledge = await openKnowledge({ indexDir: path.join(work, "index"), embedder: local });
  }, 60_000);
  afterAll(async () => {
    await pool?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("names the embedder its workers loaded, and embeds passages as the same model does in-process", async () => {
    expect(pool.embedder.info).toEqual(local.info);
    expect(pool.startLines).toEqual([`embedder: using ${local.info.id} (32 dims)`]);
    const texts = Array.from({ length: 70 }, (_, i) => `${QUESTIONS[i % QUESTIONS.length]} (${i})`);
    const [pooled, inProcess] = await Promise.all([pool.embedder.embedPassages(texts), local.embedPassages(texts)]);
    expect(pooled).toHaveLength(70);
    for (const [i, vector] of pooled.entries()) for (const [j, value] of vector.entries()) expect(value).toBeCloseTo(inProcess[i]![j]!, 6);
  });

  it("answers and searches as the assistant does in-process, many questions at once", async () => {
    const current = () => ({ snapshot: knowledge.snapshot?.() });
    const assistant = createAssistant(knowledge);
    const asked = [...QUESTIONS, ...QUESTIONS, ...QUESTIONS];
    const pooled = await Promise.all(asked.map((question) => pool.ask(current, question, "acme")));
    for (const [i, question] of asked.entries()) expect(pooled[i]).toEqual(await assistant.answer(question, "acme"));
    expect(pooled.map(({ reply }) => reply.kind)).toContain("answer");
    expect(await pool.search(current, "cookies", "acme", 2)).toEqual(await knowledge.search("cookies", "acme", 2));
  });

  it("answers on the knowledge it is given: a re-indexed policy at once, the old one still for whoever holds it", async () => {
    const before = knowledge;
    const policy = path.join(corpusDir, "acme", "privacy-policy.md");
    await writeFile(policy, (await readFile(policy, "utf8")).replace("for twelve months", "for thirty-six months"));
    const indexDir = path.join(work, "index-2");
    await cp(path.join(work, "index"), indexDir, { recursive: true });
    await ingest({ corpusDir, indexDir, embedder: pool.embedder });
    const after = await openKnowledge({ indexDir, embedder: local });
    const question = "How long do you keep my chat messages?";
    const onAfter = await Promise.all([1, 2, 3, 4].map(() => pool.ask(() => ({ snapshot: after.snapshot?.() }), question, "acme")));
    for (const { reply } of onAfter) expect(reply.text).toContain("thirty-six months");
    const onBefore = await pool.ask(() => ({ snapshot: before.snapshot?.() }), question, "acme");
    expect(onBefore.reply.text).toContain("twelve months");
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chunk } from "./chunk.js";
import { TransformersEmbedder } from "./embed/transformers.js";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "../../tests/support/fixture-model.js";
import { type IndexedPassage, Retriever } from "./retrieve.js";
import { IndexStore, toMetadata } from "./store.js";

const chunk = (id: string, site: string, text: string): Chunk => ({
  id,
  site,
  document: `${site}/p.md`,
  title: "P",
  sectionPath: ["S"],
  anchor: "s",
  text,
  start: 0,
  end: text.length,
});

const chunks = [
  chunk("retention", "a", "We keep your personal data for six months, then delete it."),
  chunk("cookies", "a", "We use cookies and pixels to remember your preferences in the browser."),
  chunk("sharing", "a", "We share data with partners and processors who help us deliver the service."),
  chunk("other-site", "b", "We keep your personal data for six months, then delete it."),
];

describe("Retriever (BM25 + dense, fused)", () => {
  let dir: string;
  let store: IndexStore;
  let embedder: TransformersEmbedder;

  let passages: IndexedPassage[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "retrieve-"));
    embedder = await TransformersEmbedder.load({ model: FIXTURE_MODEL, modelsDir: FIXTURE_MODELS_DIR, allowRemote: false, cacheDir: dir });
    store = new IndexStore(path.join(dir, "index"));
    await store.reset();
    const vectors = await embedder.embedPassages(chunks.map((c) => c.text));
    await store.vectors.beginUpdate();
    for (const [i, c] of chunks.entries()) await store.vectors.insertItem({ id: c.id, vector: vectors[i]!, metadata: toMetadata(c) });
    await store.vectors.endUpdate();
    passages = chunks.map((c, i) => ({ chunk: c, vector: vectors[i]!, sentenceVectors: [], topics: [] }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("answers from the asked site only, best first, with fused scores in [0, 1]", async () => {
    const retriever = new Retriever(passages, embedder);
    const results = await retriever.retrieve("How long do you keep my data?", "a", 5);
    expect(results[0]?.chunk.id).toBe("retention");
    expect(results.every((r) => r.chunk.site === "a")).toBe(true);
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((x, y) => y - x));
    expect(results.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
  });

  it("follows the lexical side alone at weight 1 and the dense side alone at weight 0", async () => {
    const query = "partners cookies";
    const lexicalOnly = new Retriever(passages, embedder, { lexicalWeight: 1, sentenceWeight: 0 });
    const denseOnly = new Retriever(passages, embedder, { lexicalWeight: 0, sentenceWeight: 0 });
    const lexical = await lexicalOnly.retrieve(query, "a", 3);
    const dense = await denseOnly.retrieve(query, "a", 3);
    const vector = await embedder.embedQuery(query);
    const cosine = (v: number[]) => v.reduce((sum, x, i) => sum + x * (vector[i] ?? 0), 0);
    const vectors = await embedder.embedPassages(chunks.slice(0, 3).map((c) => c.text));
    const denseOrder = chunks
      .slice(0, 3)
      .map((c, i) => ({ id: c.id, cos: cosine(vectors[i]!) }))
      .sort((x, y) => y.cos - x.cos)
      .map((x) => x.id);
    expect(dense.map((r) => r.chunk.id)).toEqual(denseOrder);
    expect(
      lexical
        .map((r) => r.chunk.id)
        .slice(0, 2)
        .sort(),
    ).toEqual(["cookies", "sharing"]);
    expect(lexical.find((r) => r.chunk.id === "retention")?.lexical ?? 0).toBe(0);
  });

  it("ranks by the search vector when given one, and still reports the question's own cosines", async () => {
    const denseOnly = new Retriever(passages, embedder, { lexicalWeight: 0, sentenceWeight: 0 });
    const question = "How long do you keep my data?";
    const vector = await embedder.embedQuery(question);
    const [cookies] = await embedder.embedPassages([chunks[1]!.text]);
    const own = await denseOnly.retrieve(question, "a", 3, { vector });
    const searched = await denseOnly.retrieve(question, "a", 3, { vector, searchVector: cookies });
    expect(own[0]?.chunk.id).toBe("retention");
    expect(searched[0]?.chunk.id).toBe("cookies");
    const reported = (results: typeof own) => new Map(results.map((r) => [r.chunk.id, [r.dense, r.passageDense]]));
    expect(reported(searched)).toEqual(reported(own));
  });
});

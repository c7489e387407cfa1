import { beforeAll, describe, expect, it } from "vitest";
import { dot, length } from "../../../tests/support/fixture-model.js";
import { UseLiteEmbedder } from "./use-lite.js";

const RETENTION = "We keep your personal information for as long as your account is open and delete it within 90 days of closure.";
const COOKIES = "We use cookies and similar technologies to remember your preferences and measure traffic.";

let embedder: UseLiteEmbedder;

beforeAll(async () => {
  embedder = await UseLiteEmbedder.load();
});

describe("UseLiteEmbedder", () => {
  it("names the packaged model and its version", () => {
    expect(embedder.info).toMatchObject({ kind: "use-lite", dimensions: 512 });
    expect(embedder.info.id).toMatch(/^use-lite:@energetic-ai\/model-embeddings-en@\d+\.\d+\.\d+$/);
  });

  it("returns 512-dimensional unit vectors", async () => {
    const vectors = [...(await embedder.embedPassages([RETENTION, COOKIES])), await embedder.embedQuery("hello")];
    for (const vector of vectors) {
      expect(vector).toHaveLength(512);
      expect(length(vector)).toBeCloseTo(1, 10);
    }
  });

  it("ranks a retention question nearer the retention sentence than the cookie one", async () => {
    const [retention, cookies] = await embedder.embedPassages([RETENTION, COOKIES]);
    const question = await embedder.embedQuery("how long do you keep my data");
    expect(dot(question, retention!)).toBeGreaterThan(dot(question, cookies!));
    const cookieQuestion = await embedder.embedQuery("do you use cookies to track me");
    expect(dot(cookieQuestion, cookies!)).toBeGreaterThan(dot(cookieQuestion, retention!));
  });

  it("embeds across batches of 32 the same as one text at a time", async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `${i % 2 ? RETENTION : COOKIES} (${i})`);
    const batched = await embedder.embedPassages(texts);
    expect(batched).toHaveLength(40);
    for (const index of [0, 31, 32, 39]) {
      const alone = await embedder.embedQuery(texts[index]!);
      for (const [i, value] of alone.entries()) expect(batched[index]![i]).toBeCloseTo(value, 5);
    }
    expect(await embedder.embedPassages([])).toEqual([]);
  });
});

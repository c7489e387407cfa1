import { describe, expect, it } from "vitest";
import type { Embedder } from "./embedder.js";
import { withQuestionCache } from "./question-cache.js";

/** Embeds a text as [its length, 1]; counts what it was asked to embed. */
function countingEmbedder(fail = new Set<string>()) {
  const asked: string[] = [];
  const embedder: Embedder = {
    info: { id: "counting", dimensions: 2, kind: "use-lite", description: "counting" },
    async embedPassages(texts) {
      asked.push(...texts);
      return texts.map((text) => [text.length, 1]);
    },
    async embedQuery(text) {
      asked.push(text);
      if (fail.has(text)) throw new Error(`cannot embed ${text}`);
      return [text.length, 1];
    },
  };
  return { embedder, asked };
}

describe("withQuestionCache", () => {
  it("embeds a repeated question once, also when asked twice at the same time", async () => {
    const { embedder, asked } = countingEmbedder();
    const cached = withQuestionCache(embedder, 10);
    const [a, b] = await Promise.all([cached.embedQuery("how long"), cached.embedQuery("how long")]);
    expect(await cached.embedQuery("how long")).toEqual([8, 1]);
    expect(a).toEqual(b);
    expect(asked).toEqual(["how long"]);
  });

  it("forgets the least recently asked question past its size", async () => {
    const { embedder, asked } = countingEmbedder();
    const cached = withQuestionCache(embedder, 2);
    for (const question of ["one", "two", "one", "three", "one", "two"]) await cached.embedQuery(question);
    expect(asked).toEqual(["one", "two", "three", "two"]);
  });

  it("keeps no failure, and passes passages through", async () => {
    const { embedder, asked } = countingEmbedder(new Set(["bad"]));
    const cached = withQuestionCache(embedder, 10);
    await expect(cached.embedQuery("bad")).rejects.toThrow("cannot embed bad");
    await expect(cached.embedQuery("bad")).rejects.toThrow("cannot embed bad");
    await cached.embedPassages(["p", "p"]);
    expect(asked).toEqual(["bad", "bad", "p", "p"]);
  });

  it("is the embedder itself at size 0", () => {
    const { embedder } = countingEmbedder();
    expect(withQuestionCache(embedder, 0)).toBe(embedder);
  });
});

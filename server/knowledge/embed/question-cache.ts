import { LRUCache } from "lru-cache";
import type { Embedder } from "./embedder.js";

/**
 * Remembers the vectors of recent questions, so a repeated one (a suggested question, a retry, a staff search) is
 * not embedded again. A question being embedded is shared by whoever asks it meanwhile; a failure is not kept.
 * Passages go straight through: ingest embeds each once anyway.
 */
export function withQuestionCache(embedder: Embedder, size: number): Embedder {
  if (size <= 0) return embedder;
  const vectors = new LRUCache<string, Promise<number[]>>({ max: size });
  return {
    info: embedder.info,
    embedPassages: (texts) => embedder.embedPassages(texts),
    embedQuery(text) {
      let vector = vectors.get(text);
      if (!vector) {
        vector = embedder.embedQuery(text);
        vectors.set(text, vector);
        vector.catch(() => vectors.delete(text));
      }
      return vector;
    },
  };
}

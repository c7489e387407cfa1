import type { EmbedderInfo } from "../types.js";

/** One embedder serves ingest and query; vectors come back unit-length so a dot product is the cosine. */
export interface Embedder {
  readonly info: EmbedderInfo;
  embedPassages(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

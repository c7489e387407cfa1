import path from "node:path";
import type { Env } from "../env.js";
import { createEmbedder } from "./embed/index.js";

export { chunkDocument, toSections } from "./chunk.js";
export type { Chunk, Section } from "./chunk.js";
export { createEmbedder } from "./embed/index.js";
export type { Embedder } from "./embed/embedder.js";
export { ingest, missingFieldsWarning } from "./ingest.js";
export type { IngestSummary } from "./ingest.js";
export { IndexMismatchError, openKnowledge } from "./knowledge.js";
export { loadCorpus } from "./load.js";
export type { PolicyDocument } from "./load.js";
export type { AskReply, Citation, Knowledge, Right, SiteInfo } from "./types.js";
export { RIGHTS } from "./types.js";

/** The embedder the configuration asks for; ingest and server must use the same. */
export function embedderFromEnv(env: Env, log?: (line: string) => void) {
  return createEmbedder({ ...embedderOptionsFromEnv(env), ...(log ? { log } : {}) });
}

/** createEmbedder's options from the configuration (plain data: a worker thread loads the same embedder). */
export function embedderOptionsFromEnv(env: Env) {
  return {
    kind: env.EMBEDDER,
    model: env.EMBEDDING_MODEL,
    modelsDir: env.MODELS_DIR,
    allowRemote: env.ALLOW_REMOTE_MODELS,
    cacheDir: path.join(env.DATA_DIR, "model-cache"),
  };
}

import type { Embedder } from "./embedder.js";
import { TransformersEmbedder } from "./transformers.js";
import { UseLiteEmbedder } from "./use-lite.js";

export type { Embedder } from "./embedder.js";
export { TransformersEmbedder, promptsFor } from "./transformers.js";
export type { Prompts, TransformersOptions } from "./transformers.js";
export { UseLiteEmbedder } from "./use-lite.js";

export type EmbedderKind = "auto" | "transformers" | "use-lite";

export interface CreateEmbedderOptions {
  /** auto: the transformers model when it loads, else USE-lite. transformers: that model or an error. */
  kind?: EmbedderKind;
  /** transformers.js model id, also its folder under modelsDir. */
  model: string;
  modelsDir: string;
  allowRemote: boolean;
  /** Where hub downloads are kept; put it under DATA_DIR. */
  cacheDir: string;
  /** Receives one line at start-up naming the embedder in use, and the reason for a fallback. */
  log?: (line: string) => void;
  /** How long an unreachable hub may take to fail before auto falls back. */
  hubTimeoutMs?: number;
}

/**
 * The one embedder for ingest and query, chosen from configuration.
 *
 * @example
 * const embedder = await createEmbedder({
 *   kind: env.EMBEDDER, model: env.EMBEDDING_MODEL, modelsDir: env.MODELS_DIR,
 *   allowRemote: env.ALLOW_REMOTE_MODELS, cacheDir: path.join(env.DATA_DIR, "model-cache"),
 * });
 */
export async function createEmbedder({
  kind = "auto",
  model,
  modelsDir,
  allowRemote,
  cacheDir,
  log = (line) => console.log(line),
  hubTimeoutMs,
}: CreateEmbedderOptions): Promise<Embedder> {
  const loadTransformers = () =>
    TransformersEmbedder.load({ model, modelsDir, allowRemote, cacheDir, ...(hubTimeoutMs ? { hubTimeoutMs } : {}) });

  let embedder: Embedder;
  if (kind === "use-lite") {
    embedder = await UseLiteEmbedder.load();
  } else if (kind === "transformers") {
    try {
      embedder = await loadTransformers();
    } catch (error) {
      throw new Error(`EMBEDDER=transformers: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  } else {
    try {
      embedder = await loadTransformers();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      log(`embedder: transformers model unavailable (${why}); falling back to USE-lite`);
      embedder = await UseLiteEmbedder.load();
    }
  }
  log(`embedder: using ${embedder.info.id} (${embedder.info.dimensions} dims)`);
  return embedder;
}

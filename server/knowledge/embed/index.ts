import type { Embedder } from "./embedder.js";

// The embedders' libraries (TensorFlow.js, transformers.js with onnxruntime and sharp) are imported when an embedder
// is created, not with this module: the server's main thread imports it and embeds nothing itself (its workers do),
// and the libraries' code alone is well over 100 MB of memory.
export type { Embedder } from "./embedder.js";
export type { Prompts, TransformersOptions } from "./transformers.js";

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
  const loadTransformers = async () => {
    const { TransformersEmbedder } = await import("./transformers.js");
    return TransformersEmbedder.load({ model, modelsDir, allowRemote, cacheDir, ...(hubTimeoutMs ? { hubTimeoutMs } : {}) });
  };
  const loadUseLite = async () => (await import("./use-lite.js")).UseLiteEmbedder.load();

  let embedder: Embedder;
  if (kind === "use-lite") {
    embedder = await loadUseLite();
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
      embedder = await loadUseLite();
    }
  }
  log(`embedder: using ${embedder.info.id} (${embedder.info.dimensions} dims)`);
  return embedder;
}

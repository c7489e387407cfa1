import { fileURLToPath } from "node:url";

/** The committed tiny BERT written by scripts/make-test-model.py. */
export const FIXTURE_MODELS_DIR = fileURLToPath(new URL("../fixtures/model/", import.meta.url));
export const FIXTURE_MODEL = "fixture/tiny-policy-bert";

export function dot(a: number[], b: number[]): number {
  return a.reduce((sum, value, i) => sum + value * b[i]!, 0);
}

export function length(vector: number[]): number {
  return Math.sqrt(dot(vector, vector));
}

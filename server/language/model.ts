import type { AnswerabilityModel } from "./answerability.js";
import type { QueryAdapter } from "./query-adapter.js";

/** A trained linear classifier over sentence vectors: one row of weights per label, softmax on top. */
export interface LinearLayer {
  labels: string[];
  weights: number[][];
  bias: number[];
}

/** What `npm run train` writes: the classifiers, keyed by the embedder whose vectors they read. */
export interface LanguageModel {
  embedder: string;
  /** SHA-256 of the training data: a model trained on older data is retrained. */
  dataHash: string;
  trainedAt: string;
  /** Question → privacy topics (multi-label, as a distribution); its strongest right topic is the right asked about. */
  topics: LinearLayer;
  /** Question → dialog act: practice, rights_question, request, off_topic. */
  acts: LinearLayer;
  /** Each topic's words as policies write them (taxonomy `policyWords`): a question's topics expand its search. */
  topicWords: Record<string, string>;
  /** Passage sentence → privacy topics, in the policies' own register. */
  passageTopics: LinearLayer;
  /** Moves a question's vector towards the policy sentences that answer such questions, before retrieval. */
  queryAdapter?: QueryAdapter;
  /** (question, retrieved passage) → the probability that the passage answers the question. */
  answerability: AnswerabilityModel;
}

/** The classifiers alone, before the verifier is trained on their readings. */
export type Classifiers = Omit<LanguageModel, "answerability">;

export const ACTS = ["practice", "rights_question", "request", "off_topic"] as const;
export type Act = (typeof ACTS)[number];

/** Probabilities by label. */
export function classify(layer: LinearLayer, vector: number[]): Map<string, number> {
  const logits = layer.weights.map((row, i) => {
    let sum = layer.bias[i] ?? 0;
    for (let j = 0; j < row.length; j++) sum += (row[j] ?? 0) * (vector[j] ?? 0);
    return sum;
  });
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return new Map(layer.labels.map((label, i) => [label, (exps[i] ?? 0) / total]));
}

/** The most probable label and its probability. */
export function top(probabilities: Map<string, number>): [string, number] {
  let best: [string, number] = ["", 0];
  for (const entry of probabilities) if (entry[1] > best[1]) best = entry;
  return best;
}

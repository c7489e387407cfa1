import { weighEvidence } from "../knowledge/answer.js";
import { chunkTerms } from "../knowledge/chunk.js";
import type { LexicalIndex } from "../knowledge/lexical.js";
import type { Scored } from "../knowledge/retrieve.js";
import { terms } from "../knowledge/text.js";
import { strongestTopic, type Understanding } from "./understand.js";

/**
 * What the answerability verifier reads of one (question, passage) pair: the dense and lexical scores, how much of
 * the question the passage covers, and whether question and passage are about the same privacy topic.
 */
export const ANSWER_FEATURES = [
  "passage_cosine",
  "closest_cosine",
  "best_sentence",
  "passage_coverage",
  "unknown_words",
  "topic_agreement",
  "topic_carried",
  "topic_sure",
  "off_topic",
  "speaks_of_topic",
  "lexical",
] as const;

/** A logistic regression over standardised features: P(the passage answers the question). */
export interface AnswerabilityModel {
  features: string[];
  means: number[];
  scales: number[];
  weights: number[];
  bias: number;
}

/** What the features are computed from: the question's reading and the site's word statistics. */
export interface Reading {
  question: string;
  understanding: Understanding;
  lexical: LexicalIndex;
  /** Topic ids in the order of the understanding's and the passages' topic probabilities. */
  topicIds: string[];
  topicWords: Record<string, string>;
}

/** One feature row per result, in ANSWER_FEATURES order. */
export function answerFeatures(reading: Reading, results: Scored[]): number[][] {
  const { question, understanding, lexical, topicIds, topicWords } = reading;
  const { unknown } = weighEvidence(question, results, lexical);
  const [id, sure] = strongestTopic(understanding.topics, topicIds);
  const topic = topicIds.indexOf(id);
  const wanted = new Set(terms(topicWords[id] ?? ""));
  return results.map((result) => {
    const own = new Set(chunkTerms(result.chunk).filter((term) => wanted.has(term)));
    return [
      result.passageDense,
      result.dense,
      Math.max(0, ...result.sentenceScores),
      weighEvidence(question, [result], lexical).coverage,
      unknown,
      result.topical,
      topic >= 0 ? (result.topics[topic] ?? 0) : 0,
      sure,
      understanding.offTopic,
      Math.min(own.size, 3) / 3,
      result.lexical,
    ];
  });
}

/** P(answers) for each feature row. */
export function verify(model: AnswerabilityModel, rows: number[][]): number[] {
  return rows.map((row) => {
    let logit = model.bias;
    for (let i = 0; i < model.weights.length; i++) {
      logit += (model.weights[i] ?? 0) * (((row[i] ?? 0) - (model.means[i] ?? 0)) / (model.scales[i] || 1));
    }
    return 1 / (1 + Math.exp(-logit));
  });
}

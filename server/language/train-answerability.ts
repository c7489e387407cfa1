import * as tf from "@tensorflow/tfjs";
import { type Chunk, chunkDocument } from "../knowledge/chunk.js";
import type { Embedder } from "../knowledge/embed/embedder.js";
import { matchable } from "../evaluation/evaluate.js";
import { embedChunks } from "../knowledge/ingest.js";
import type { PolicyDocument } from "../knowledge/load.js";
import { type IndexedPassage, Retriever } from "../knowledge/retrieve.js";
import { ANSWER_FEATURES, type AnswerabilityModel, answerFeatures } from "./answerability.js";
import type { TrainingData } from "./data.js";
import type { Classifiers } from "./model.js";
import { shuffled } from "./shuffle.js";
import { expansionFor, passageTopics, understand } from "./understand.js";

export interface AnswerabilityTraining {
  seed: number;
  epochs: number;
  holdOutPolicies: Set<string>;
  /** At most this many PolicyQA questions are paired with passages (a seeded sample: training stays within minutes). */
  maxQuestions?: number;
  onProgress: (line: string) => void;
}

interface Pair {
  features: number[];
  answers: boolean;
}

/**
 * Trains the answerability verifier on (question, retrieved passage) pairs made from PolicyQA's 20 policies, each
 * indexed the way ingest indexes a corpus and searched the way the ask path searches:
 * - a PolicyQA question against its own policy: a passage holding the annotated answer span answers, the others
 *   retrieved beside it do not;
 * - the same question against a policy annotated with none of its topics: nothing retrieved there answers;
 * - our visitor-voice questions written against those policies (verifier.train.jsonl): the passages holding the
 *   words that answer them answer; for the questions their policy does not answer (most on a topic it speaks of,
 *   asking what it does not say), nothing retrieved answers;
 * - our off-topic visitor questions against any policy: nothing answers.
 */
export async function trainAnswerability(
  data: TrainingData,
  embedder: Embedder,
  language: Classifiers,
  { seed, epochs, holdOutPolicies, maxQuestions = 1600, onProgress }: AnswerabilityTraining,
): Promise<AnswerabilityModel> {
  const policyQa = data.policyQa.filter((example) => !holdOutPolicies.has(example.policy));
  const policies = [...new Set(policyQa.map((example) => example.policy))];
  const { pairsFor } = await policyQaPairing(data, policies, embedder, language, onProgress);
  const topicsOf = new Map(
    policies.map((policy) => [policy, new Set(policyQa.filter((e) => e.policy === policy).flatMap((e) => e.topics))]),
  );
  const questions = shuffled(
    policyQa.filter((e) => e.kind === "question" && e.answer),
    seed,
  ).slice(0, maxQuestions);
  const offTopic = data.questions.filter((q) => q.act === "off_topic");
  const pairs: Pair[] = [];
  for (const [n, question] of questions.entries()) {
    pairs.push(...(await pairsFor(question.text, question.policy, 5, question.answer)));
    const silent = policies.find(
      (p, i) => i > n % policies.length && ![...(topicsOf.get(p) ?? [])].some((t) => question.topics.includes(t)),
    );
    if (silent) pairs.push(...(await pairsFor(question.text, silent, 3)));
    if (n % 400 === 0) onProgress(`answerability: ${n}/${questions.length} questions paired`);
  }
  const written = data.verifierQuestions.filter((q) => policies.includes(q.policy));
  for (const question of written) pairs.push(...(await pairsFor(question.question, question.policy, 5, question.answer ?? undefined)));
  for (const [n, question] of offTopic.entries()) {
    for (const k of [0, 7, 13]) pairs.push(...(await pairsFor(question.text, policies[(n + k) % policies.length] ?? "", 3)));
  }
  const answering = pairs.filter((pair) => pair.answers).length;
  onProgress(`answerability: ${pairs.length} pairs, ${answering} answering; training a logistic regression`);
  return trainLogistic(pairs, { seed, epochs });
}

/**
 * PolicyQA's policies indexed the way ingest indexes a corpus, and a question's (feature row, answers) pairs for the
 * passages the ask path retrieves from one of them: a passage answers when it holds the given answer words.
 */
export async function policyQaPairing(
  data: TrainingData,
  policies: string[],
  embedder: Embedder,
  language: Classifiers,
  onProgress: (line: string) => void,
) {
  const chunks = policies.flatMap((policy) =>
    chunkDocument(
      asDocument(
        policy,
        data.policyQa.filter((e) => e.policy === policy && e.kind === "passage").map((e) => e.text),
      ),
    ),
  );
  onProgress(`answerability: indexing ${policies.length} PolicyQA policies as ${chunks.length} passages`);
  const retriever = new Retriever(await indexPassages(chunks, embedder, language), embedder);
  const pairsFor = async (question: string, policy: string, limit: number, answer?: string): Promise<Pair[]> => {
    const vector = await embedder.embedQuery(question);
    const understanding = understand(language, vector);
    const results = await retriever.retrieve(question, policy, limit, {
      // The encoder's own ranking, not the query adapter's: the adapter was trained on these same questions, and
      // ranked with it they would show the verifier a better first passage than a visitor's question gets.
      vector,
      topics: understanding.topics,
      expansion: expansionFor(understanding.topics, language),
    });
    const lexical = retriever.lexicalIndex(policy);
    if (!lexical) return [];
    const reading = { question, understanding, lexical, topicIds: language.passageTopics.labels, topicWords: language.topicWords };
    const gold = answer ? matchable(answer) : undefined;
    return answerFeatures(reading, results).map((features, i) => ({
      features,
      answers: gold !== undefined && matchable(results[i]?.chunk.text ?? "").includes(gold),
    }));
  };
  return { pairsFor };
}

/** A PolicyQA policy as a plain-text document, one paragraph a block, chunked like any corpus document. */
function asDocument(policy: string, paragraphs: string[]): PolicyDocument {
  let offset = 0;
  const blocks = paragraphs.map((text) => {
    const block = { kind: "paragraph" as const, level: 0, text, start: offset, end: offset + text.length };
    offset += text.length + 2;
    return block;
  });
  return {
    site: policy,
    id: `${policy}/policy.txt`,
    path: `${policy}/policy.txt`,
    format: "txt",
    meta: { title: policy },
    blocks,
    hash: policy,
    missing: [],
  };
}

async function indexPassages(chunks: Chunk[], embedder: Embedder, language: Classifiers) {
  const passages: IndexedPassage[] = [];
  for (let i = 0; i < chunks.length; i += 64) {
    const batch = chunks.slice(i, i + 64);
    for (const [j, { vector, sentenceVectors }] of (await embedChunks(batch, embedder)).entries()) {
      passages.push({ chunk: batch[j] as Chunk, vector, sentenceVectors, topics: passageTopics(language, vector, sentenceVectors) });
    }
  }
  return passages;
}

/** Class-balanced (answering pairs repeated), standardised, seeded: the same pairs give the same weights. */
async function trainLogistic(pairs: Pair[], { seed, epochs }: { seed: number; epochs: number }): Promise<AnswerabilityModel> {
  const columns = ANSWER_FEATURES.map((_, i) => pairs.map((pair) => pair.features[i] ?? 0));
  const means = columns.map((column) => column.reduce((a, b) => a + b, 0) / column.length);
  const scales = columns.map((column, i) => {
    const variance = column.reduce((sum, value) => sum + (value - (means[i] ?? 0)) ** 2, 0) / column.length;
    return Math.sqrt(variance) || 1;
  });
  const positives = pairs.filter((pair) => pair.answers);
  const negatives = pairs.filter((pair) => !pair.answers);
  const copies = Math.max(1, Math.round(negatives.length / Math.max(positives.length, 1)));
  const balanced = shuffled([...negatives, ...Array.from({ length: copies }, () => positives).flat()], seed);
  const x = tf.tensor2d(balanced.map((pair) => pair.features.map((value, i) => (value - (means[i] ?? 0)) / (scales[i] ?? 1))));
  const y = tf.tensor2d(balanced.map((pair) => [pair.answers ? 1 : 0]));
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [ANSWER_FEATURES.length],
        units: 1,
        activation: "sigmoid",
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.02), loss: "binaryCrossentropy" });
  await model.fit(x, y, { epochs, batchSize: 256, shuffle: false, verbose: 0 });
  const [kernel, bias] = model.getWeights();
  const weights = ((await kernel!.array()) as number[][]).map((row) => round(row[0] ?? 0));
  const result = {
    features: [...ANSWER_FEATURES],
    means: means.map(round),
    scales: scales.map(round),
    weights,
    bias: round(((await bias!.array()) as number[])[0] ?? 0),
  };
  tf.dispose([x, y]);
  model.dispose();
  return result;
}

const round = (value: number) => Math.round(value * 1e5) / 1e5;

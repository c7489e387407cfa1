import * as tf from "@tensorflow/tfjs";
import type { QueryAdapter } from "./query-adapter.js";
import { shuffled } from "./shuffle.js";

// Apart from query-adapter.ts: the ask path imports that one, and must not load TensorFlow.js with it.

export interface AdapterTraining {
  /** (question, the policy sentence holding its answer): PolicyQA's annotated spans. */
  pairs: Array<[string, string]>;
  /** Our visitor-voice questions and their topics ... */
  questions: Array<{ text: string; topics: string[] }>;
  /** ... and, by topic, sentences in the policies' register (their mean is the topic's point to move towards). */
  register: Map<string, string[]>;
  vectors: Map<string, number[]>;
  seed: number;
  epochs: number;
  onProgress: (line: string) => void;
}

const RANK = 64;
/** Softmax temperature of the contrastive losses: cosines are spread over about 0.2, so this sharpens them. */
const TEMPERATURE = 0.05;
/** L2 on the correction, keeping the adapted vector near the encoder's own. */
const SHRINK = 0.01;
const BATCH = 128;

/**
 * Trains the adapter with two in-batch contrastive losses (TF.js, Adam, seeded): a PolicyQA question should be closer
 * to its answer's sentence than to the other questions' sentences, and one of our questions closer to its topic's
 * register than to the other topics'. The correction starts at zero (v = 0): training only moves what the data asks.
 */
export async function trainQueryAdapter({
  pairs,
  questions,
  register,
  vectors,
  seed,
  epochs,
  onProgress,
}: AdapterTraining): Promise<QueryAdapter> {
  const dims = vectors.values().next().value?.length ?? 0;
  const vectorOf = (text: string) => vectors.get(text) ?? new Array(dims).fill(0);
  const topics = [...register.keys()].filter((topic) => (register.get(topic) ?? []).length > 0);
  const prototypes = tf.tensor2d(topics.map((topic) => unitMean((register.get(topic) ?? []).map(vectorOf), dims)));
  const u = tf.variable(tf.randomNormal([dims, RANK], 0, 0.05, "float32", seed));
  const v = tf.variable(tf.zeros([dims, RANK]));
  const adapt = (q: tf.Tensor2D) => {
    const adapted = q.add(q.matMul(u).matMul(v.transpose())) as tf.Tensor2D;
    return adapted.div(adapted.norm("euclidean", 1, true)) as tf.Tensor2D;
  };
  // Every vector goes into a tensor once; a batch is a gather of rows.
  const pairQuestions = tf.tensor2d(pairs.map(([question]) => vectorOf(question)));
  const pairAnswers = tf.tensor2d(pairs.map(([, sentence]) => vectorOf(sentence)));
  const ownQuestions = tf.tensor2d(questions.map((question) => vectorOf(question.text)));
  const ownTargets = tf.tensor2d(
    questions.map((question) => topics.map((topic) => (question.topics.includes(topic) ? 1 / question.topics.length : 0))),
  );
  const optimizer = tf.train.adam(0.002);
  const positions = (count: number) => Array.from({ length: count }, (_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const pairOrder = shuffled(positions(pairs.length), seed + epoch);
    const questionOrder = shuffled(positions(questions.length), seed + 1000 + epoch);
    const steps = Math.ceil(Math.max(pairOrder.length, questionOrder.length) / BATCH);
    let total = tf.scalar(0);
    for (let step = 0; step < steps; step++) {
      const slice = (order: number[]) => {
        const start = (step * BATCH) % Math.max(order.length, 1);
        return tf.tensor1d(order.slice(start, start + BATCH), "int32");
      };
      const batchPairs = slice(pairOrder);
      const batchQuestions = slice(questionOrder);
      const cost = optimizer.minimize(
        () =>
          tf.tidy(() => {
            let loss = tf.scalar(0);
            if (batchPairs.size > 1) {
              const q = adapt(tf.gather(pairQuestions, batchPairs));
              const answers = tf.gather(pairAnswers, batchPairs);
              const target = tf.oneHot(tf.range(0, batchPairs.size, 1, "int32"), batchPairs.size);
              loss = loss.add(tf.losses.softmaxCrossEntropy(target, q.matMul(answers.transpose()).div(TEMPERATURE)));
            }
            if (batchQuestions.size > 0) {
              const q = adapt(tf.gather(ownQuestions, batchQuestions));
              const target = tf.gather(ownTargets, batchQuestions);
              loss = loss.add(tf.losses.softmaxCrossEntropy(target, q.matMul(prototypes.transpose()).div(TEMPERATURE)));
            }
            // ‖u vᵀ‖² as Σ (uᵀu) ⊙ (vᵀv): rank-by-rank products instead of the dims-by-dims correction.
            const size = u.transpose().matMul(u).mul(v.transpose().matMul(v)).sum();
            return loss.add(size.mul(SHRINK)) as tf.Scalar;
          }),
        true,
      );
      const sum = cost ? (total.add(cost) as tf.Scalar) : total.clone();
      tf.dispose([total, batchPairs, batchQuestions, ...(cost ? [cost] : [])]);
      total = sum;
    }
    const mean = ((await total.data())[0] ?? 0) / steps;
    total.dispose();
    if (epoch % 5 === 4 || epoch === epochs - 1) onProgress(`query adapter: epoch ${epoch + 1}/${epochs}, loss ${mean.toFixed(3)}`);
  }
  const columns = async (matrix: tf.Variable) => {
    const rows = (await matrix.array()) as number[][];
    return Array.from({ length: RANK }, (_, k) => rows.map((row) => round(row[k] ?? 0)));
  };
  const adapter = { u: await columns(u), v: await columns(v) };
  tf.dispose([u, v, prototypes, pairQuestions, pairAnswers, ownQuestions, ownTargets]);
  return adapter;
}

function unitMean(rows: number[][], dims: number): number[] {
  const mean = new Array<number>(dims).fill(0);
  for (const row of rows) for (let i = 0; i < dims; i++) mean[i] = (mean[i] ?? 0) + (row[i] ?? 0);
  const norm = Math.hypot(...mean) || 1;
  return mean.map((x) => x / norm);
}

const round = (value: number) => Math.round(value * 1e5) / 1e5;

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { normalizeText } from "../knowledge/text.js";
import { RIGHTS } from "../knowledge/types.js";
import { ACTS } from "./model.js";

/** The folder of the taxonomy and the training files (data, not code). */
export const LANGUAGE_DIR = path.dirname(fileURLToPath(import.meta.url));

const topicSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  group: z.enum(["practice", "data", "purpose", "right", "other"]),
  label: z.string(),
  opp115: z.array(z.string()).default([]),
  description: z.string(),
  policyWords: z.string(),
  examples: z.array(z.string()),
  /** The topic in the policies' own register: trains the passage-topic classifier. */
  policySentences: z.array(z.string()).default([]),
});
export type Topic = z.infer<typeof topicSchema>;

const taxonomySchema = z.object({ about: z.string(), topics: z.array(topicSchema).min(2) });

const questionSchema = z.object({
  text: z.string().min(1),
  topics: z.array(z.string()).min(1),
  act: z.enum(ACTS),
  right: z.enum(RIGHTS).optional(),
});
export type TrainingQuestion = z.infer<typeof questionSchema>;

/** A PolicyQA paragraph or question with the topics its OPP-115 labels map to. */
const policyQaSchema = z.object({
  policy: z.string(),
  kind: z.enum(["question", "passage", "sentence"]),
  text: z.string().min(1),
  topics: z.array(z.string()).min(1),
  /** A question's answer span in its paragraph. */
  answer: z.string().optional(),
});
export type PolicyQaExample = z.infer<typeof policyQaSchema>;

/**
 * A visitor-voice question written against one of PolicyQA's policies, with the words of that policy that answer it
 * (copied verbatim), or null when the policy does not answer it: the verifier's own labelled pairs.
 */
const verifierQuestionSchema = z.object({
  policy: z.string(),
  question: z.string().min(1),
  answer: z.string().min(1).nullable(),
});
export type VerifierQuestion = z.infer<typeof verifierQuestionSchema>;

export interface TrainingData {
  topics: Topic[];
  questions: TrainingQuestion[];
  policyQa: PolicyQaExample[];
  verifierQuestions: VerifierQuestion[];
  hash: string;
}

export const TRAINING_FILES = {
  taxonomy: "taxonomy.json",
  questions: "questions.train.jsonl",
  policyQa: "policyqa.train.jsonl",
  verifierQuestions: "verifier.train.jsonl",
};

export async function loadTaxonomy(dir = LANGUAGE_DIR): Promise<Topic[]> {
  return taxonomySchema.parse(JSON.parse(await readFile(path.join(dir, TRAINING_FILES.taxonomy), "utf8"))).topics;
}

/** Reads and checks the taxonomy and the training files; a line naming an unknown topic is an error. */
export async function loadTrainingData(dir = LANGUAGE_DIR): Promise<TrainingData> {
  const raw = await Promise.all(Object.values(TRAINING_FILES).map((file) => readFile(path.join(dir, file), "utf8")));
  const [taxonomyText = "", questionsText = "", policyQaText = "", verifierText = ""] = raw;
  const { topics } = taxonomySchema.parse(JSON.parse(taxonomyText));
  const known = new Set(topics.map((topic) => topic.id));
  const lines = <T>(text: string, schema: z.ZodType<T>, file: string): T[] =>
    text
      .split("\n")
      .filter((line) => line.trim())
      .map((line, i) => {
        const item = schema.parse(JSON.parse(line)) as T & { topics?: string[] };
        const unknown = item.topics?.find((topic) => !known.has(topic));
        if (unknown) throw new Error(`${file} line ${i + 1}: unknown topic "${unknown}"`);
        return item;
      });
  const questions = lines(questionsText, questionSchema, TRAINING_FILES.questions);
  const policyQa = lines(policyQaText, policyQaSchema, TRAINING_FILES.policyQa);
  const verifierQuestions = lines(verifierText, verifierQuestionSchema, TRAINING_FILES.verifierQuestions);
  checkAnswersQuoted(verifierQuestions, policyQa);
  // Hashed as parsed, so reformatting a file does not invalidate the trained model.
  const hash = createHash("sha256")
    .update(JSON.stringify([topics, questions, policyQa, verifierQuestions]))
    .digest("hex")
    .slice(0, 16);
  return { topics, questions, policyQa, verifierQuestions, hash };
}

/** Each written answer must be its policy's own words: a line quoting words the policy does not have is an error. */
function checkAnswersQuoted(questions: VerifierQuestion[], policyQa: PolicyQaExample[]): void {
  const comparable = (text: string) => normalizeText(text).toLowerCase();
  const texts = new Map<string, string>();
  for (const e of policyQa.filter((e) => e.kind === "passage")) texts.set(e.policy, `${texts.get(e.policy) ?? ""}\n${comparable(e.text)}`);
  questions.forEach((q, i) => {
    const text = texts.get(q.policy);
    const where = `${TRAINING_FILES.verifierQuestions} line ${i + 1}`;
    if (text === undefined) throw new Error(`${where}: no PolicyQA policy "${q.policy}"`);
    if (q.answer !== null && !text.includes(comparable(q.answer))) throw new Error(`${where}: the answer is not in ${q.policy}'s text`);
  });
}

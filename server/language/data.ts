import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
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

export interface TrainingData {
  topics: Topic[];
  questions: TrainingQuestion[];
  policyQa: PolicyQaExample[];
  hash: string;
}

export const TRAINING_FILES = { taxonomy: "taxonomy.json", questions: "questions.train.jsonl", policyQa: "policyqa.train.jsonl" };

export async function loadTaxonomy(dir = LANGUAGE_DIR): Promise<Topic[]> {
  return taxonomySchema.parse(JSON.parse(await readFile(path.join(dir, TRAINING_FILES.taxonomy), "utf8"))).topics;
}

/** Reads and checks the taxonomy and the training files; a line naming an unknown topic is an error. */
export async function loadTrainingData(dir = LANGUAGE_DIR): Promise<TrainingData> {
  const raw = await Promise.all(Object.values(TRAINING_FILES).map((file) => readFile(path.join(dir, file), "utf8")));
  const [taxonomyText = "", questionsText = "", policyQaText = ""] = raw;
  const { topics } = taxonomySchema.parse(JSON.parse(taxonomyText));
  const known = new Set(topics.map((topic) => topic.id));
  const lines = <T>(text: string, schema: z.ZodType<T>, file: string): T[] =>
    text
      .split("\n")
      .filter((line) => line.trim())
      .map((line, i) => {
        const item = schema.parse(JSON.parse(line)) as T & { topics: string[] };
        const unknown = item.topics.find((topic) => !known.has(topic));
        if (unknown) throw new Error(`${file} line ${i + 1}: unknown topic "${unknown}"`);
        return item;
      });
  const questions = lines(questionsText, questionSchema, TRAINING_FILES.questions);
  const policyQa = lines(policyQaText, policyQaSchema, TRAINING_FILES.policyQa);
  // Hashed as parsed, so reformatting a file does not invalidate the trained model.
  const hash = createHash("sha256")
    .update(JSON.stringify([topics, questions, policyQa]))
    .digest("hex")
    .slice(0, 16);
  return { topics, questions, policyQa, hash };
}

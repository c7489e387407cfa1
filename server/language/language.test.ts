import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UseLiteEmbedder } from "../knowledge/embed/use-lite.js";
import { LANGUAGE_DIR, TRAINING_FILES, loadTrainingData } from "./data.js";
import { committedModelPath, loadLanguageModel } from "./load.js";
import { ACTS, type LanguageModel } from "./model.js";
import { adaptQuery } from "./query-adapter.js";
import { understand } from "./understand.js";

describe("privacy-language layer (the committed model, on the packaged encoder)", () => {
  let embedder: UseLiteEmbedder;
  let model: LanguageModel;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "language-"));
    embedder = await UseLiteEmbedder.load();
    model = await loadLanguageModel({ embedder, dataDir });
  }, 120_000);
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("is the committed model, trained on the current data for this embedder (nothing trained at start-up)", async () => {
    const committed = JSON.parse(await readFile(committedModelPath(embedder.info.id), "utf8")) as LanguageModel;
    expect(model.embedder).toBe(embedder.info.id);
    expect(model.dataHash).toBe((await loadTrainingData()).hash);
    expect(model.trainedAt).toBe(committed.trainedAt);
  });

  const read = async (message: string) => understand(model, await embedder.embedQuery(message));
  const topTopic = (topics: number[]) => model.topics.labels[topics.indexOf(Math.max(...topics))];

  it("tells off-topic messages from privacy questions", async () => {
    expect((await read("whats the best pizza place near your office")).offTopic).toBeGreaterThan(0.5);
    expect((await read("do you hand my details to other companies")).offTopic).toBeLessThan(0.5);
  });

  it("reads a situation as an order for the right it calls for, and a how-to question as a question", async () => {
    const order = await read("please wipe my account and all my data");
    expect(order.act).toBe("request");
    expect(order.right).toBe("erasure");
    expect((await read("how would i go about getting my data deleted")).act).not.toBe("request");
  });

  it("has an answerability verifier that weighs a passage on the question's topic above one off it", () => {
    const { features, weights } = model.answerability;
    const weight = (feature: string) => weights[features.indexOf(feature)] ?? 0;
    expect(features.length).toBe(weights.length);
    expect(weight("off_topic")).toBeLessThan(0);
    expect(weight("topic_carried")).toBeGreaterThan(0);
    expect(weight("passage_coverage")).toBeGreaterThan(0);
  });

  it("has a query adapter that finds the policy sentence answering a question where the encoder alone does not", async () => {
    const cases = [
      ["will u keep bugging me with promo mails", "You may unsubscribe from our marketing communications at any time."],
      ["does ur app know where i am", "We collect your precise geolocation when you enable location services."],
      ["how long till you bin my stuff", "We retain personal data for three years after your last order, then erase it."],
      [
        "is my card info safe",
        "Payment card details are processed by our PCI-DSS certified payment provider and never stored on our servers.",
      ],
      ["who r u guys anyway", "The Company is incorporated in Delaware and its registered office is in Wilmington."],
    ];
    const sentences = await embedder.embedPassages(cases.map(([, sentence]) => sentence ?? ""));
    const cosine = (a: number[], b: number[] = []) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
    const closest = (vector: number[]) =>
      sentences.map((s) => cosine(vector, s)).reduce((best, c, i, all) => (c > (all[best] ?? -1) ? i : best), 0);
    expect(model.queryAdapter?.u.length).toBe(64);
    const own = await Promise.all(cases.map(([question]) => embedder.embedQuery(question ?? "")));
    const adapted = own.map((vector) => adaptQuery(model.queryAdapter, vector));
    for (const vector of adapted) expect(Math.hypot(...vector)).toBeCloseTo(1, 6);
    expect(adapted.map(closest)).toEqual([0, 1, 2, 3, 4]);
    expect(own.map(closest)).not.toEqual([0, 1, 2, 3, 4]);
  });

  it("names the topic of a question in visitors' words", async () => {
    expect(topTopic((await read("how long do u hang on to my stuff")).topics)).toBe("retention");
  });
});

describe("training data", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "language-data-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuses a training line that names a topic the taxonomy does not have", async () => {
    await writeFile(path.join(dir, TRAINING_FILES.taxonomy), await readFile(path.join(LANGUAGE_DIR, TRAINING_FILES.taxonomy)));
    await writeFile(path.join(dir, TRAINING_FILES.questions), `${JSON.stringify({ text: "hi", topics: ["weather"], act: "off_topic" })}\n`);
    await writeFile(path.join(dir, TRAINING_FILES.policyQa), "");
    await writeFile(path.join(dir, TRAINING_FILES.verifierQuestions), "");
    await expect(loadTrainingData(dir)).rejects.toThrow(/line 1: unknown topic "weather"/);
  });

  it("refuses a verifier question whose answer is not its policy's own words", async () => {
    await writeFile(path.join(dir, TRAINING_FILES.questions), "");
    const passage = { policy: "example.com", kind: "passage", text: "We keep your orders for 3 years.", topics: ["retention"] };
    await writeFile(path.join(dir, TRAINING_FILES.policyQa), `${JSON.stringify(passage)}\n`);
    const line = (answer: string | null) => JSON.stringify({ policy: "example.com", question: "how long do u keep my orders", answer });
    await writeFile(path.join(dir, TRAINING_FILES.verifierQuestions), `${line("keep your orders for 3 years")}\n${line(null)}\n`);
    expect((await loadTrainingData(dir)).verifierQuestions).toHaveLength(2);
    await writeFile(path.join(dir, TRAINING_FILES.verifierQuestions), `${line(null)}\n${line("keep your orders for 5 years")}\n`);
    await expect(loadTrainingData(dir)).rejects.toThrow(/line 2: the answer is not in example.com's text/);
  });
});

describe("understand", () => {
  const layer = (labels: readonly string[], bias: number[]) => ({ labels: [...labels], weights: labels.map(() => [0]), bias });

  it("takes the right a message is about from its strongest right topic, not its strongest topic", () => {
    const topics = layer(["retention", "right_access", "right_portability"], [3, 1, 2]);
    const reading = understand({ topics, acts: layer(ACTS, [0, 0, 1, 0]) }, [0]);
    expect(reading.act).toBe("request");
    expect(reading.right).toBe("portability");
    expect(reading.rightProbability).toBeCloseTo(Math.exp(2) / (Math.exp(3) + Math.exp(1) + Math.exp(2)), 6);
  });
});

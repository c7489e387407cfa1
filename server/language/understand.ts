import { RIGHTS, type Right } from "../knowledge/types.js";
import { type Act, type Classifiers, classify, top } from "./model.js";

/** What the language layer makes of a visitor's message. */
export interface Understanding {
  /** Probability of each topic, in the model's topic order. */
  topics: number[];
  act: Act;
  actProbability: number;
  /** Probability that the message is off-topic (not about privacy). */
  offTopic: number;
  /** The right it asks about or orders, when it is about one: its strongest right topic. */
  right: Right;
  /** That right topic's probability. */
  rightProbability: number;
}

export function understand(model: Pick<Classifiers, "topics" | "acts">, vector: number[]): Understanding {
  const acts = classify(model.acts, vector);
  const [act, actProbability] = top(acts);
  const topics = classify(model.topics, vector);
  const [right, rightProbability] = top(new Map(RIGHTS.map((right) => [right, topics.get(`right_${right}`) ?? 0])));
  return {
    topics: [...topics.values()],
    act: act as Act,
    actProbability,
    offTopic: acts.get("off_topic") ?? 0,
    right: (right || "access") as Right,
    rightProbability,
  };
}

/** A passage's topics: the strongest reading among the passage as a whole and each of its sentences. */
export function passageTopics(model: Classifiers, vector: number[], sentenceVectors: number[][]): number[] {
  const readings = [vector, ...sentenceVectors].map((v) => [...classify(model.passageTopics, v).values()]);
  return model.passageTopics.labels.map((_, t) => Math.max(...readings.map((reading) => reading[t] ?? 0)));
}

/** The policy words of the question's likely topics (at most two, each at least a quarter sure). */
export function expansionFor(topics: number[], language: Classifiers): string | undefined {
  const likely = language.topics.labels
    .map((id, i) => [id, topics[i] ?? 0] as const)
    .filter(([id, p]) => p >= 0.25 && id !== "not_privacy")
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2);
  return likely.length > 0 ? likely.map(([id]) => language.topicWords[id] ?? "").join(" ") : undefined;
}

/** The question's most probable privacy topic (not "not about privacy") and its probability; "" and 0 when none. */
export function strongestTopic(topics: number[], ids: string[]): [string, number] {
  let best: [string, number] = ["", 0];
  topics.forEach((p, i) => {
    const id = ids[i] ?? "";
    if (id !== "not_privacy" && p > best[1]) best = [id, p];
  });
  return best;
}

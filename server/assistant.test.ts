import { describe, expect, it } from "vitest";
import { quoteOn, readIntent } from "./assistant.js";
import { passageSentences } from "./knowledge/sentences.js";
import type { Chunk } from "./knowledge/chunk.js";

/** The decision on what the classifiers read (act, its probability, the right), with the rule table as shipped. */
describe("readIntent", () => {
  const reading = (actProbability: number, right: "access" | "erasure" = "access") => ({ act: "request" as const, actProbability, right });

  it("takes a single question for an order only when the classifier is sure", () => {
    expect(readIntent("do insurers get my data from you", reading(0.7)).request).toBe(false);
    expect(readIntent("do insurers get my data from you", reading(0.95)).request).toBe(true);
    // Not a single question: a question and an order.
    expect(readIntent("what do u have on me? send it over", reading(0.7))).toMatchObject({ request: true, right: "access" });
    // The polite form of an order is no question.
    expect(readIntent("could you let me see everything on file about me", reading(0.7)).request).toBe(true);
  });

  it("lets a negation take back the right it names, and an unnamed one only an unsure order", () => {
    expect(readIntent("please dont erase my profile, i still need it", reading(0.95, "erasure")).request).toBe(false);
    expect(readIntent("never want to see my name in your system again", reading(0.9, "erasure")).request).toBe(true);
    expect(readIntent("never want to see my name in your system again", reading(0.6, "erasure")).request).toBe(false);
  });
});

describe("quoteOn", () => {
  it("quotes the sentence naming the right with what it points to", () => {
    const text =
      "We answer requests within a month. You have the right to erasure, which you can exercise as follows.\nE-mail privacy@example.com\nor write to 1 High Street, Leeds";
    const sentences = passageSentences(text);
    const passage = { sentences, sentenceScores: sentences.map(() => 0), chunk: { text } as Chunk };
    expect(quoteOn(passage, "erasure").split("\n")).toEqual(sentences.slice(1));
    // A naming sentence that points nowhere stands alone.
    const alone = "You have the right to erasure of the personal data we hold on you. We answer requests within a month.";
    const aloneSentences = passageSentences(alone);
    expect(quoteOn({ sentences: aloneSentences, sentenceScores: [0, 0], chunk: { text: alone } as Chunk }, "erasure")).toBe(
      aloneSentences[0],
    );
  });
});

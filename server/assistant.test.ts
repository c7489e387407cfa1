import { describe, expect, it } from "vitest";
import { readIntent } from "./assistant.js";

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

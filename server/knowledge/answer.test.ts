import { describe, expect, it } from "vitest";
import { blockquote, deepLink, isAnswerable, noAnswer, quoteBest } from "./answer.js";
import { passageSentences } from "./sentences.js";
import type { Chunk } from "./chunk.js";
import { LexicalIndex } from "./lexical.js";

const chunk = (text: string, sectionPath = ["Retention"]): Chunk => ({
  id: text.slice(0, 8),
  site: "s",
  document: "s/p.md",
  title: "P",
  sectionPath,
  anchor: "a",
  text,
  start: 0,
  end: text.length,
});

const passages = [
  chunk("We use cookies to remember your language. Cookies expire after one year."),
  chunk("Chat transcripts are deleted every twelve months. Invoices are kept for ten years because tax law requires it."),
  chunk("We never sell your personal information to anyone."),
];
const lexical = new LexicalIndex(passages);

describe("quoteBest", () => {
  const sentences = [
    "You have the right to a copy of your data.",
    "This policy was last changed in May and applies to every product we offer today.",
    "We answer a request for a copy within one month of receiving it.",
  ];

  it("quotes the passage's next-best sentence too when it answers nearly as well, in the policy's order", () => {
    expect(quoteBest({ sentences, sentenceScores: [0.5, 0.1, 0.6] })).toBe(`${sentences[0]} ${sentences[2]}`);
  });

  it("quotes the best sentence alone when the others answer clearly less well", () => {
    expect(quoteBest({ sentences, sentenceScores: [0.3, 0.1, 0.6] })).toBe(sentences[2]);
  });

  it("adds the next sentence to a short or introducing one, and quotes nothing more when no sentence answers", () => {
    expect(quoteBest({ sentences: ["Contact us:", "privacy@example.com", sentences[1] as string], sentenceScores: [0.6, 0.1, 0.2] })).toBe(
      "Contact us: privacy@example.com",
    );
    expect(quoteBest({ sentences, sentenceScores: [0, 0, 0] })).toBe(`${sentences[0]} ${sentences[1]}`); // short: its next one, no more
  });

  it("quotes a sentence pointing to what follows it with what follows, up to about 60 words", () => {
    const text =
      "Questions about this policy? You can reach us at the address below.\nExample Ltd\n1 High Street, Leeds\nprivacy@example.com";
    const parts = passageSentences(text);
    const scores = parts.map((sentence) => (sentence.includes("below") ? 0.9 : 0.1));
    expect(quoteBest({ sentences: parts, sentenceScores: scores, chunk: { text } }).split("\n")).toEqual(parts.slice(1));
    // Without "below", the sentence stands alone.
    const plain = text.replace("at the address below", "by post at our registered office on any working day");
    const plainParts = passageSentences(plain);
    expect(
      quoteBest({
        sentences: plainParts,
        sentenceScores: plainParts.map((s) => (s.includes("by post") ? 0.9 : 0.1)),
        chunk: { text: plain },
      }),
    ).toBe("You can reach us by post at our registered office on any working day.");
  });

  it("quotes a sentence introducing a list with the list's items, as Markdown list lines, up to about 60 words", () => {
    const items = Array.from({ length: 12 }, (_, i) => `Item number ${i + 1} of the things we collect`);
    const text = `We keep your orders. When you sign up, you give us:\n${items.map((item) => `• ${item}`).join("\n")}\nWe never sell them.`;
    const listed = passageSentences(text);
    const scores = listed.map((sentence) => (sentence.endsWith(":") ? 0.9 : 0.1));
    const quote = quoteBest({ sentences: listed, sentenceScores: scores, chunk: { text } });
    expect(quote.split("\n")).toEqual(["When you sign up, you give us:", ...items.slice(0, 6).map((item) => `- ${item}`)]);
    expect(
      blockquote(quote)
        .split("\n")
        .every((line) => line.startsWith("> ")),
    ).toBe(true);
  });
});

describe("isAnswerable", () => {
  it("abstains when most specific words are unknown to the policy", () => {
    expect(isAnswerable({ unknown: 0.8, unknownSpecific: true, coverage: 0.2, dense: 0.6 })).toBe(false);
  });
  it("abstains on a half-unknown question with a specific unknown word and a weak dense match", () => {
    expect(isAnswerable({ unknown: 0.5, unknownSpecific: true, coverage: 0.5, dense: 0.3 })).toBe(false);
    expect(isAnswerable({ unknown: 0.5, unknownSpecific: true, coverage: 0.5, dense: 0.45 })).toBe(true);
    expect(isAnswerable({ unknown: 0.5, unknownSpecific: false, coverage: 0.5, dense: 0.3 })).toBe(true);
  });
  it("answers a question the passages cover", () => {
    expect(isAnswerable({ unknown: 0, unknownSpecific: false, coverage: 0.9, dense: 0.2 })).toBe(true);
  });
});

describe("LexicalIndex", () => {
  it("ranks by BM25 and understands the policy vocabulary", () => {
    expect(lexical.query("Do you sell my data?", 3)[0]?.id).toBe(passages[2]!.id);
    // "keep" reaches "deleted every twelve months" through no shared word; "retain" reaches "kept" through synonyms.
    expect(lexical.query("how long do you retain invoices", 3)[0]?.id).toBe(passages[1]!.id);
    expect(lexical.knows("acquir")).toBe(false);
    expect(lexical.knows("cooki")).toBe(true);
  });
});

describe("deepLink", () => {
  it("builds a text fragment from the passage's first and last words, escaping - and ,", () => {
    const url = deepLink("https://x.example/p", chunk("• Opt-out, at any time, by writing to us; we answer within one month of receipt."));
    expect(url).toBe("https://x.example/p#:~:text=Opt%2Dout%2C%20at%20any%20time%2C%20by,one%20month%20of%20receipt.");
  });
});

describe("noAnswer", () => {
  it("points to the privacy contact and cites nothing", () => {
    const reply = noAnswer({ site: "s", title: "P Policy", organization: "P Ltd.", url: "", contact: "dpo@p.example", documents: [] });
    expect(reply).toMatchObject({ kind: "no_answer", citations: [] });
    expect(reply.text).toContain("mailto:dpo@p.example");
  });
});

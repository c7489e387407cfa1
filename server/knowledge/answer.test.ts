import { describe, expect, it } from "vitest";
import { deepLink, isAnswerable, noAnswer, selectAnswerSentences } from "./answer.js";
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

describe("selectAnswerSentences", () => {
  it("quotes the sentence that answers, not the whole passage", () => {
    expect(selectAnswerSentences("How long are invoices retained?", passages[1]!, lexical)).toBe(
      "Invoices are kept for ten years because tax law requires it.",
    );
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

import { describe, expect, it } from "vitest";
import { chunkDocument, toSections } from "./chunk.js";
import { parseDocument } from "./load.js";
import { countWords, splitSentences } from "./text.js";

const sentence = (n: number) => `Sentence number ${n} talks about how we keep and protect personal data for a while.`;
const longSection = Array.from({ length: 30 }, (_, i) => sentence(i)).join(" ");
const doc = parseDocument(
  "x",
  "/c/x/p.md",
  `# Title\n\n## Retention\n\n${longSection}\n\n## Retention\n\nShort.\n\n### Backups\n\nBackups go after a year.\n`,
  "h",
);

describe("toSections", () => {
  it("gives each section its heading path under the title and a unique anchor", () => {
    const sections = toSections(doc);
    expect(sections.map((s) => s.path)).toEqual([["Retention"], ["Retention"], ["Retention", "Backups"]]);
    expect(new Set(sections.map((s) => s.anchor)).size).toBe(3);
  });
});

describe("chunkDocument", () => {
  const chunks = chunkDocument(doc, { maxWords: 60, targetWords: 30 });

  it("never cuts a sentence and keeps passages within the word limit", () => {
    const all = new Set(splitSentences(longSection).map((s) => s.text));
    for (const chunk of chunks.filter((c) => c.sectionPath.length === 1 && c.text.length > 10)) {
      expect(countWords(chunk.text)).toBeLessThanOrEqual(60);
      for (const piece of splitSentences(chunk.text)) expect(all.has(piece.text)).toBe(true);
    }
  });

  it("keeps every sentence exactly once, in order", () => {
    const joined = chunks
      .filter((c) => c.anchor === "retention")
      .map((c) => c.text)
      .join(" ");
    expect(joined).toBe(longSection);
  });

  it("never joins two sections in one passage and gives stable ids", () => {
    expect(chunks.find((c) => c.text.includes("Backups go"))?.sectionPath).toEqual(["Retention", "Backups"]);
    expect(chunkDocument(doc, { maxWords: 60, targetWords: 30 }).map((c) => c.id)).toEqual(chunks.map((c) => c.id));
  });
});

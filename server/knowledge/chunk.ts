import { createHash } from "node:crypto";
import type { Block, PolicyDocument } from "./load.js";
import { countWords, slugify, splitSentences, terms } from "./text.js";

/** How a passage marks a list item: each item starts its own line with this. */
export const ITEM_MARK = "• ";

/** A passage's text as the page shows it, without the item marks. */
export function withoutItemMarks(text: string): string {
  return text.replace(/^• /gm, "");
}

/** A passage short enough to quote, with where it came from. */
export interface Chunk {
  id: string;
  site: string;
  document: string;
  title: string;
  /** Headings from the top of the document down to this passage. */
  sectionPath: string[];
  /** Slug of the nearest heading, unique within the document. */
  anchor: string;
  text: string;
  /** Character offsets of the passage in the source file. */
  start: number;
  end: number;
}

export interface Section {
  path: string[];
  anchor: string;
  blocks: Block[];
}

export interface ChunkOptions {
  /** A chunk never grows past this many words unless one sentence is longer. */
  maxWords?: number;
  /** Past this many words a chunk ends at the next block (paragraph or list item) boundary. */
  targetWords?: number;
}

/** Groups a document's blocks under their heading path. */
export function toSections(document: PolicyDocument): Section[] {
  const sections: Section[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  const anchors = new Map<string, number>();
  let current: Section | undefined;
  for (const block of document.blocks) {
    if (block.kind === "heading") {
      current = undefined;
      // The H1 is the document's title, which every citation names already.
      if (block.level === 1) continue;
      while (headings.length > 0 && (headings.at(-1)?.level ?? 0) >= block.level) headings.pop();
      headings.push({ level: block.level, text: block.text });
      continue;
    }
    if (!current) {
      const slug = slugify(headings.at(-1)?.text ?? document.meta.title) || "section";
      const seen = anchors.get(slug) ?? 0;
      anchors.set(slug, seen + 1);
      current = { path: headings.map((heading) => heading.text), anchor: seen ? `${slug}-${seen}` : slug, blocks: [] };
      sections.push(current);
    }
    current.blocks.push(block);
  }
  return sections;
}

interface Unit {
  text: string;
  start: number;
  end: number;
  words: number;
  /** First unit of a block: a natural place to end the previous chunk. */
  opensBlock: boolean;
  item: boolean;
}

/**
 * The largest passages whose average stays under 120 words on PolicyQA (112.8): bigger passages hold more answers,
 * and ending at a block boundary once past the target keeps paragraphs whole.
 */
export const DEFAULT_CHUNKING: Required<ChunkOptions> = { maxWords: 135, targetWords: 90 };

/** Splits sections into passages, sentence-aware: a sentence is never cut. */
export function chunkDocument(document: PolicyDocument, options: ChunkOptions = {}): Chunk[] {
  const { maxWords, targetWords } = { ...DEFAULT_CHUNKING, ...options };
  const chunks: Chunk[] = [];
  for (const section of toSections(document)) {
    let open: Unit[] = [];
    const close = () => {
      if (open.length === 0) return;
      const text = open
        .map((unit, i) =>
          unit.item
            ? `${i > 0 ? "\n" : ""}${ITEM_MARK}${unit.text}`
            : `${i > 0 && open[i - 1]?.item ? "\n" : i > 0 ? " " : ""}${unit.text}`,
        )
        .join("")
        .trim();
      chunks.push({
        id: createHash("sha256")
          .update(`${document.id}\n${section.path.join("\n")}\n${text}`)
          .digest("hex")
          .slice(0, 20),
        site: document.site,
        document: document.id,
        title: document.meta.title,
        sectionPath: section.path,
        anchor: section.anchor,
        text,
        start: open[0]?.start ?? 0,
        end: open.at(-1)?.end ?? 0,
      });
      open = [];
    };
    for (const unit of section.blocks.flatMap((block) => toUnits(block, maxWords))) {
      const words = open.reduce((sum, u) => sum + u.words, 0);
      if (words > 0 && (words + unit.words > maxWords || (unit.opensBlock && words >= targetWords))) close();
      open.push(unit);
    }
    close();
  }
  return chunks;
}

function toUnits(block: Block, maxWords: number): Unit[] {
  const item = block.kind === "item";
  if (item && countWords(block.text) <= maxWords) {
    return [{ text: block.text, start: block.start, end: block.end, words: countWords(block.text), opensBlock: true, item }];
  }
  return splitSentences(block.text).map((sentence, i) => ({
    text: sentence.text,
    start: block.start,
    end: block.end,
    words: countWords(sentence.text),
    opensBlock: i === 0,
    item: item && i === 0,
  }));
}

const termsRead = new WeakMap<Chunk, { text: string[]; headed: string[] }>();

/** A passage's index terms, of its text alone or with its section heading in front; read once per passage. */
export function chunkTerms(chunk: Chunk, { withHeading = false } = {}): string[] {
  let read = termsRead.get(chunk);
  if (!read) {
    read = { text: terms(chunk.text), headed: terms(`${chunk.sectionPath.join(" ")} ${chunk.text}`) };
    termsRead.set(chunk, read);
  }
  return withHeading ? read.headed : read.text;
}

import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import type { Chunk } from "./chunk.js";
import { STOPWORDS, terms, words } from "./text.js";

/**
 * Privacy-policy vocabulary: visitors and policies name the same thing differently ("keep" vs "retain").
 * Each group is expanded at query time only, so the index keeps the policy's own words.
 */
const SYNONYM_GROUPS = [
  ["delete", "deletion", "erase", "erasure", "remove", "removal", "destroy"],
  ["keep", "retain", "retention", "store", "storage", "hold", "period"],
  ["sell", "sale", "sold"],
  ["share", "disclose", "disclosure", "transfer", "provide"],
  ["cookie", "cookies", "tracker", "tracking", "beacon"],
  ["child", "children", "minor", "minors", "kid", "kids", "underage", "age", "13", "16"],
  ["secure", "security", "protect", "protection", "safe", "safeguard"],
  ["correct", "rectify", "rectification", "inaccurate", "update"],
  ["copy", "access", "obtain"],
  ["object", "objection", "opt", "unsubscribe"],
  ["complaint", "complain", "authority", "supervisory", "regulator"],
  ["abroad", "international", "overseas", "outside", "countries", "country"],
  ["marketing", "newsletter", "newsletters", "advertising", "advertisement", "promotional"],
  ["location", "geolocation"],
  ["chat", "chats", "conversation", "correspondence", "message", "messages", "communication"],
  ["long", "period", "duration", "annual", "annually", "year", "years", "month", "months"],
  ["why", "purpose", "purposes", "reason"],
  ["contact", "reach", "email", "write"],
  ["consent", "permission", "agree"],
  ["job", "candidate", "applicant", "recruitment", "recruiting", "cv", "resume", "hiring"],
  ["change", "changes", "amend", "modify", "modification", "update", "revision", "revise"],
  ["acquire", "acquired", "acquisition", "merger", "reorganization"],
  ["tell", "told", "notify", "notification", "inform", "informed"],
  ["law", "legal", "lawful", "basis", "ground", "grounds"],
  ["collect", "gather", "obtain"],
  ["partner", "partners", "vendor", "vendors", "provider", "providers", "processor", "processors", "third"],
  ["breach", "incident", "leak"],
  ["officer", "dpo", "representative"],
];

const SYNONYMS: Map<string, string[]> = (() => {
  const map = new Map<string, Set<string>>();
  for (const group of SYNONYM_GROUPS) {
    const stems = group.map((word) => stemmer(word));
    for (const stem of stems) {
      const set = map.get(stem) ?? new Set<string>();
      for (const other of stems) if (other !== stem) set.add(other);
      map.set(stem, set);
    }
  }
  return new Map([...map].map(([stem, set]) => [stem, [...set]]));
})();

/** Weight of the section-heading field against the passage text. */
const HEADING_BOOST = 0.6;
/** BM25 term-frequency saturation and length normalisation. */
const BM25 = { k: 1.2, b: 0.75, d: 0.5 };

/** BM25 over one site's passages; the section heading is a second, lighter field. */
export class LexicalIndex {
  private readonly search: MiniSearch<Chunk & { heading: string }>;
  readonly vocabulary = new Set<string>();
  private readonly documentFrequency = new Map<string, number>();
  private readonly size: number;

  constructor(chunks: Chunk[]) {
    this.search = new MiniSearch<Chunk & { heading: string }>({
      fields: ["text", "heading"],
      idField: "id",
      tokenize: (text) => words(text),
      processTerm: (word) => (STOPWORDS.has(word) ? null : stemmer(word.replace(/'s$/, ""))),
      searchOptions: {
        boost: { text: 1, heading: HEADING_BOOST },
        bm25: BM25,
        processTerm: (word) => {
          if (STOPWORDS.has(word)) return null;
          const stem = stemmer(word.replace(/'s$/, ""));
          // Query words are expanded with the privacy vocabulary above.
          return [stem, ...(SYNONYMS.get(stem) ?? [])];
        },
      },
    });
    const documents = chunks.map((chunk) => ({ ...chunk, heading: chunk.sectionPath.join(" ") }));
    this.search.addAll(documents);
    this.size = documents.length;
    for (const chunk of documents) {
      for (const term of new Set(terms(`${chunk.heading} ${chunk.text}`))) {
        this.vocabulary.add(term);
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
    }
  }

  query(question: string, limit: number): Array<{ id: string; score: number }> {
    return this.search
      .search(question, { combineWith: "OR" })
      .slice(0, limit)
      .map((result) => ({ id: String(result.id), score: result.score }));
  }

  /** Inverse document frequency of a stem among this site's passages (BM25's form, never negative). */
  idf(stem: string): number {
    const df = this.documentFrequency.get(stem) ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /**
   * Whether the policy uses this stem, a synonym, or a related form sharing its first five letters
   * ("acquired" / "acquisition"; Porter stems derivations apart).
   */
  knows(stem: string): boolean {
    if (LexicalIndex.expand(stem).some((term) => this.vocabulary.has(term))) return true;
    if (stem.length < 5) return false;
    const prefix = stem.slice(0, 5);
    for (const term of this.vocabulary) if (term.startsWith(prefix)) return true;
    return false;
  }

  /** The stems of a word and its synonyms, as the query side expands it. */
  static expand(stem: string): string[] {
    return [stem, ...(SYNONYMS.get(stem) ?? [])];
  }
}

import type { Chunk } from "./chunk.js";
import type { Embedder } from "./embed/embedder.js";
import { LexicalIndex } from "./lexical.js";
import { coverageScorer, passageSentences } from "./sentences.js";
import { terms } from "./text.js";

export interface Scored {
  chunk: Chunk;
  /** Fused score in [0, 1]. */
  score: number;
  lexical: number;
  /** Cosine of the question with the passage, or with its closest sentence when that is closer. */
  dense: number;
  /** Cosine of the question with the passage as a whole (what the word-evidence rule was calibrated on). */
  passageDense: number;
  /** The passage's sentences and, for each, how well it answers the question (dense and lexical, fused). */
  sentences: string[];
  sentenceScores: number[];
  /** How strongly the passage carries the question's topics, in [0, 1]. */
  topical: number;
  /** The passage's own topic probabilities. */
  topics: number[];
}

/** A passage as the retriever holds it: its vector and one vector per sentence. */
export interface IndexedPassage {
  chunk: Chunk;
  vector: number[];
  sentenceVectors: number[][];
  /** Probability of each privacy topic (language model order); empty without a language model. */
  topics: number[];
}

/** A passage with what every question reads of it, worked out once when the index is opened. */
interface PreparedPassage extends IndexedPassage {
  sentences: string[];
  sentenceTerms: string[][];
  /** The passage's vector and its sentences' vectors, in one typed array (passage first), for the dense scan. */
  packed: Float64Array;
}

/** A site's passages, and the strongest passage's weight on each topic (topic agreement's scale). */
interface SiteEntry {
  lexical: LexicalIndex;
  passages: Map<string, PreparedPassage>;
  strongest: number[];
}

/** What the retriever is told about the question besides its words. */
export interface QuestionSignals {
  vector: number[];
  /**
   * The vector the dense side of the ranking searches with, when the language layer adapts the question's
   * (server/language/query-adapter.ts). The sentence scores, `dense` and `passageDense` stay the question's own
   * cosines: the sentence choice is finer with them, and the answerability rules are calibrated on them.
   */
  searchVector?: number[];
  /** Probability of each topic (same order as the passages' topics). */
  topics?: number[];
  /** Policy words for the question's likely topics, searched beside the question's own words. */
  expansion?: string;
}

export interface RetrieverOptions {
  /** Weight of the lexical score in the fused sum; the dense score gets the rest. */
  lexicalWeight?: number;
  /** How many candidates each side contributes before fusion. */
  candidates?: number;
  /** Weight of the best sentence's score when re-ranking the fused top candidates. */
  sentenceWeight?: number;
  /** Within a sentence's score, the weight of its cosine with the question (the rest is its word coverage). */
  sentenceDenseWeight?: number;
  /** Weight of topic agreement between question and passage in the fused score. */
  topicWeight?: number;
  /** Weight of the topic-expansion search within the lexical score. */
  expansionWeight?: number;
}

/**
 * Hybrid retrieval: BM25 and dense cosine (the passage's, or its closest sentence's), each min-max normalised over
 * its candidates, then a weighted sum; the candidates are re-ranked by their single best-answering sentence.
 */
export class Retriever {
  private readonly sites = new Map<string, SiteEntry>();
  private readonly lexicalWeight: number;
  private readonly candidates: number;
  private readonly sentenceWeight: number;
  private readonly sentenceDenseWeight: number;
  private readonly topicWeight: number;
  private readonly expansionWeight: number;

  constructor(
    passages: IndexedPassage[],
    private readonly embedder: Embedder,
    {
      lexicalWeight = 0.5,
      candidates = 40,
      sentenceWeight = 1,
      sentenceDenseWeight = 0.5,
      topicWeight = 0.3,
      expansionWeight = 0.3,
    }: RetrieverOptions = {},
  ) {
    this.expansionWeight = expansionWeight;
    this.topicWeight = topicWeight;
    this.sentenceWeight = sentenceWeight;
    this.sentenceDenseWeight = sentenceDenseWeight;
    this.lexicalWeight = lexicalWeight;
    this.candidates = candidates;
    const bySite = new Map<string, IndexedPassage[]>();
    for (const passage of passages) bySite.set(passage.chunk.site, [...(bySite.get(passage.chunk.site) ?? []), passage]);
    for (const [site, sitePassages] of bySite) {
      this.sites.set(site, {
        lexical: new LexicalIndex(sitePassages.map((p) => p.chunk)),
        passages: new Map(sitePassages.map((p) => [p.chunk.id, prepare(p)])),
        strongest: strongestTopics(sitePassages),
      });
    }
  }

  lexicalIndex(site: string): LexicalIndex | undefined {
    return this.sites.get(site)?.lexical;
  }

  async retrieve(query: string, site: string, limit: number, signals?: QuestionSignals): Promise<Scored[]> {
    const entry = this.sites.get(site);
    if (!entry) return [];
    const lexical = entry.lexical.query(query, this.candidates);
    const queryVector = signals?.vector ?? (await this.embedder.embedQuery(query));
    const agreement = topicAgreement(signals?.topics, entry);
    // One dense scan of every passage: the question's own cosines, and the search vector's where the ranking uses one.
    const own64 = Float64Array.from(queryVector);
    const search64 = signals?.searchVector && signals.searchVector !== queryVector ? Float64Array.from(signals.searchVector) : undefined;
    const scanned = new Map([...entry.passages.values()].map((passage) => [passage.chunk.id, packedCosines(passage, own64, search64)]));
    const dense = [...scanned].sort(([, a], [, b]) => b.searchBest - a.searchBest).slice(0, this.candidates);
    const own = normalise(new Map(lexical.map((hit) => [hit.id, hit.score])));
    const expanded = signals?.expansion
      ? normalise(new Map(entry.lexical.query(signals.expansion, this.candidates).map((hit) => [hit.id, hit.score])))
      : new Map<string, number>();
    const e = expanded.size > 0 ? this.expansionWeight : 0;
    const lexicalScores = new Map(
      [...new Set([...own.keys(), ...expanded.keys()])].map((id) => [id, (1 - e) * (own.get(id) ?? 0) + e * (expanded.get(id) ?? 0)]),
    );
    const denseScores = normalise(new Map(dense.map(([id, cosines]) => [id, cosines.searchBest])));
    const ids = new Set([...lexicalScores.keys(), ...denseScores.keys()]);
    const coverageOf = coverageScorer(query, entry.lexical);
    const fused = [...ids].flatMap((id) => {
      const passage = entry.passages.get(id);
      if (!passage) return [];
      const l = lexicalScores.get(id) ?? 0;
      const d = denseScores.get(id) ?? 0;
      const { passageCosine, sentenceCosines, best: closest } = scanned.get(id) ?? packedCosines(passage, own64);
      const { sentences } = passage;
      const coverage = coverageOf(passage.sentenceTerms);
      const sentenceScores = sentences.map(
        (_, i) => this.sentenceDenseWeight * Math.max(0, sentenceCosines[i] ?? 0) + (1 - this.sentenceDenseWeight) * (coverage[i] ?? 0),
      );
      const best = Math.max(0, ...sentenceScores);
      const base = this.lexicalWeight * l + (1 - this.lexicalWeight) * d;
      const topical = agreement.get(id) ?? 0;
      return [
        {
          chunk: passage.chunk,
          score: ((base + this.sentenceWeight * best) / (1 + this.sentenceWeight)) * (1 - this.topicWeight) + this.topicWeight * topical,
          topical,
          topics: passage.topics,
          lexical: l,
          dense: closest,
          passageDense: passageCosine,
          sentences,
          sentenceScores,
        },
      ];
    });
    return fused.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

function prepare(passage: IndexedPassage): PreparedPassage {
  const sentences = passageSentences(passage.chunk.text);
  const width = passage.vector.length;
  const packed = new Float64Array(width * (1 + passage.sentenceVectors.length));
  [passage.vector, ...passage.sentenceVectors].forEach((vector, row) => {
    packed.set(vector.length === width ? vector : Array.from({ length: width }, (_, i) => vector[i] ?? 0), row * width);
  });
  return { ...passage, sentences, sentenceTerms: sentences.map(terms), packed };
}

interface PassageCosines {
  passageCosine: number;
  sentenceCosines: number[];
  /** The higher of the passage's cosine and its closest sentence's: the passage's dense score. */
  best: number;
  /** The same for the search vector (the question's own when there is none): what the dense ranking reads. */
  searchBest: number;
}

/**
 * The question's cosine (dot product of unit vectors) with the passage and with each of its sentences, and the best
 * of the search vector's, in one pass over the packed vectors.
 */
function packedCosines({ packed, vector }: PreparedPassage, query: Float64Array, search?: Float64Array): PassageCosines {
  const width = Math.min(vector.length, query.length);
  const rows = vector.length ? packed.length / vector.length : 0;
  const scores: number[] = [];
  let searchBest = Number.NEGATIVE_INFINITY;
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    let searchSum = 0;
    if (search) {
      for (let i = 0, at = row * vector.length; i < width; i++, at++) {
        sum += (packed[at] as number) * (query[i] as number);
        searchSum += (packed[at] as number) * (search[i] as number);
      }
      searchBest = Math.max(searchBest, searchSum);
    } else {
      for (let i = 0, at = row * vector.length; i < width; i++, at++) sum += (packed[at] as number) * (query[i] as number);
    }
    scores.push(sum);
  }
  const sentenceCosines = scores.slice(1);
  const passageCosine = scores[0] ?? 0;
  const best = Math.max(passageCosine, ...sentenceCosines);
  // A passage without vectors scores 0 on both sides (-Infinity would turn the min-max normalisation into NaN).
  return { passageCosine, sentenceCosines, best, searchBest: search && rows > 0 ? searchBest : best };
}

/** Each topic's weight in the site's strongest passage on it (at least 1e-6), the same for every question. */
function strongestTopics(passages: IndexedPassage[]): number[] {
  const count = passages[0]?.topics.length ?? 0;
  return Array.from({ length: count }, (_, t) => Math.max(1e-6, ...passages.map((p) => p.topics[t] ?? 0)));
}

/**
 * Topic agreement: the question's topic distribution against each passage's topics, each topic scaled by the
 * site's strongest passage on it, so the passage most about what was asked scores near 1.
 */
function topicAgreement(question: number[] | undefined, { passages, strongest }: SiteEntry): Map<string, number> {
  if (!question || passages.size === 0 || strongest.length === 0) return new Map();
  return new Map(
    [...passages.values()].map((p) => [
      p.chunk.id,
      question.reduce((sum, q, t) => sum + q * ((p.topics[t] ?? 0) / (strongest[t] ?? 1)), 0),
    ]),
  );
}

function normalise(scores: Map<string, number>): Map<string, number> {
  const values = [...scores.values()];
  const min = Math.min(...values);
  const range = Math.max(...values) - min;
  return new Map([...scores].map(([id, score]) => [id, range > 0 ? (score - min) / range : 1]));
}

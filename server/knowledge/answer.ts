import { type Chunk, chunkTerms, withoutItemMarks } from "./chunk.js";
import { LexicalIndex } from "./lexical.js";
import type { Scored } from "./retrieve.js";
import { stemmer } from "stemmer";
import { isEverydayWord } from "./everyday-words.js";
import { passageParts } from "./sentences.js";
import { STOPWORDS, countWords, terms, words } from "./text.js";
import type { AskReply, Citation, SiteInfo } from "./types.js";

/** Words every privacy question shares; they say nothing about whether a passage answers it. */
const GENERIC = new Set(
  terms(
    "data information personal policy privacy website site company service services use used using collect collected process processing question know tell please thanks hello",
  ),
);

export interface Evidence {
  /** Share of the question's specific words that the policy never uses, even as a synonym or a related form. */
  unknown: number;
  /** Whether an unknown word is a specific one (not everyday English): "bitcoin" says off-topic, "meant" does not. */
  unknownSpecific: boolean;
  /** Share (IDF-weighted) of the question's specific terms found in the best passages. */
  coverage: number;
  /** Cosine of the best passage with the question. */
  dense: number;
}

/** Weighs whether the retrieved passages can answer the question at all. */
export function weighEvidence(question: string, results: Scored[], lexical: LexicalIndex): Evidence {
  const specific = [...new Set(words(question))].filter((word) => !STOPWORDS.has(word) && !GENERIC.has(stemmer(word)));
  const stems = specific.map((word) => stemmer(word.replace(/'s$/, "")));
  const passageTerms = new Set(results.slice(0, 3).flatMap(({ chunk }) => chunkTerms(chunk, { withHeading: true })));
  const idfTotal = stems.reduce((sum, stem) => sum + lexical.idf(stem), 0);
  const covered = stems.filter((stem) => LexicalIndex.expand(stem).some((term) => passageTerms.has(term)));
  // A word rare in everyday English says more about the topic than a common verb ("runs", "told") does.
  const weights = specific.map((word) => (isEverydayWord(word) ? 0.5 : 1));
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const unknownWeights = weights.filter((_, i) => !lexical.knows(stems[i] ?? ""));
  return {
    unknown: weightTotal > 0 ? unknownWeights.reduce((sum, weight) => sum + weight, 0) / weightTotal : 0,
    unknownSpecific: unknownWeights.includes(1),
    coverage: idfTotal > 0 ? covered.reduce((sum, stem) => sum + lexical.idf(stem), 0) / idfTotal : 1,
    dense: results[0]?.passageDense ?? 0,
  };
}

export interface AnswerPolicy {
  /** Above this share of unknown specific words, the policy is taken not to cover the question. */
  maxUnknown: number;
  /** At this share of unknown words, a weak dense match is not enough either. */
  doubtfulUnknown: number;
  /** Below this coverage of the question's terms, only a strong dense match answers. */
  minCoverage: number;
  /** Dense similarity that carries a doubtful question. */
  minDense: number;
}

export const DEFAULT_ANSWER_POLICY: AnswerPolicy = { maxUnknown: 0.5, doubtfulUnknown: 0.5, minCoverage: 0.25, minDense: 0.4 };

export function isAnswerable(evidence: Evidence, policy: AnswerPolicy = DEFAULT_ANSWER_POLICY): boolean {
  if (evidence.unknown > policy.maxUnknown) return false;
  if (evidence.unknown >= policy.doubtfulUnknown && evidence.unknownSpecific && evidence.dense < policy.minDense) return false;
  return evidence.coverage >= policy.minCoverage || evidence.dense >= policy.minDense;
}

/**
 * A second sentence is quoted when it answers at least this share as well as the best one (chosen on the seed and
 * shared visitor sets: 0.5-0.7 quote the same gold, 0.7 the fewest words; 0.8 and above miss some).
 */
export const SECOND_SENTENCE_SHARE = 0.7;

/**
 * The sentence that answers best, with the next one when it only introduces it or is too short to stand alone, and
 * the passage's next-best sentence when it answers nearly as well (an answer often takes two sentences: the practice
 * and its period, the right and how to use it). Sentences keep the policy's order.
 */
export function quoteBest({
  sentences,
  sentenceScores,
  chunk,
}: Pick<Scored, "sentences" | "sentenceScores"> & { chunk?: Pick<Chunk, "text"> }): string {
  const bestIndex = sentenceScores.reduce((best, score, i) => (score > (sentenceScores[best] ?? 0) ? i : best), 0);
  const best = sentences[bestIndex] ?? "";
  const next = sentences[bestIndex + 1];
  const pointed = quotePointed(sentences, bestIndex, chunk);
  if (pointed) return pointed;
  const takeNext = Boolean(next) && (best.endsWith(":") || best.split(/\s+/).length < 12);
  const quoted = new Set(takeNext ? [bestIndex, bestIndex + 1] : [bestIndex]);
  const second = sentenceScores.reduce<number | undefined>(
    (at, score, i) => (quoted.has(i) || (at !== undefined && score <= (sentenceScores[at] ?? 0)) ? at : i),
    undefined,
  );
  const bestScore = sentenceScores[bestIndex] ?? 0;
  if (second !== undefined && bestScore > 0 && (sentenceScores[second] ?? 0) >= SECOND_SENTENCE_SHARE * bestScore) {
    quoted.add(second);
  }
  return [...quoted]
    .sort((a, b) => a - b)
    .map((i) => sentences[i] ?? "")
    .join(" ");
}

/**
 * A sentence introducing a list, quoted with the list ("you share the following: names, e-mails, …"), or one pointing
 * to what follows it ("contact us using the information below"), with what follows; undefined for any other sentence.
 */
export function quotePointed(sentences: string[], at: number, chunk: Pick<Chunk, "text"> | undefined): string | undefined {
  const sentence = sentences[at] ?? "";
  const introduces = sentence.endsWith(":");
  if (!chunk || !(introduces || POINTS_AHEAD.test(sentence))) return undefined;
  const parts = passageParts(chunk.text);
  const list = followers(sentences, parts, at, introduces);
  if (list.length === 0) return undefined;
  return [sentence, ...list.map((i) => (parts[i]?.item ? `- ${sentences[i] ?? ""}` : (sentences[i] ?? "")))].join("\n");
}

/** "the information below", "as follows", "the following": the sentence's answer comes after it. */
const POINTS_AHEAD = /\b(?:below|as follows|the following)\b/i;

/**
 * The sentences after sentence `intro` (list items only, or any), within LIST_QUOTE_WORDS; `parts` are the
 * passage's sentences with their list-item flags (none: nothing follows).
 */
function followers(sentences: string[], parts: Array<{ item: boolean }>, intro: number, itemsOnly: boolean): number[] {
  let words = countWords(sentences[intro] ?? "");
  const taken: number[] = [];
  for (let i = intro + 1; i < sentences.length && (parts[i]?.item || (!itemsOnly && parts[i] !== undefined)); i++) {
    words += countWords(sentences[i] ?? "");
    if (words > LIST_QUOTE_WORDS && taken.length > 0) break;
    taken.push(i);
  }
  return taken;
}

/** A quoted list or what a sentence points to stops before the sentence that would take it past this many words (at least one is quoted). */
const LIST_QUOTE_WORDS = 60;

/** Markdown block quote of a quote (each line, so a quoted list stays inside it). */
export function blockquote(quote: string): string {
  return quote
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

export function toCitation(result: Scored, site: SiteInfo): Citation {
  const { chunk } = result;
  return {
    title: chunk.title,
    section: chunk.sectionPath.join(" > ") || chunk.title,
    text: chunk.text,
    url: deepLink(site.url, chunk),
    score: Math.round(result.score * 1000) / 1000,
  };
}

/** The policy URL with a text fragment (start,end) that scrolls to and highlights the passage. */
export function deepLink(url: string, chunk: Chunk): string {
  const plain = withoutItemMarks(chunk.text).split(/\s+/).filter(Boolean);
  const encode = (words: string[]) => encodeURIComponent(words.join(" ")).replace(/-/g, "%2D").replace(/,/g, "%2C");
  const fragment = plain.length <= 10 ? encode(plain) : `${encode(plain.slice(0, 5))},${encode(plain.slice(-4))}`;
  return `${url || ""}#:~:text=${fragment}`;
}

export function noAnswer(site: SiteInfo): AskReply {
  const contact = site.contact
    ? `For this question, please contact ${site.organization} at [${site.contact}](mailto:${site.contact}).`
    : `For this question, please contact ${site.organization} directly.`;
  return {
    kind: "no_answer",
    text: `I could not find an answer to this in *${site.title}*, so I will not guess. ${contact}`,
    citations: [],
  };
}

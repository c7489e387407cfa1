import { LexicalIndex } from "./lexical.js";
import { ITEM_MARK, withoutItemMarks } from "./chunk.js";
import { splitSentences, terms } from "./text.js";

/** A passage's sentences; list items count as sentences of their own. */
export function passageSentences(text: string): string[] {
  return passageParts(text).map((part) => part.text);
}

/** A passage's sentences, each with whether it belongs to a list item. */
export function passageParts(text: string): Array<{ text: string; item: boolean }> {
  return text.split("\n").flatMap((line) => {
    const item = line.startsWith(ITEM_MARK);
    return splitSentences(withoutItemMarks(line)).map((sentence) => ({ text: sentence.text, item }));
  });
}

/**
 * How fully each sentence answers the question's words: the IDF-weighted share of question terms it contains
 * (a synonym counting half), with a small bonus for the question's word pairs it keeps side by side
 * ("analytics providers", "data protection officer"). The question is read once, and each passage's sentences come
 * as their terms (which the retriever keeps per passage rather than re-reading every sentence for every question).
 */
export function coverageScorer(question: string, lexical: LexicalIndex): (sentenceTerms: string[][]) => number[] {
  const questionTerms = terms(question);
  const wanted = [...new Set(questionTerms)].map((stem) => ({
    stem,
    idf: lexical.idf(stem),
    synonyms: LexicalIndex.expand(stem).slice(1),
  }));
  const total = wanted.reduce((sum, { idf }) => sum + idf, 0);
  const pairs = new Set(questionTerms.slice(1).map((stem, i) => `${questionTerms[i]} ${stem}`));
  return (sentenceTerms) =>
    sentenceTerms.map((sentence) => {
      if (total === 0) return 0;
      const present = new Set(sentence);
      const coverage =
        wanted.reduce((sum, { stem, idf, synonyms }) => {
          if (present.has(stem)) return sum + idf;
          return synonyms.some((synonym) => present.has(synonym)) ? sum + idf / 2 : sum;
        }, 0) / total;
      if (pairs.size === 0) return coverage;
      const kept = new Set(
        sentence
          .slice(1)
          .map((stem, i) => `${sentence[i]} ${stem}`)
          .filter((pair) => pairs.has(pair)),
      );
      return (1 - PAIR_WEIGHT) * coverage + PAIR_WEIGHT * (kept.size / pairs.size);
    });
}

const PAIR_WEIGHT = 0.1;

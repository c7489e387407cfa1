import { LexicalIndex } from "./lexical.js";
import { withoutItemMarks } from "./chunk.js";
import { splitSentences, terms } from "./text.js";

/** A passage's sentences; list items count as sentences of their own. */
export function passageSentences(text: string): string[] {
  return withoutItemMarks(text)
    .split("\n")
    .flatMap((line) => splitSentences(line).map((sentence) => sentence.text));
}

/**
 * How fully each sentence answers the question's words: the IDF-weighted share of question terms it contains
 * (a synonym counting half), with a small bonus for the question's word pairs it keeps side by side
 * ("analytics providers", "data protection officer").
 */
export function sentenceCoverage(question: string, sentences: string[], lexical: LexicalIndex): number[] {
  const questionTerms = terms(question);
  const wanted = [...new Set(questionTerms)];
  const total = wanted.reduce((sum, stem) => sum + lexical.idf(stem), 0);
  if (total === 0) return sentences.map(() => 0);
  const pairs = new Set(questionTerms.slice(1).map((stem, i) => `${questionTerms[i]} ${stem}`));
  return sentences.map((sentence) => {
    const sentenceTerms = terms(sentence);
    const present = new Set(sentenceTerms);
    const coverage =
      wanted.reduce((sum, stem) => {
        if (present.has(stem)) return sum + lexical.idf(stem);
        return LexicalIndex.expand(stem).some((synonym) => present.has(synonym)) ? sum + lexical.idf(stem) / 2 : sum;
      }, 0) / total;
    if (pairs.size === 0) return coverage;
    const kept = new Set(
      sentenceTerms
        .slice(1)
        .map((stem, i) => `${sentenceTerms[i]} ${stem}`)
        .filter((pair) => pairs.has(pair)),
    );
    return (1 - PAIR_WEIGHT) * coverage + PAIR_WEIGHT * (kept.size / pairs.size);
  });
}

const PAIR_WEIGHT = 0.1;

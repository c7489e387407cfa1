import { stemmer } from "stemmer";
import { LexicalIndex } from "./lexical.js";
import { STOPWORDS, splitSentences, terms, words } from "./text.js";

/** A passage's sentences; list items count as sentences of their own. */
export function passageSentences(text: string): string[] {
  return text.split("\n").flatMap((line) => splitSentences(line.replace(/^•\s*/, "")).map((sentence) => sentence.text));
}

/**
 * How fully each sentence answers the question's words: the IDF-weighted share of question terms it contains,
 * a synonym counting half.
 */
export function sentenceCoverage(question: string, sentences: string[], lexical: LexicalIndex): number[] {
  const wanted = [...new Set(words(question).filter((word) => !STOPWORDS.has(word)).map((word) => stemmer(word.replace(/'s$/, ""))))];
  const total = wanted.reduce((sum, stem) => sum + lexical.idf(stem), 0);
  if (total === 0) return sentences.map(() => 0);
  return sentences.map((sentence) => {
    const present = new Set(terms(sentence));
    return (
      wanted.reduce((sum, stem) => {
        if (present.has(stem)) return sum + lexical.idf(stem);
        return LexicalIndex.expand(stem).some((synonym) => present.has(synonym)) ? sum + lexical.idf(stem) / 2 : sum;
      }, 0) / total
    );
  });
}

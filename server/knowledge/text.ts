import { stemmer } from "stemmer";

/** Normalises text for comparing and matching: NFKC, straight quotes, one kind of dash, single spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/** Splits prose into sentences (ICU rules), keeping each sentence's offset in the input. */
export function splitSentences(text: string): Array<{ text: string; start: number }> {
  const sentences: Array<{ text: string; start: number }> = [];
  for (const { segment, index } of sentenceSegmenter.segment(text)) {
    const trimmed = segment.trim();
    if (!trimmed) continue;
    const start = index + segment.indexOf(trimmed);
    const previous = sentences.at(-1);
    // ICU breaks after "e.g." / "i.e." / "No." and after a lone list number; such a piece belongs to its neighbour.
    if (
      previous &&
      (/\b(e\.g|i\.e|etc|vs|no|art|sec|inc|ltd|co)\.$/i.test(previous.text) || /^\(?(\d+(\.\d+)*|[a-z])[.)]$/i.test(previous.text))
    ) {
      previous.text = text.slice(previous.start, start + trimmed.length);
      continue;
    }
    sentences.push({ text: trimmed, start });
  }
  return sentences;
}

/** Words that carry no meaning for retrieval. */
export const STOPWORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both but by
  can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
  have haven't having he her here hers herself him himself his how i i'd i'm i've if in into is isn't it it's its itself let's me
  more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she should
  shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they're this those
  through to too under until up very was wasn't we we'd we're we've were weren't what what's when where which while who whom why
  with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves will shall may might must also us`.split(/\s+/),
);

const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

/** Lower-cased word tokens, without stemming. */
export function words(text: string): string[] {
  return normalizeText(text).toLowerCase().match(WORD) ?? [];
}

/** Index terms: lower case, stop words dropped, Porter-stemmed. */
export function terms(text: string): string[] {
  return words(text)
    .filter((word) => !STOPWORDS.has(word))
    .map((word) => stemmer(word.replace(/'s$/, "")));
}

/** URL-safe anchor for a heading, as GitHub-style slugs. */
export function slugify(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .replace(/-+/g, "-")
    .slice(0, 80);
}

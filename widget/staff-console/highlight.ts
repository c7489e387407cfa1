import { stemmer } from "stemmer";

/** A run of passage text, marked when it matches a word of the query. Rendered as text, never as HTML. */
export interface Segment {
  text: string;
  match: boolean;
}

const STOP_WORDS = new Set(
  "a an and are as at be by can do does for from how i in is it my of on or our the their this to we what when where which who why will with you your".split(
    " ",
  ),
);

const WORD = /[\p{L}\p{N}]+(?:['’][sS])?/gu;

/** The same Porter stem the server's keyword index uses, so the marked words are the ones that made a passage match. */
function stemOf(word: string): string {
  return stemmer(word.toLowerCase().replace(/['’]s$/, ""));
}

/**
 * The stems of a search query worth highlighting: stop words and one-letter words dropped, duplicates removed.
 * @example queryTerms("What chat data do you keep? Cookies") // ["chat", "data", "keep", "cooki"]
 */
export function queryTerms(query: string): string[] {
  const words = query.match(WORD) ?? [];
  const terms = words.filter((word) => word.length > 1 && !STOP_WORDS.has(word.toLowerCase())).map(stemOf);
  return [...new Set(terms)];
}

/**
 * Splits `text` into segments, marking each word whose stem is a query term's stem ("chat" marks "chats"
 * but not "chatbot"; "data" does not mark "database").
 * @example highlightSegments("Chat data is kept", "chat data")
 * // [{text:"Chat",match:true},{text:" ",match:false},{text:"data",match:true},{text:" is kept",match:false}]
 */
export function highlightSegments(text: string, query: string): Segment[] {
  const terms = new Set(queryTerms(query));
  if (terms.size === 0 || text.length === 0) return text ? [{ text, match: false }] : [];
  const segments: Segment[] = [];
  let last = 0;
  for (const found of text.matchAll(WORD)) {
    if (!terms.has(stemOf(found[0]))) continue;
    if (found.index > last) segments.push({ text: text.slice(last, found.index), match: false });
    segments.push({ text: found[0], match: true });
    last = found.index + found[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), match: false });
  return segments;
}

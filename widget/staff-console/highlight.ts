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

/**
 * The words of a search query worth highlighting: lower-cased, stop words and one-letter words dropped,
 * a plural "s" trimmed so that "cookies" also finds "cookie".
 * @example queryTerms("What chat data do you keep?") // ["chat", "data", "keep"]
 */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = words
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word));
  return [...new Set(terms)];
}

/**
 * Splits `text` into segments, marking each word that starts with a query term ("chat" marks "chats" and "chatbot").
 * @example highlightSegments("Chat data is kept", "chat data")
 * // [{text:"Chat",match:true},{text:" ",match:false},{text:"data",match:true},{text:" is kept",match:false}]
 */
export function highlightSegments(text: string, query: string): Segment[] {
  const terms = queryTerms(query).sort((a, b) => b.length - a.length);
  if (terms.length === 0 || text.length === 0) return text ? [{ text, match: false }] : [];
  const escaped = terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join("|")})[\\p{L}\\p{N}]*`, "giu");
  const segments: Segment[] = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    const start = found.index;
    if (start > last) segments.push({ text: text.slice(last, start), match: false });
    segments.push({ text: found[0], match: true });
    last = start + found[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), match: false });
  return segments;
}

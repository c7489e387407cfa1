import { webHref } from "../../server/contract/html.js";
import type { Citation } from "../../server/contract/index.js";

export interface CitationCard {
  /** 1-based, matching the [n] markers an answer may carry. */
  number: number;
  title: string;
  section: string;
  /** The excerpt shown when the source is expanded: centred on the answer's quote where the passage holds it. */
  quote: string;
  /** Where the answer's quote sits in `quote` ([start, end) offsets), to be highlighted; absent when it is not there. */
  highlight?: [number, number];
  /** Only http(s) links survive; anything else (javascript:, data:) leaves the card without a link. */
  href: string | undefined;
}

export const MAX_QUOTE_LENGTH = 240;

/**
 * Turns the server's citations into numbered cards, dropping repeats of the same passage. Given the
 * sentences the answer quotes, each card's excerpt is centred on them.
 * @example citationCards([{ title: "Privacy Policy", section: "Retention", text: "We keep…", url: "https://x/p#r", score: 1 }])[0].number === 1
 */
export function citationCards(citations: readonly Citation[], answerQuote = ""): CitationCard[] {
  const seen = new Set<string>();
  const cards: CitationCard[] = [];
  for (const citation of citations) {
    const key = `${citation.url}\u0000${citation.section}\u0000${citation.text.slice(0, 80)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    cards.push({
      number: cards.length + 1,
      title: collapse(citation.title) || "Policy",
      section: collapse(citation.section),
      ...excerptAround(citation.text, answerQuote),
      href: webHref(citation.url),
    });
  }
  return cards;
}

/** Cuts a passage at a word boundary so a card stays readable; the link leads to the whole section. */
export function shortenQuote(text: string, limit = MAX_QUOTE_LENGTH): string {
  const flat = collapse(text);
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > limit * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

/**
 * The words an answer quotes: its Markdown block quotes, without the Markdown.
 * @example quotedText("> We keep chat data for 30 days.\n\n— *Policy* [1]") === "We keep chat data for 30 days."
 */
export function quotedText(markdown: string): string {
  const lines = markdown.split("\n").filter((line) => line.startsWith(">"));
  return collapse(lines.map((line) => line.replace(/^>+\s?/, "").replace(/[*_`]/g, "")).join(" "));
}

/**
 * A window of about `limit` characters of the passage, centred on the first of the quote's sentences it
 * holds (with the following ones, when they are adjacent); the start of the passage when it holds none.
 * @example excerptAround("A. B. C.", "B.").highlight // [3, 5]
 */
export function excerptAround(text: string, quote: string, limit = MAX_QUOTE_LENGTH): Pick<CitationCard, "quote" | "highlight"> {
  const flat = collapse(text.replace(/^• /gm, ""));
  const sentences = collapse(quote)
    .split(/(?<=[.!?…])\s+/)
    .filter((sentence) => sentence.length > 12);
  const lower = flat.toLowerCase();
  let start = -1;
  let end = -1;
  for (const sentence of sentences) {
    const at = lower.indexOf(sentence.toLowerCase(), end < 0 ? 0 : end);
    if (at < 0) continue;
    if (start < 0) start = at;
    else if (at - end > 2) break;
    end = at + sentence.length;
  }
  if (start < 0) return { quote: shortenQuote(flat, limit) };
  const room = Math.max(0, limit - (end - start));
  let from = Math.max(0, start - Math.floor(room / 2));
  let to = Math.min(flat.length, end + (room - (start - from)));
  from = Math.max(0, Math.min(from, start - (limit - (to - start))));
  if (from > 0) from = Math.min(start, flat.indexOf(" ", from) + 1 || start);
  if (to < flat.length) to = Math.max(end, flat.lastIndexOf(" ", to));
  const before = from > 0 ? "…" : "";
  const after = to < flat.length ? "…" : "";
  const excerpt = `${before}${flat.slice(from, to)}${after}`;
  const offset = before.length - from;
  return { quote: excerpt, highlight: [start + offset, end + offset] };
}

/** A contact from the policy's front matter as a link: an e-mail address becomes mailto:, a URL stays a URL. */
export function contactHref(contact: string): string | undefined {
  const trimmed = contact.trim();
  if (/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(trimmed)) return `mailto:${trimmed}`;
  if (/^mailto:[^\s@<>"]+@[^\s@<>"]+$/i.test(trimmed)) return trimmed;
  return webHref(trimmed);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

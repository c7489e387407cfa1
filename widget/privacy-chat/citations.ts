import type { Citation } from "../../server/knowledge/types.js";

export interface CitationCard {
  /** 1-based, matching the [n] markers an answer may carry. */
  number: number;
  title: string;
  section: string;
  quote: string;
  /** Only http(s) links survive; anything else (javascript:, data:) leaves the card without a link. */
  href: string | undefined;
}

export const MAX_QUOTE_LENGTH = 240;

/**
 * Turns the server's citations into numbered cards, dropping repeats of the same passage.
 * @example citationCards([{ title: "Privacy Policy", section: "Retention", text: "We keep…", url: "https://x/p#r", score: 1 }])[0].number === 1
 */
export function citationCards(citations: readonly Citation[]): CitationCard[] {
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
      quote: shortenQuote(citation.text),
      href: safeHref(citation.url),
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

/** Accepts absolute http(s) URLs only. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A contact from the policy's front matter as a link: an e-mail address becomes mailto:, a URL stays a URL. */
export function contactHref(contact: string): string | undefined {
  const trimmed = contact.trim();
  if (/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(trimmed)) return `mailto:${trimmed}`;
  if (/^mailto:[^\s@<>"]+@[^\s@<>"]+$/i.test(trimmed)) return trimmed;
  return safeHref(trimmed);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";

/** What a policy page yields: clean article HTML plus the fields front matter may lack. */
export interface ExtractedPolicy {
  title?: string;
  organization?: string;
  /** ISO date (YYYY-MM-DD) from the page's "Last updated" line. */
  lastRevised?: string;
  /** The line itself, kept in the article. */
  lastUpdatedLine?: string;
  contact?: string;
  /** `<h1>` and the article body: no scripts, banners, dialogs or navigation; tables keep their rows. */
  html: string;
  /** Headings of the article, in order (for the changelog). */
  headings: string[];
}

/** Consent banners and other overlays that are not part of any policy, dropped before Readability scores the page. */
const NOT_CONTENT = [
  "script",
  "style",
  "noscript",
  "template",
  "nav",
  "footer",
  "form",
  "button",
  "dialog",
  "[role=dialog]",
  "[role=alertdialog]",
  "[role=navigation]",
  "[aria-modal=true]",
  "[id*=cookie i]",
  "[class*=cookie i]",
  "[id*=consent i]",
  "[class*=consent i]",
  "[id*=banner i]",
  "[class*=banner i]",
].join(", ");

const LAST_UPDATED =
  /\b(?:last\s+(?:updated|revised|modified|changed)|effective(?:\s+(?:date|as\s+of))?|updated(?:\s+on)?)\s*:?\s*([A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\s+\d{4})/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const TITLE_SEPARATOR = /\s+[|\u2013\u2014\-:·•]\s+/;

/**
 * Extracts a policy from a fetched page with Mozilla's Readability on a linkedom DOM. Banners, dialogs and
 * navigation are removed first; the article's own heading and "Last updated" line are put back at the top
 * when Readability lifted them out (it treats a heading that repeats the title as chrome).
 */
export function extractPolicy(pageHtml: string, pageUrl: string): ExtractedPolicy {
  const { document } = parseHTML(pageHtml);
  const pageTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  const siteName = document.querySelector('meta[property="og:site_name"]')?.getAttribute("content")?.trim();
  const heading = document.querySelector("main h1, article h1, h1")?.textContent?.trim();
  const updated = LAST_UPDATED.exec(document.body?.textContent ?? "");
  for (const element of [...document.querySelectorAll(NOT_CONTENT)]) element.remove();
  const mailto = document
    .querySelector('a[href^="mailto:"]')
    ?.getAttribute("href")
    ?.replace(/^mailto:/i, "")
    .split("?")[0];

  const article = new Readability(document as unknown as Document, { keepClasses: false }).parse();
  if (!article?.content) throw new Error("no article text found on the page");
  const { document: content } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
  for (const element of [...content.querySelectorAll("img, picture, svg, iframe, video, audio")]) element.remove();
  // An article's own <header> holds its <h1> and "Last updated" line: keep them, lose the wrapper (ingest skips <header>).
  for (const element of [...content.querySelectorAll("header")]) element.replaceWith(...element.childNodes);
  for (const element of [...content.querySelectorAll("*")]) {
    for (const attribute of [...element.attributes])
      if (!["href", "id", "colspan", "rowspan"].includes(attribute.name)) element.removeAttribute(attribute.name);
  }
  const title = heading || article.title?.trim() || pageTitle.split(TITLE_SEPARATOR)[0];
  let html = content.body.innerHTML.trim();
  const text = content.body.textContent ?? "";
  const updatedLine = updated ? normalizeSpace(updated[0]) : undefined;
  if (updatedLine && !normalizeSpace(text).includes(updatedLine)) html = `<p>${escapeHtml(updatedLine)}</p>\n${html}`;
  if (title && !content.querySelector("h1")) html = `<h1>${escapeHtml(title)}</h1>\n${html}`;
  const { document: final } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return {
    title,
    organization:
      siteName || article.siteName?.trim() || pageTitle.split(TITLE_SEPARATOR).slice(1).join(" ").trim() || new URL(pageUrl).hostname,
    lastRevised: updated?.[1] ? isoDate(updated[1]) : undefined,
    lastUpdatedLine: updatedLine,
    contact: mailto || EMAIL.exec(text)?.[0],
    html,
    headings: [...final.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => normalizeSpace(h.textContent ?? "")),
  };
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** "March 3, 2025", "3 March 2025", "2025-03-03" or "March 2025" as an ISO date (month precision for the last). */
export function isoDate(text: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const monthOnly = /^([A-Z][a-z]+)\s+(\d{4})$/i.exec(text.trim());
  if (monthOnly) {
    const parsed = new Date(`${monthOnly[1]} 1, ${monthOnly[2]} 12:00 UTC`);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString().slice(0, 7);
  }
  const parsed = new Date(`${text.replace(/\./g, "")} 12:00 UTC`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString().slice(0, 10);
}

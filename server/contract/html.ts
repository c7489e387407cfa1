/**
 * Escapes text for HTML element content and quoted attribute values; the server's demo page and the widget's
 * Markdown renderer both use it. This file imports nothing.
 * @example escapeHtml(`<a href="x">`) === "&#60;a href=&#34;x&#34;&#62;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * An absolute http(s) URL as a link target, else undefined: the only links the corpus may carry (ingest drops any
 * other `url`) and the only ones the widget and the console render (a `javascript:` URL stays text).
 * @example webHref("javascript:alert(1)") === undefined
 */
export function webHref(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Escapes text for HTML element content and quoted attribute values; the server's demo page and the widget's
 * Markdown renderer both use it. Imports nothing.
 * @example escapeHtml(`<a href="x">`) === "&#60;a href=&#34;x&#34;&#62;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

import { Marked } from "marked";
import { escapeHtml, webHref } from "../../server/contract/html.js";

const HTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

/** Elements marked produces for the Markdown an answer uses; everything else is unwrapped to its text. */
const ALLOWED_ELEMENTS = new Set([
  "P",
  "BR",
  "HR",
  "STRONG",
  "EM",
  "DEL",
  "CODE",
  "PRE",
  "BLOCKQUOTE",
  "UL",
  "OL",
  "LI",
  "A",
  "H3",
  "H4",
  "H5",
  "H6",
  "TABLE",
  "THEAD",
  "TBODY",
  "TR",
  "TH",
  "TD",
]);

/** Elements whose content is not prose: dropped whole rather than unwrapped. */
const DROPPED_ELEMENTS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IFRAME", "OBJECT", "EMBED", "SVG", "MATH"]);

/**
 * Raw HTML inside Markdown is shown as text, never parsed: a policy that contains `<script>` displays
 * those characters. Headings start at h3 because the panel's own title is the h2.
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    heading({ tokens, depth }) {
      const level = Math.max(depth, 3);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

/**
 * Markdown from the API as DOM nodes that cannot run script.
 *
 * marked's HTML is parsed in an inert <template> (nothing loads, no handler fires) and then rebuilt
 * from scratch: only allow-listed elements are created, the only attributes copied are an http(s) or
 * mailto `href` and a `title`. The result is inserted as nodes, never re-serialised and re-parsed, so
 * there is no second parse for a payload to change meaning in.
 */
export function renderMarkdown(source: string, doc: Document = document): HTMLElement {
  const template = doc.createElement("template");
  template.innerHTML = markdown.parse(source) as string;
  const container = doc.createElement("div");
  rebuild(template.content, container, doc);
  return container;
}

function rebuild(from: Node, to: Node, doc: Document): void {
  for (const child of Array.from(from.childNodes)) {
    if (child.nodeType === 3) {
      to.appendChild(doc.createTextNode(child.textContent ?? ""));
      continue;
    }
    if (child.nodeType !== 1) continue;
    const element = child as Element;
    const tag = element.tagName.toUpperCase();
    if (DROPPED_ELEMENTS.has(tag) || element.namespaceURI !== HTML_NAMESPACE) continue;
    if (!ALLOWED_ELEMENTS.has(tag)) {
      rebuild(element, to, doc);
      continue;
    }
    const href = tag === "A" ? linkHref(element.getAttribute("href") ?? "") : undefined;
    // A link whose target was refused stays as its words, not as something that looks clickable.
    if (tag === "A" && !href) {
      rebuild(element, to, doc);
      continue;
    }
    const copy = doc.createElement(tag.toLowerCase());
    const title = element.getAttribute("title");
    if (title) copy.setAttribute("title", title);
    if (href) {
      copy.setAttribute("href", href);
      copy.setAttribute("target", "_blank");
      copy.setAttribute("rel", "noopener noreferrer nofollow");
    }
    rebuild(element, copy, doc);
    to.appendChild(copy);
  }
}

/** Links in answers may open web pages or write an e-mail; no other scheme survives. */
export function linkHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^mailto:[^\s<>"]+$/i.test(trimmed)) return trimmed;
  return webHref(trimmed);
}

import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { marked, type Token, type Tokens } from "marked";
import { parse as parseHtml, type HTMLElement, NodeType, type Node } from "node-html-parser";
import { parse as parseYaml } from "yaml";
import { webHref } from "../contract/html.js";
import { normalizeText } from "./text.js";

/** A structural piece of a document, with its character offsets in the source file. */
export interface Block {
  kind: "heading" | "paragraph" | "item";
  /** Heading level 1-6; 0 for prose. */
  level: number;
  text: string;
  start: number;
  end: number;
}

export interface DocumentMeta {
  title: string;
  organization?: string;
  url?: string;
  lastRevised?: string;
  contact?: string;
}

/** Front-matter fields corpus/README.md requires: citations and /api/sites show them. */
export const REQUIRED_FIELDS = ["title", "organization", "url"] as const;

export interface PolicyDocument {
  site: string;
  /** "<site>/<file>", stable across runs. */
  id: string;
  path: string;
  format: "md" | "html" | "txt";
  meta: DocumentMeta;
  blocks: Block[];
  /** SHA-256 of the file's bytes. */
  hash: string;
  /** Required front-matter fields the document lacks (ingest warns about each). */
  missing: string[];
}

export interface LoadFailure {
  path: string;
  reason: string;
}

export const DOCUMENT_EXTENSIONS = [".md", ".html", ".htm", ".txt"] as const;

/** Lists the policy files of a corpus: corpus/<site>/<document>.{md,html,txt}. */
export async function listCorpus(corpusDir: string): Promise<Array<{ site: string; path: string }>> {
  const sites = await readdir(corpusDir, { withFileTypes: true });
  const files: Array<{ site: string; path: string }> = [];
  for (const site of sites.filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))) {
    const entries = await readdir(path.join(corpusDir, site.name), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && DOCUMENT_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
        files.push({ site: site.name, path: path.join(corpusDir, site.name, entry.name) });
      }
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Reads and parses every document; a file that fails is reported by name and the rest still load. */
export async function loadCorpus(corpusDir: string): Promise<{ documents: PolicyDocument[]; failures: LoadFailure[] }> {
  const documents: PolicyDocument[] = [];
  const failures: LoadFailure[] = [];
  for (const file of await listCorpus(corpusDir)) {
    try {
      documents.push(await loadDocument(file.site, file.path));
    } catch (error) {
      failures.push({ path: file.path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { documents, failures };
}

export async function loadDocument(site: string, filePath: string): Promise<PolicyDocument> {
  const bytes = await readFile(filePath);
  const source = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  return parseDocument(site, filePath, source, createHash("sha256").update(bytes).digest("hex"));
}

export function parseDocument(site: string, filePath: string, source: string, hash: string): PolicyDocument {
  const lower = filePath.toLowerCase();
  const format = lower.endsWith(".md") ? "md" : lower.endsWith(".txt") ? "txt" : "html";
  const { data, body, offset } = splitFrontMatter(source);
  const parsed = format === "md" ? markdownBlocks(body) : format === "txt" ? textBlocks(body) : htmlBlocks(body);
  const blocks = dropRepeats(parsed.map((block) => ({ ...block, start: block.start + offset, end: block.end + offset })));
  if (blocks.length === 0) throw new Error("no text found in the document");
  const firstHeading = blocks.find((block) => block.kind === "heading");
  const title = stringField(data, "title") ?? parsed.title ?? firstHeading?.text ?? path.basename(filePath);
  // Only an http(s) address is a link anyone may follow; any other `url` (a `javascript:` one) is dropped here.
  const givenUrl = stringField(data, "url");
  const url = givenUrl !== undefined && webHref(givenUrl) ? givenUrl.trim() : undefined;
  return {
    site,
    id: `${site}/${path.basename(filePath)}`,
    path: filePath,
    format,
    meta: {
      title,
      organization: stringField(data, "organization"),
      url,
      lastRevised: stringField(data, "lastRevised"),
      contact: stringField(data, "contact"),
    },
    blocks,
    hash,
    missing: REQUIRED_FIELDS.flatMap((field) =>
      field === "url" && givenUrl !== undefined && !url ? ["url as an http(s) address"] : stringField(data, field)?.trim() ? [] : [field],
    ),
  };
}

function stringField(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function splitFrontMatter(source: string): { data: Record<string, unknown>; body: string; offset: number } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return { data: {}, body: source, offset: 0 };
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? "");
  } catch (error) {
    throw new Error(`front matter is not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  if (data !== null && (typeof data !== "object" || Array.isArray(data))) throw new Error("front matter must be a YAML mapping");
  return { data: (data ?? {}) as Record<string, unknown>, body: source.slice(match[0].length), offset: match[0].length };
}

type ParsedBlocks = Block[] & { title?: string };

function markdownBlocks(body: string): ParsedBlocks {
  const blocks: ParsedBlocks = [];
  const push = (kind: Block["kind"], level: number, text: string, raw: string, from: number) => {
    const clean = normalizeText(text);
    if (!clean) return;
    const start = Math.max(body.indexOf(raw.trim(), from), from);
    blocks.push({ kind, level, text: clean, start, end: start + raw.trim().length });
  };
  const visit = (tokens: Token[], base: number) => {
    let position = base;
    for (const token of tokens) {
      const start = body.indexOf(token.raw, position) >= 0 ? body.indexOf(token.raw, position) : position;
      if (token.type === "heading") push("heading", (token as Tokens.Heading).depth, inlineText(token), token.raw, start);
      else if (token.type === "paragraph" || token.type === "text") push("paragraph", 0, inlineText(token), token.raw, start);
      else if (token.type === "list") {
        for (const item of (token as Tokens.List).items) {
          const itemStart = body.indexOf(item.raw, start);
          const nested = item.tokens.filter((child) => child.type === "list");
          push(
            "item",
            0,
            inlineText({ ...item, tokens: item.tokens.filter((child) => child.type !== "list") } as Token),
            item.raw,
            itemStart,
          );
          if (nested.length > 0) visit(nested, itemStart);
        }
      } else if (token.type === "blockquote") visit((token as Tokens.Blockquote).tokens, start);
      else if (token.type === "table") {
        const table = token as Tokens.Table;
        for (const row of table.rows) push("item", 0, row.map((cell) => cell.text).join(" | "), token.raw, start);
      } else if (token.type === "html")
        blocks.push(...htmlBlocks(token.raw).map((block) => ({ ...block, start: start + block.start, end: start + block.end })));
      position = start + token.raw.length;
    }
  };
  visit(marked.lexer(body), 0);
  return blocks;
}

function inlineText(token: Token): string {
  if ("tokens" in token && Array.isArray(token.tokens) && token.tokens.length > 0) {
    return token.tokens.map((child) => inlineText(child)).join(token.type === "list_item" ? " " : "");
  }
  if (token.type === "br") return " ";
  if (token.type === "html") return "";
  return "text" in token && typeof token.text === "string" ? decodeEntities(token.text) : "";
}

function decodeEntities(text: string): string {
  return parseHtml(`<p>${text}</p>`).textContent;
}

const HTML_BLOCKS = new Set(["p", "li", "td", "th", "dd", "dt", "blockquote", "pre", "figcaption"]);
const HTML_SKIPPED = new Set(["script", "style", "noscript", "nav", "footer", "template", "svg", "form", "button", "dialog"]);
const OVERLAY_ROLES = new Set(["dialog", "alertdialog", "navigation", "banner"]);

/** Consent banners and other overlays: a dialog role or aria-modal, whatever the tag. */
function isOverlay(element: HTMLElement): boolean {
  return OVERLAY_ROLES.has(element.getAttribute("role") ?? "") || element.getAttribute("aria-modal") === "true";
}

function htmlBlocks(body: string): ParsedBlocks {
  const root = parseHtml(body, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const blocks: ParsedBlocks = [];
  const title = root.querySelector("title")?.textContent;
  if (title) blocks.title = normalizeText(title);
  const walk = (node: Node) => {
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const element = node as HTMLElement;
    const tag = element.rawTagName?.toLowerCase() ?? "";
    if (HTML_SKIPPED.has(tag) || tag === "title" || tag === "head" || isOverlay(element)) return;
    // A page's <header> is chrome, but an article's own <header> holds its <h1> and "Last updated" line.
    if (tag === "header" && !element.closest("article, main")) return;
    const heading = /^h([1-6])$/.exec(tag);
    const [start, end] = element.range;
    if (heading) {
      blocks.push({ kind: "heading", level: Number(heading[1]), text: normalizeText(element.textContent), start, end });
      return;
    }
    // A table row is one item, its cells joined, so "Server logs | 90 days | Security" stays together.
    if (tag === "tr") {
      const cells = element
        .querySelectorAll("td, th")
        .map((cell) => normalizeText(cell.textContent))
        .filter(Boolean);
      if (cells.length > 0) blocks.push({ kind: "item", level: 0, text: cells.join(" | "), start, end });
      return;
    }
    if (HTML_BLOCKS.has(tag) && !element.querySelector("p, li, ul, ol, table, h1, h2, h3, h4, h5, h6")) {
      const text = normalizeText(element.textContent);
      if (text) blocks.push({ kind: tag === "li" || tag === "td" || tag === "th" ? "item" : "paragraph", level: 0, text, start, end });
      return;
    }
    const before = blocks.length;
    element.childNodes.forEach(walk);
    // Loose text directly inside a <div> or <body> still counts as prose.
    if (blocks.length === before && tag !== "" && !HTML_BLOCKS.has(tag)) {
      const text = normalizeText(element.textContent);
      if (
        text &&
        element.childNodes.every(
          (child) =>
            child.nodeType !== NodeType.ELEMENT_NODE ||
            !["div", "section", "article"].includes((child as HTMLElement).rawTagName?.toLowerCase() ?? ""),
        )
      ) {
        blocks.push({ kind: "paragraph", level: 0, text, start, end });
      }
    }
  };
  root.childNodes.forEach(walk);
  return blocks;
}

const BULLET = /^\s*(?:[-*•●▪◦]|\d{1,3}[.)])\s+/;

/** Plain text: blank lines separate blocks, bullet lines are list items, a short line standing alone is a heading. */
function textBlocks(body: string): ParsedBlocks {
  const blocks: ParsedBlocks = [];
  const lines = body.split("\n");
  let offset = 0;
  lines.forEach((line, index) => {
    const start = offset;
    offset += line.length + 1;
    const text = normalizeText(line.replace(BULLET, ""));
    if (!text) return;
    const alone = !lines[index - 1]?.trim() && !lines[index + 1]?.trim();
    if (BULLET.test(line)) blocks.push({ kind: "item", level: 0, text, start, end: start + line.length });
    else if (alone && text.length <= 80 && !/[.;:,!?]$/.test(text) && /^[\p{Lu}\d]/u.test(text)) {
      blocks.push({ kind: "heading", level: 2, text, start, end: start + line.length });
    } else blocks.push({ kind: "paragraph", level: 0, text, start, end: start + line.length });
  });
  return blocks;
}

/**
 * Scraped pages repeat blocks (accordions, several renderings of one policy): a prose block is kept once per
 * heading, so copies of a section collapse while a passage the policy itself repeats under another heading stays.
 */
function dropRepeats(blocks: Block[]): Block[] {
  const seen = new Set<string>();
  let heading = "";
  return blocks.filter((block) => {
    if (block.kind === "heading") {
      heading = block.text.toLowerCase();
      return true;
    }
    if (block.text.length < 40) return true;
    const key = `${heading}\n${block.text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

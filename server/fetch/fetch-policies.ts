import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { listCorpus } from "../knowledge/load.js";
import { appendChangelog } from "./changelog.js";
import { extractPolicy } from "./extract.js";

export interface FetchOptions {
  corpusDir: string;
  /** Only this site's documents. */
  site?: string;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface FetchOutcome {
  document: string;
  source: string;
  outcome: "changed" | "unchanged" | "failed";
  detail: string;
}

/** Fields a fetch may fill from the page; they are refreshed on every fetch until someone writes them by hand. */
const FROM_PAGE = ["title", "organization", "lastRevised", "contact"] as const;
const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const TIMEOUT_MS = 20_000;

/**
 * For each corpus document whose front matter names `source: <url>`: downloads the page, extracts the policy
 * (server/fetch/extract.ts), and when the text changed, saves it under the same front matter and notes the change in
 * the site's changelog. The running server's corpus watch re-indexes the saved file; otherwise the next start does.
 * Fields the front matter lacks are filled from the page and listed in `filledFromPage`.
 */
export async function fetchPolicies({ corpusDir, site, now = () => new Date(), log = () => {} }: FetchOptions): Promise<FetchOutcome[]> {
  const files = await listCorpus(corpusDir);
  if (site && !files.some((file) => file.site === site))
    throw new Error(`unknown site "${site}" (no folder ${path.join(corpusDir, site)})`);
  const outcomes: FetchOutcome[] = [];
  for (const file of files.filter((f) => !site || f.site === site)) {
    const text = await readFile(file.path, "utf8");
    const match = FRONT_MATTER.exec(text);
    const data = (match ? parseYaml(match[1] ?? "") : {}) as Record<string, unknown> | null;
    const source = typeof data?.source === "string" ? data.source : undefined;
    if (!source || !data) continue;
    const document = `${file.site}/${path.basename(file.path)}`;
    const done = (outcome: FetchOutcome["outcome"], detail: string) => {
      outcomes.push({ document, source, outcome, detail });
      log(`${outcome === "failed" ? "warn: " : ""}fetch ${document} from ${source}: ${detail}`);
    };
    if (!/\.html?$/i.test(file.path)) {
      done("failed", "`source:` needs an .html document (the page is saved as HTML)");
      continue;
    }
    try {
      const response = await fetch(source, {
        headers: { "user-agent": "privacy-policy-assistant/fetch-policies", accept: "text/html" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const page = extractPolicy(await response.text(), response.url || source);
      const filled = new Set(Array.isArray(data.filledFromPage) ? (data.filledFromPage as string[]) : []);
      const front: Record<string, unknown> = { ...data };
      for (const field of FROM_PAGE) {
        const fromPage = page[field];
        if ((front[field] === undefined || filled.has(field)) && fromPage) {
          front[field] = fromPage;
          filled.add(field);
        }
      }
      if (front.url === undefined) front.url = source;
      if (filled.size > 0) front.filledFromPage = [...filled];
      else delete front.filledFromPage;
      const oldBody = match ? text.slice(match[0].length) : text;
      const body = `${page.html}\n`;
      const saved = `---\n${stringifyYaml(front).trimEnd()}\n---\n${body}`;
      if (saved === text) {
        done("unchanged", "no change");
        continue;
      }
      await writeFile(`${file.path}.tmp`, saved);
      await rename(`${file.path}.tmp`, file.path);
      const sections = changedSections(oldBody, body);
      const date = now().toISOString().slice(0, 10);
      const first = !oldBody.trim();
      if (first || sections.length > 0) {
        const summary = first ? `first fetched on ${date}` : `changed on ${date}: sections ${sections.join(", ")}`;
        await appendChangelog(path.dirname(file.path), { date, document: path.basename(file.path), source, sections, summary });
        done("changed", summary);
      } else done("changed", "front matter updated; the text is the same");
    } catch (error) {
      done("failed", error instanceof Error ? error.message : String(error));
    }
  }
  return outcomes;
}

/** Headings whose text is new, gone or different between two saves of a page. */
export function changedSections(before: string, after: string): string[] {
  const a = sectionTexts(before);
  const b = sectionTexts(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((heading) => a.get(heading) !== b.get(heading));
}

function sectionTexts(html: string): Map<string, string> {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const sections = new Map<string, string>();
  let heading = "(top)";
  for (const element of document.querySelectorAll("h1, h2, h3, h4, h5, h6, p, li, tr, dt, dd, blockquote, pre")) {
    const text = (element.textContent ?? "").replace(/\s+/g, " ").trim();
    if (/^H[1-6]$/.test(element.tagName)) {
      heading = text;
      if (!sections.has(heading)) sections.set(heading, "");
    } else if (text) sections.set(heading, `${sections.get(heading) ?? ""}\n${text}`);
  }
  return sections;
}

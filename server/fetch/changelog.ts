import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** One change of a fetched policy page, as the staff console lists it. */
export interface ChangelogEntry {
  /** ISO day of the fetch that saw the change. */
  date: string;
  /** The corpus file, relative to its site folder. */
  document: string;
  source: string;
  /** Headings of the sections that are new, gone or changed ("(top)" for text before the first heading). */
  sections: string[];
  /** "changed on 2026-03-01: sections Cookies, Your rights", or "first fetched on …". */
  summary: string;
}

/** Kept in the site folder as a dotfile, so neither ingest nor the corpus watch takes it for a policy. */
export const CHANGELOG_FILE = ".changelog.json";

export async function readChangelog(siteDir: string): Promise<ChangelogEntry[]> {
  try {
    return JSON.parse(await readFile(path.join(siteDir, CHANGELOG_FILE), "utf8")) as ChangelogEntry[];
  } catch {
    return [];
  }
}

/** Newest first. */
export async function appendChangelog(siteDir: string, entry: ChangelogEntry): Promise<void> {
  const entries = [entry, ...(await readChangelog(siteDir))];
  const file = path.join(siteDir, CHANGELOG_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(entries, null, 1)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Every site's changelog, sites in name order, for GET /api/staff/changelog. */
export async function readChangelogs(corpusDir: string): Promise<Array<{ site: string; entries: ChangelogEntry[] }>> {
  const sites = (await readdir(corpusDir, { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith("."));
  const all = await Promise.all(
    sites.map(async (site) => ({ site: site.name, entries: await readChangelog(path.join(corpusDir, site.name)) })),
  );
  return all.filter((site) => site.entries.length > 0).sort((a, b) => a.site.localeCompare(b.site));
}

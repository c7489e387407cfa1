import { execFile } from "node:child_process";
import { open, readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const VITE = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
const LOCK = path.join(ROOT, "dist", ".build.lock");

/**
 * The widget's size limit (issue 4): what a host page loads up front (widget.js and the chunks it imports
 * statically: Lit, marked, the sanitiser and the chat element), gzipped. The request form and the German and
 * French strings are chunks loaded on demand (issue 11) and are reported beside it.
 */
export const WIDGET_GZIP_BUDGET = 35 * 1024;

interface Target {
  name: "widget" | "console";
  config: string;
  /** A file the build writes last-ish; its age decides whether the build is stale. */
  output: string;
  sources: string[];
}

/** The wire contract both clients import (types, and plain constants from its import-free files). */
const SHARED_SOURCES = ["package-lock.json", "server/contract"];

const TARGETS: Target[] = [
  {
    name: "widget",
    config: "vite.config.ts",
    output: "dist/widget/widget.js",
    sources: ["widget/privacy-chat", "widget/privacy-chat-intake", "vite.config.ts", ...SHARED_SOURCES],
  },
  {
    name: "console",
    config: "vite.console.config.ts",
    output: "dist/staff/index.html",
    sources: ["widget/staff-console", "vite.console.config.ts", ...SHARED_SOURCES],
  },
];

export interface WidgetSize {
  /** widget.js alone. */
  raw: number;
  gzip: number;
  /** widget.js and its static imports: what every host page loads, gzipped. The budget applies to this. */
  initialGzip: number;
  /** Every JavaScript file under dist/widget/, in case chunks are split off. */
  totalGzip: number;
  files: number;
}

export interface EnsureBuiltOptions {
  force?: boolean;
  log?: (line: string) => void;
}

/**
 * Builds the widget and the staff console when their output is missing or older than their sources,
 * so `npm start` and the browser tests always serve what the code says. Concurrent callers (parallel
 * test files) wait on a lock file rather than building over each other.
 * @example await ensureBuilt(); // then serve dist/
 */
export async function ensureBuilt({ force = false, log = (line) => console.log(line) }: EnsureBuiltOptions = {}) {
  const targets = await existingTargets();
  const built: string[] = [];
  if (!force && !(await anyStale(targets))) return { built, widget: await widgetSize() };
  const release = await acquireLock();
  try {
    for (const target of targets) {
      if (!force && !(await isStale(target))) continue;
      const started = Date.now();
      await promisify(execFile)(process.execPath, [VITE, "build", "-c", target.config, "--logLevel", "warn"], {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      });
      built.push(target.name);
      log(`build: ${target.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await release();
  }
  const widget = await widgetSize();
  if (widget && built.includes("widget")) log(describeSize(widget));
  return { built, widget };
}

export function describeSize({ raw, gzip, initialGzip, totalGzip, files }: WidgetSize): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  const chunks = files > 1 ? `; loaded up front ${kb(initialGzip)} gzipped, all ${files} files ${kb(totalGzip)}` : "";
  const verdict = initialGzip <= WIDGET_GZIP_BUDGET ? "within" : "OVER";
  return `widget.js: ${kb(raw)} raw, ${kb(gzip)} gzipped${chunks} (${verdict} the ${kb(WIDGET_GZIP_BUDGET)} budget)`;
}

/** Sizes of the built widget, or undefined when it has not been built. */
export async function widgetSize(distDir = path.join(ROOT, "dist", "widget")): Promise<WidgetSize | undefined> {
  const main = await readFile(path.join(distDir, "widget.js")).catch(() => undefined);
  if (!main) return undefined;
  const files = (await readdir(distDir, { recursive: true })).filter((file) => file.endsWith(".js"));
  const sizes = new Map<string, number>();
  for (const file of files) sizes.set(file, gzipSync(await readFile(path.join(distDir, file)), { level: 9 }).length);
  const totalGzip = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  // Static imports are the `import … from "./assets/…"` statements; `import("./assets/…")` loads on demand.
  const initial = new Set(["widget.js"]);
  for (const file of initial) {
    const code = await readFile(path.join(distDir, file), "utf8");
    for (const [, imported] of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w${},*\s]+from\s*)?["'`]\.\/(?:assets\/)?([\w.-]+\.js)["'`]/g)) {
      if (imported) initial.add(path.posix.join("assets", imported));
    }
  }
  const initialGzip = [...initial].reduce((sum, file) => sum + (sizes.get(file) ?? 0), 0);
  return { raw: main.length, gzip: gzipSync(main, { level: 9 }).length, initialGzip, totalGzip, files: files.length };
}

async function existingTargets(): Promise<Target[]> {
  const present = await Promise.all(TARGETS.map((target) => exists(path.join(ROOT, target.config))));
  return TARGETS.filter((_, i) => present[i]);
}

async function anyStale(targets: Target[]): Promise<boolean> {
  for (const target of targets) if (await isStale(target)) return true;
  return false;
}

async function isStale(target: Target): Promise<boolean> {
  const output = await stat(path.join(ROOT, target.output)).catch(() => undefined);
  if (!output) return true;
  let newest = 0;
  for (const source of target.sources) newest = Math.max(newest, await newestMtime(path.join(ROOT, source)));
  return newest > output.mtimeMs;
}

/** Tests do not go into the bundle, so editing one does not make the build stale. */
async function newestMtime(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return file.endsWith(".test.ts") ? 0 : info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(file)) newest = Math.max(newest, await newestMtime(path.join(file, entry)));
  return newest;
}

async function acquireLock(timeoutMs = 300_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  await import("node:fs/promises").then((fs) => fs.mkdir(path.dirname(LOCK), { recursive: true }));
  for (;;) {
    try {
      const handle = await open(LOCK, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(LOCK, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const held = await stat(LOCK).catch(() => undefined);
      // A lock older than any build is left over from a killed process.
      if (held && Date.now() - held.mtimeMs > 180_000) await rm(LOCK, { force: true });
      if (Date.now() > deadline) throw new Error(`build: waited too long for ${LOCK}; delete it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const force = !process.argv.includes("--if-stale");
  const { built, widget } = await ensureBuilt({ force });
  if (built.length === 0) console.log("build: up to date");
  if (!widget) {
    console.error("build: dist/widget/widget.js is missing after the build");
    process.exit(1);
  }
  if (built.length === 0) console.log(describeSize(widget));
  if (widget.initialGzip > WIDGET_GZIP_BUDGET) process.exit(1);
}

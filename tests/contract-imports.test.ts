import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONTRACT = path.join(ROOT, "server", "contract");
/** The contract files a client may take values from: they import nothing, so a bundle gains only their own bytes. */
const IMPORT_FREE = ["constants.ts", "errors.ts", "html.ts"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** Every import/export-from in a file, with whether it is type-only. */
function imports(file: string): Array<{ specifier: string; typeOnly: boolean }> {
  const text = readFileSync(file, "utf8");
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  for (const match of text.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+["']([^"']+)["']/gms)) {
    const names = match[3] ?? "";
    const allTypes =
      /^\{[^}]*\}$/s.test(names) &&
      names
        .slice(1, -1)
        .split(",")
        .every((n) => /^\s*(type\s+\S+.*)?\s*$/s.test(n));
    found.push({ specifier: match[4]!, typeOnly: Boolean(match[2]) || allTypes });
  }
  for (const match of text.matchAll(/^import\s+["']([^"']+)["']/gm)) found.push({ specifier: match[1]!, typeOnly: false });
  return found;
}

describe("the wire contract is the only road from the clients into server/", () => {
  const files = sourceFiles(path.join(ROOT, "widget"));

  it("finds the widget and console sources", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("no widget or console file imports anything from server/ other than server/contract/", () => {
    const offenders = files.flatMap((file) =>
      imports(file)
        .map(({ specifier }) => path.resolve(path.dirname(file), specifier))
        .filter((target) => target.startsWith(path.join(ROOT, "server") + path.sep) && !target.startsWith(CONTRACT + path.sep))
        .map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`),
    );
    expect(offenders).toEqual([]);
  });

  it("values come only from the contract's import-free files; schemas and routes are taken as types", () => {
    const offenders = files.flatMap((file) =>
      imports(file)
        .filter(({ typeOnly }) => !typeOnly)
        .map(({ specifier }) => path.resolve(path.dirname(file), specifier))
        .filter((target) => target.startsWith(CONTRACT + path.sep))
        .filter((target) => !IMPORT_FREE.includes(path.basename(target).replace(/\.js$/, ".ts")))
        .map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the import-free files really import nothing", () => {
    for (const name of IMPORT_FREE) expect(imports(path.join(CONTRACT, name)), name).toEqual([]);
  });
});

/** Packages whose code alone is tens of MB in every thread: the embedders load them when an embedder is created. */
const HEAVY = /^(@tensorflow\/|@energetic-ai\/|@xenova\/transformers|onnxruntime|sharp)/;

/** The packages a module loads through its static value imports, followed through the server's own modules. */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { specifier, typeOnly } of imports(file)) {
      if (typeOnly) continue;
      if (!specifier.startsWith(".")) packages.add(specifier);
      else visit(path.resolve(path.dirname(file), specifier).replace(/\.js$/, ".ts"));
    }
  };
  visit(entry);
  return packages;
}

describe("the request path loads no machine-learning library up front", () => {
  it("neither the server's main thread nor a question worker imports TensorFlow.js or transformers.js statically", () => {
    for (const entry of ["server/main.ts", "server/question-pool/worker.ts"]) {
      const packages = [...staticPackages(path.join(ROOT, entry))];
      expect(packages.length, entry).toBeGreaterThan(3);
      expect(
        packages.filter((name) => HEAVY.test(name)),
        entry,
      ).toEqual([]);
    }
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(os.tmpdir(), "cli-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = {
  ...process.env,
  CORPUS_DIR: path.join(root, "tests/fixtures/tiny-corpus"),
  INDEX_DIR: path.join(dir, "index"),
  DATA_DIR: dir,
  EMBEDDER: "use-lite",
};

function run(script: string, args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    timeout: 120_000,
  });
  const lines = result.stderr.split("\n").filter(Boolean);
  return { code: result.status, lines, stdout: result.stdout };
}

/** The last stderr line is the reason; no line of a stack trace anywhere. */
function expectOneLineReason(result: ReturnType<typeof run>, reason: RegExp) {
  expect(result.code).not.toBe(0);
  expect(result.lines.at(-1)).toMatch(reason);
  expect(result.lines.filter((line) => /^\s+at\s|node:internal|Error:/.test(line))).toEqual([]);
}

describe("CLIs on bad input", () => {
  it("eval: a missing file, a file that is not JSON, a file of the wrong format", () => {
    expectOneLineReason(run("eval", ["missing.json"]), /^error: missing\.json: no such file$/);
    const notJson = path.join(dir, "broken.json");
    writeFileSync(notJson, "{ questions: ");
    expectOneLineReason(run("eval", [notJson]), /^error: .*broken\.json is not JSON: /);
    const wrong = path.join(dir, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ hello: "world" }));
    expectOneLineReason(run("eval", [wrong]), /is neither the seed format/);
  }, 120_000);

  it("ask: an unknown site and a missing question; an unknown option", () => {
    expectOneLineReason(run("ask", ["--site", "nosuchsite", "Do you sell my data?"]), /^error: unknown site "nosuchsite"; sites: acme$/);
    expectOneLineReason(run("ask", ["--site", "acme"]), /^error: usage: npm run ask/);
    const unknown = run("ask", ["--sight", "acme", "hi"]);
    expectOneLineReason(unknown, /^error: Unknown option '--sight'/);
    expect(unknown.code).toBe(2);
  }, 120_000);

  it("ingest: a corpus folder that does not exist; bench: a missing question file; any: bad configuration", () => {
    expectOneLineReason(run("ingest", ["--corpus", path.join(dir, "nope")]), /^error: corpus folder .*nope does not exist/);
    expectOneLineReason(run("bench", ["nope.json"]), /^error: nope\.json: no such file$/);
    expectOneLineReason(run("ask", ["--site", "acme", "hi"], { PORT: "eighty" }), /^error: Bad configuration: PORT: Expected number/);
  }, 120_000);
});

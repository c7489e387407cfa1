import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createApp } from "../server/app.js";
import { readEnv } from "../server/env.js";
import { fetchPolicies } from "../server/fetch/fetch-policies.js";
import { createAssistant } from "../server/assistant.js";
import { embedderFromEnv, ingest, openKnowledge } from "../server/knowledge/index.js";
import { loadDocument } from "../server/knowledge/load.js";
import { IndexStore } from "../server/knowledge/store.js";
import { createMetrics } from "../server/ops/metrics.js";

const root = path.resolve(import.meta.dirname, "..");
const fixtures = path.join(root, "tests/fixtures/web-policies");
const STAFF_TOKEN = "fetch-policies-staff-token-01";
const dir = mkdtempSync(path.join(os.tmpdir(), "fetch-policies-"));
const corpus = path.join(dir, "corpus");
const pages: Record<string, string> = {
  "/banner": readFileSync(path.join(fixtures, "banner.html"), "utf8"),
  "/table": readFileSync(path.join(fixtures, "table.html"), "utf8"),
};
let server: Server;
let origin: string;

function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(corpus, file)), { recursive: true });
  writeFileSync(path.join(corpus, file), text);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const page = pages[request.url ?? ""];
    response.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" }).end(page ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Front matter that names only the source: title, organization, date and contact must come from the page.
  write("harvestbox/privacy-policy.html", `---\nsource: ${origin}/banner\n---\n`);
  write(
    "quillmail/retention.html",
    `---\nsource: ${origin}/table\norganization: Quillmail Inc.\nurl: https://quillmail.example/retention\n---\n`,
  );
  // A page saved by hand with no front matter at all: ingest must say what is missing.
  write("bare/policy.html", pages["/banner"]!);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const day = new Date("2026-03-01T10:00:00Z");

describe("npm run fetch-policies", () => {
  it("saves the article without banner or navigation, fills the front matter from the page, and indexes it cleanly", async () => {
    const outcomes = await fetchPolicies({ corpusDir: corpus, now: () => day });
    expect(outcomes.map((o) => [o.document, o.outcome, o.detail])).toEqual([
      ["harvestbox/privacy-policy.html", "changed", "first fetched on 2026-03-01"],
      ["quillmail/retention.html", "changed", "first fetched on 2026-03-01"],
    ]);
    const saved = readFileSync(path.join(corpus, "harvestbox/privacy-policy.html"), "utf8");
    const front = parseYaml(saved.split("---\n")[1]!) as Record<string, unknown>;
    expect(front).toMatchObject({
      source: `${origin}/banner`,
      title: "Harvestbox Privacy Policy",
      organization: "Harvestbox",
      lastRevised: "2025-03-03",
      contact: "privacy@harvestbox.example",
      url: `${origin}/banner`,
    });
    // A field written by hand is kept.
    const quill = readFileSync(path.join(corpus, "quillmail/retention.html"), "utf8");
    expect(parseYaml(quill.split("---\n")[1]!)).toMatchObject({ organization: "Quillmail Inc.", lastRevised: "2024-11-01" });

    const embedder = await embedderFromEnv(readEnv({ EMBEDDER: "use-lite", DATA_DIR: dir }), () => {});
    const indexDir = path.join(dir, "index");
    const summary = await ingest({ corpusDir: corpus, indexDir, embedder });
    expect(summary.failures).toEqual([]);
    // Only the hand-saved page lacks front matter; the fetched ones have every required field.
    expect(summary.warnings).toEqual([{ path: path.join(corpus, "bare/policy.html"), missing: ["title", "organization", "url"] }]);

    const passages = (await new IndexStore(indexDir).readAll()).map(({ chunk }) => chunk);
    const fetched = passages.filter((chunk) => chunk.site !== "bare");
    // The hand-saved page is read by the loader's own rules: its consent dialog is dropped too.
    expect(passages.filter((chunk) => chunk.site === "bare" && /We use cookies|Accept all/.test(chunk.text))).toEqual([]);
    const everything = fetched.map((chunk) => `${chunk.sectionPath.join(" > ")}\n${chunk.text}`).join("\n");
    expect(everything).not.toMatch(/We use cookies|Accept all|Manage preferences|Our boxes|All rights reserved|By continuing/);
    const harvest = fetched.filter((chunk) => chunk.site === "harvestbox");
    // The article's own <h1> survives extraction (the chunker takes a level-1 heading as the title, not a section).
    const loaded = await loadDocument("harvestbox", path.join(corpus, "harvestbox/privacy-policy.html"));
    expect(loaded.blocks[0]).toMatchObject({ kind: "heading", level: 1, text: "Harvestbox Privacy Policy" });
    expect(harvest.every((chunk) => chunk.title === "Harvestbox Privacy Policy")).toBe(true);
    expect(harvest.some((chunk) => chunk.text.includes("Last updated: March 3, 2025"))).toBe(true);
    expect(fetched.find((chunk) => chunk.text.includes("Server access logs"))?.text).toContain(
      "Server access logs | 90 days | Security monitoring and abuse prevention",
    );

    const knowledge = await openKnowledge({ indexDir, embedder });
    expect(knowledge.site("harvestbox")).toMatchObject({ organization: "Harvestbox", contact: "privacy@harvestbox.example" });
    const reply = await createAssistant(knowledge).ask("How do you handle my card payment?", "harvestbox");
    expect(reply.kind).toBe("answer");
    expect(reply.text).toContain("payment processor");
    expect(reply.text).not.toMatch(/cookies/i);
    expect(reply.citations[0]?.url).toMatch(new RegExp(`^${origin}/banner#`));
  }, 120_000);

  it("notes a changed page in the site's changelog with the sections that changed, shown to staff", async () => {
    pages["/banner"] = pages["/banner"]!.replace("six years", "ten years").replace("within five working days", "within three working days");
    const later = new Date("2026-04-15T10:00:00Z");
    const outcomes = await fetchPolicies({ corpusDir: corpus, now: () => later });
    expect(outcomes.map((o) => [o.document, o.outcome, o.detail])).toEqual([
      ["harvestbox/privacy-policy.html", "changed", "changed on 2026-04-15: sections Payment information, How long we keep your data"],
      ["quillmail/retention.html", "unchanged", "no change"],
    ]);
    const app = createApp({
      knowledge: await emptyKnowledge(),
      staffToken: STAFF_TOKEN,
      log: () => {},
      ops: { metrics: createMetrics(), corpusDir: corpus },
    });
    expect((await app.request("/api/staff/changelog")).status).toBe(401);
    const response = await app.request("/api/staff/changelog", { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
    const { sites } = (await response.json()) as {
      sites: Array<{ site: string; entries: Array<{ summary: string; sections: string[] }> }>;
    };
    expect(sites.map((s) => s.site)).toEqual(["harvestbox", "quillmail"]);
    expect(sites[0]?.entries.map((e) => e.summary)).toEqual([
      "changed on 2026-04-15: sections Payment information, How long we keep your data",
      "first fetched on 2026-03-01",
    ]);
  });

  it("fails with one line for an unknown site and exits 1 when a page cannot be fetched", async () => {
    // Asynchronous, so this process's HTTP server can answer the CLI.
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "scripts/fetch-policies.ts", ...args],
          { cwd: root, env: { ...process.env, CORPUS_DIR: corpus } },
          (error, _stdout, stderr) => resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr }),
        );
      });
    const unknown = await run(["--site", "nosuch"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^error: unknown site "nosuch"/);
    write("gone/policy.html", `---\nsource: ${origin}/missing\n---\n`);
    const gone = await run(["--site", "gone"]);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toContain("the server answered 404");
    expect(gone.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});

async function emptyKnowledge() {
  const { siteDirectory } = await import("./rights-support/knowledge.js");
  return siteDirectory();
}

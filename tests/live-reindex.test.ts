import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../server/main.js";
import { memoryLogger } from "./rights-support/logs.js";

const root = path.resolve(import.meta.dirname, "..");
const STAFF_TOKEN = "live-reindex-staff-token-0123";
const staff = { authorization: `Bearer ${STAFF_TOKEN}` };
let dir: string;
let corpus: string;
let server: RunningServer;
const logs = memoryLogger();

interface Reply {
  kind: string;
  citations: Array<{ title: string; url: string }>;
}

async function ask(question: string, site: string): Promise<Reply> {
  const response = await fetch(`${server.url}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question, site }),
  });
  return (await response.json()) as Reply;
}

/** Polls until `probe` returns a value, and says how long that took; fails after 30 s (the bound). */
async function within30s<T>(probe: () => Promise<T | undefined>): Promise<{ value: T; seconds: number }> {
  const began = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, seconds: (Date.now() - began) / 1000 };
    if (Date.now() - began > 30_000) throw new Error("not visible within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function metric(name: string): Promise<number | undefined> {
  const text = await (await fetch(server.metricsUrl!)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").at(-1)) : undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "live-reindex-"));
  corpus = path.join(dir, "corpus");
  await cp(path.join(root, "tests/fixtures/tiny-corpus"), corpus, { recursive: true });
  // One document per site, so the site's title in /api/sites is that document's front-matter title.
  await rm(path.join(corpus, "acme", "children.html"));
  server = await startServer({
    env: {
      PORT: "0",
      METRICS_PORT: "0",
      HOST: "127.0.0.1",
      CORPUS_DIR: corpus,
      INDEX_DIR: path.join(dir, "index"),
      DATA_DIR: dir,
      EMBEDDER: "use-lite",
      STAFF_TOKEN,
    },
    logger: logs.logger,
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("live re-indexing while the server runs", () => {
  it("shows a new site folder and a changed title in /api/sites and in citations within 30 s, with no restart", async () => {
    await mkdir(path.join(corpus, "globex"));
    await writeFile(
      path.join(corpus, "globex", "privacy.md"),
      [
        "---",
        'title: "Globex Privacy Notice"',
        'organization: "Globex Inc."',
        'url: "https://globex.example/privacy"',
        "---",
        "",
        "# Privacy Notice",
        "",
        "## Retention",
        "",
        "Globex keeps support tickets for three years and then deletes them.",
        "",
      ].join("\n"),
    );
    const policy = path.join(corpus, "acme", "privacy-policy.md");
    await writeFile(
      policy,
      (await readFile(policy, "utf8")).replace('title: "Acme Privacy Policy"', 'title: "Acme Policy (2026 edition)"'),
    );

    const added = await within30s(async () => {
      const { sites } = (await (await fetch(`${server.url}/api/sites`)).json()) as { sites: Array<{ site: string; title: string }> };
      return sites.some((s) => s.site === "globex") && sites.some((s) => s.title === "Acme Policy (2026 edition)") ? sites : undefined;
    });
    const globex = await ask("How long do you keep support tickets?", "globex");
    expect(globex.kind).toBe("answer");
    expect(globex.citations[0]).toMatchObject({ title: "Globex Privacy Notice" });
    expect(globex.citations[0]?.url).toMatch(/^https:\/\/globex\.example\/privacy#/);
    // Only the front matter changed, so no passage was re-embedded; every citation carries the new title anyway.
    const acme = await ask("How long do you keep my chat messages?", "acme");
    const fromPolicy = acme.citations.filter((c) => c.url.startsWith("https://acme.example/privacy#"));
    expect(fromPolicy.length).toBeGreaterThan(0);
    expect(fromPolicy.map((c) => c.title)).toEqual(fromPolicy.map(() => "Acme Policy (2026 edition)"));
    console.log(`live re-index: new site and new title visible after ${added.seconds.toFixed(1)} s`);
  }, 60_000);

  it("keeps a broken document's old passages and reports it in the log, /metrics and the readiness detail", async () => {
    const policy = path.join(corpus, "acme", "privacy-policy.md");
    await writeFile(policy, (await readFile(policy, "utf8")).replace(/^---\n/, "---\ntitle: [unclosed\n"));
    const { value: ready } = await within30s(async () => {
      const body = (await (await fetch(`${server.url}/api/health/ready`)).json()) as {
        status: string;
        checks: { corpus: { ok: boolean; failing: Array<{ path: string; reason: string }> } };
      };
      return body.checks.corpus.failing.length > 0 ? body : undefined;
    });
    expect(ready.status).toBe("ready");
    expect(ready.checks.corpus).toMatchObject({ ok: false, failing: [{ path: policy, reason: expect.stringMatching(/YAML/) }] });
    expect(await metric("privacy_corpus_failing_documents")).toBe(1);
    const warning = logs.entries().find((entry) => entry.level === "warn" && entry.msg.startsWith("reindex: could not load"));
    expect(warning?.msg).toContain("privacy-policy.md");
    const retention = await ask("How long do you keep my chat messages?", "acme");
    expect(retention.kind).toBe("answer");
    expect(retention.citations[0]?.url).toMatch(/^https:\/\/acme\.example\/privacy#/);
  }, 60_000);

  it("re-indexes on POST /api/staff/reindex (staff only) and counts it; /metrics needs the token on the main port", async () => {
    expect((await fetch(`${server.url}/api/staff/reindex`, { method: "POST" })).status).toBe(401);
    const response = await fetch(`${server.url}/api/staff/reindex`, { method: "POST", headers: staff });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { ok: boolean; reason: string; summary: { embedded: number }; seconds: number };
    expect(result).toMatchObject({ ok: true, reason: "staff", summary: { embedded: 0 } });
    expect(await metric('privacy_reindex_total{outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(await metric("privacy_index_age_seconds")).toBeLessThan(5);
    // METRICS_PORT serves /metrics on its own port, so the main port does not.
    expect((await fetch(`${server.url}/metrics`, { headers: staff })).status).toBe(404);
    console.log(`live re-index: staff re-index of an unchanged corpus took ${result.seconds} s`);
  }, 60_000);

  it("wrote only JSON lines", () => {
    expect(logs.lines.length).toBeGreaterThan(5);
    expect(() => logs.entries()).not.toThrow();
  });
});

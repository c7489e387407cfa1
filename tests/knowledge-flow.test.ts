import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.js";
import { TransformersEmbedder } from "../server/knowledge/embed/transformers.js";
import { UseLiteEmbedder } from "../server/knowledge/embed/use-lite.js";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./support/fixture-model.js";
import { IndexMismatchError, ingest, openKnowledge } from "../server/knowledge/index.js";
import type { Embedder } from "../server/knowledge/index.js";

// biome-ignore lint/suspicious/noExplicitAny: replies are read field by field and each read is asserted
type Json = Record<string, any>;

const TINY_CORPUS = fileURLToPath(new URL("./fixtures/tiny-corpus/", import.meta.url));
const TOKEN = "test-staff-token-0123456789";

/** The whole knowledge path on a tiny corpus, embedded by the project-made model through transformers.js. */
describe("corpus -> ingest -> index -> /api/ask", () => {
  let work: string;
  let corpusDir: string;
  let indexDir: string;
  let embedder: Embedder;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "flow-"));
    corpusDir = path.join(work, "corpus");
    indexDir = path.join(work, "index");
    await cp(TINY_CORPUS, corpusDir, { recursive: true });
    embedder = await TransformersEmbedder.load({
      model: FIXTURE_MODEL,
      modelsDir: FIXTURE_MODELS_DIR,
      allowRemote: false,
      cacheDir: path.join(work, "cache"),
    });
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  const app = async () => createApp({ knowledge: await openKnowledge({ indexDir, embedder }), staffToken: TOKEN, log: () => {} });
  const ask = async (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) => {
    const response = await (await app()).request("/api/ask", {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };

  it("indexes every document, then does no embedding work on an unchanged corpus", async () => {
    const first = await ingest({ corpusDir, indexDir, embedder });
    expect(first).toMatchObject({ documents: 2, failures: [] });
    expect(first.embedded).toBe(first.chunks);
    const again = await ingest({ corpusDir, indexDir, embedder });
    expect(again.embedded).toBe(0);
    expect(again.reused).toBe(first.chunks);
  });

  it("answers with the policy's words, cited to the section with a deep link", async () => {
    const { status, body } = await ask({ question: "How long do you keep my chat messages?", site: "acme" });
    expect(status).toBe(200);
    expect(body.kind).toBe("answer");
    expect(body.text).toContain("We keep your chat messages for twelve months.");
    expect(body.text).toContain("Data retention");
    expect(body.citations[0]).toMatchObject({ title: "Acme Privacy Policy", section: "Data retention" });
    expect(body.citations[0].text).toContain("twelve months");
    expect(body.citations[0].url).toMatch(/^https:\/\/acme\.example\/privacy#:~:text=We%20keep%20your/);
  });

  it("says plainly when the policy does not answer, cites nothing and points to the contact", async () => {
    const { body } = await ask({ question: "Which football team won the league in 1998?", site: "acme" });
    expect(body.kind).toBe("no_answer");
    expect(body.citations).toEqual([]);
    expect(body.text).toContain("privacy@acme.example");
  });

  it("hands an order to exercise a right to the intake", async () => {
    const { body } = await ask({ question: "Please delete all my personal data.", site: "acme" });
    expect(body).toMatchObject({ kind: "rights_request", right: "erasure", intake: { right: "erasure", site: "acme" } });
    expect(body.citations[0].text).toMatch(/delete/);
  });

  it("answers a question about a right from the policy's passage on it, with an intake offer", async () => {
    const { body } = await ask({ question: "How do I delete my data?", site: "acme" });
    expect(body).toMatchObject({ kind: "answer", intake: { right: "erasure", site: "acme" } });
    expect(body.text).toContain("You have the right to access, correct or delete your personal data.");
  });

  it("cites the contact passage when the policy says nothing about the right asked for", async () => {
    const { body } = await ask({ question: "I withdraw my consent.", site: "acme" });
    expect(body).toMatchObject({ kind: "rights_request", right: "withdraw_consent" });
    expect(body.citations).toHaveLength(1);
    expect(body.citations[0].text).toContain("privacy@acme.example");
  });

  it("re-embeds only a changed document and drops a deleted one", async () => {
    await writeFile(
      path.join(corpusDir, "acme", "children.html"),
      "<title>Kids</title><h2>Children</h2><p>We do not collect data from kids under sixteen years of age.</p>",
    );
    const changed = await ingest({ corpusDir, indexDir, embedder });
    expect(changed.changedDocuments).toEqual(["acme/children.html"]);
    expect(changed.embedded).toBe(1);
    await rm(path.join(corpusDir, "acme", "children.html"));
    const removed = await ingest({ corpusDir, indexDir, embedder });
    expect(removed.removedDocuments).toEqual(["acme/children.html"]);
    expect((await openKnowledge({ indexDir, embedder })).health().documents).toBe(1);
  });

  it("refuses to query an index built by another embedder, saying to re-ingest", async () => {
    const other = await UseLiteEmbedder.load();
    await expect(openKnowledge({ indexDir, embedder: other })).rejects.toThrow(IndexMismatchError);
    await expect(openKnowledge({ indexDir, embedder: other })).rejects.toThrow(/npm run ingest/);
  });

  it.each([
    ["no question", { site: "acme" }, 400, "QUESTION_MISSING"],
    ["an empty question", { question: "   ", site: "acme" }, 400, "QUESTION_MISSING"],
    ["a question over 1000 characters", { question: "why ".repeat(300), site: "acme" }, 400, "QUESTION_TOO_LONG"],
    ["an unknown site", { question: "Do you sell data?", site: "nope" }, 404, "UNKNOWN_SITE"],
    ["a question that is not a string", { question: 42, site: "acme" }, 400, "INVALID_INPUT"],
    ["malformed JSON", '{"question": ', 400, "BAD_JSON"],
  ])("answers %s with a 4xx error code", async (_name, body, status, code) => {
    const reply = await ask(body);
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
  });

  it("refuses a body that is not JSON", async () => {
    const reply = await ask("question=hi", { "content-type": "application/x-www-form-urlencoded" });
    expect(reply).toMatchObject({ status: 415, body: { error: { code: "BAD_CONTENT_TYPE" } } });
  });

  it("keeps staff search behind the token and answers in the citation shape", async () => {
    const server = await app();
    expect((await server.request("/api/search?q=cookies&site=acme")).status).toBe(401);
    expect((await server.request("/api/search?q=cookies&site=acme", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const found = await server.request("/api/search?q=cookies&site=acme&limit=2", { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await found.json()) as { results: Array<Record<string, unknown>> };
    expect(body.results).toHaveLength(2);
    expect(body.results[0]).toMatchObject({ section: "Cookies", title: "Acme Privacy Policy" });
    expect(Object.keys(body.results[0]!).sort()).toEqual(["score", "section", "text", "title", "url"]);
    const closed = createApp({ knowledge: await openKnowledge({ indexDir, embedder }), log: () => {} });
    expect((await closed.request("/api/search?q=cookies&site=acme", { headers: { authorization: "Bearer " } })).status).toBe(401);
  });

  it("reports health: embedder, index size and documents", async () => {
    const body = (await (await (await app()).request("/api/health")).json()) as Json;
    expect(body).toMatchObject({ status: "ok", embedder: { kind: "transformers", dimensions: 32 }, corpus: { sites: ["acme"] } });
    expect(body.index.chunks).toBeGreaterThan(0);
  });
});

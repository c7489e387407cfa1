import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.js";
import type { AskReply } from "../server/contract/schemas.js";
import { UseLiteEmbedder } from "../server/knowledge/embed/use-lite.js";
import { ingest, openKnowledge } from "../server/knowledge/index.js";
import { loadLanguageModel } from "../server/language/index.js";

const root = path.resolve(import.meta.dirname, "..");

/** The ask path as shipped: the real corpus, the packaged encoder, the committed language model with its verifier. */
describe("orders and negations in visitors' words", () => {
  let dir: string;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "visitor-language-"));
    const embedder = await UseLiteEmbedder.load();
    const indexDir = path.join(dir, "index");
    await ingest({ corpusDir: path.join(root, "corpus"), indexDir, embedder });
    const language = await loadLanguageModel({ embedder, dataDir: dir });
    app = createApp({ knowledge: await openKnowledge({ indexDir, embedder, language }), log: () => {} });
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const ask = async (question: string, site = "altoros") => {
    const response = await app.request("/api/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question, site }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as AskReply;
  };

  it("does not take a negated deletion or copy as an order", async () => {
    expect((await ask("please dont erase my profile, i still need it")).kind).not.toBe("rights_request");
    expect((await ask("im not asking for a copy of anything")).kind).not.toBe("rights_request");
  });

  it("takes an order phrased as a negation as the order it is", async () => {
    expect(await ask("never pass my details to data brokers for money")).toMatchObject({ kind: "rights_request", right: "opt_out_sale" });
    expect((await ask("keep my records for now but stop processing them until my complaint is settled")).kind).toBe("rights_request");
  });

  it("lets a negation take back only the right it names", async () => {
    // The negation names erasure; the order is a correction.
    expect(await ask("no need to delete anything, my surname is just misspelt on the account")).toMatchObject({
      kind: "rights_request",
      right: "rectification",
    });
  });

  it("abstains when the verifier finds no passage likely to answer, though the words match", async () => {
    // AltexSoft keeps data "at cloud servers of Microsoft Azure" and names no country.
    expect((await ask("which country are your servers in", "altexsoft")).kind).toBe("no_answer");
  });

  it("abstains on a question that is not about privacy", async () => {
    expect((await ask("whats the best pizza near your office")).kind).toBe("no_answer");
  });
});

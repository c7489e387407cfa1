import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR, dot, length } from "../../../tests/support/fixture-model.js";
import { TransformersEmbedder, promptsFor } from "./transformers.js";

const RETENTION = "We retain personal data for as long as your account is active, then delete it.";
const COOKIES = "We use cookies and tracking pixels to remember your browser preferences.";
const QUESTION = "How long do you keep my data?";

let cacheDir: string;
let embedder: TransformersEmbedder;

beforeAll(async () => {
  cacheDir = mkdtempSync(path.join(tmpdir(), "embed-cache-"));
  embedder = await TransformersEmbedder.load({
    model: FIXTURE_MODEL,
    modelsDir: FIXTURE_MODELS_DIR,
    allowRemote: false,
    cacheDir,
  });
});

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe("TransformersEmbedder with the fixture model", () => {
  it("loads through transformers.js from the local folder and reports what it is", () => {
    expect(embedder.info).toMatchObject({ id: `transformers:${FIXTURE_MODEL}`, kind: "transformers", dimensions: 32 });
    expect(embedder.info.description).toContain(FIXTURE_MODELS_DIR.replace(/\/$/, ""));
    expect(embedder.info.description).toContain("quantized");
  });

  it("returns unit vectors of the model's width", async () => {
    const vectors = [...(await embedder.embedPassages([RETENTION, COOKIES])), await embedder.embedQuery(QUESTION)];
    for (const vector of vectors) {
      expect(vector).toHaveLength(32);
      expect(length(vector)).toBeCloseTo(1, 10);
    }
  });

  it("is deterministic across calls and across loads", async () => {
    const first = await embedder.embedQuery(QUESTION);
    expect(await embedder.embedQuery(QUESTION)).toEqual(first);
    const reloaded = await TransformersEmbedder.load({
      model: FIXTURE_MODEL,
      modelsDir: FIXTURE_MODELS_DIR,
      allowRemote: false,
      cacheDir,
    });
    expect(await reloaded.embedQuery(QUESTION)).toEqual(first);
  });

  it("embeds a padded batch the same as each text alone, across batch boundaries", async () => {
    const texts = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? `${RETENTION} ${i}` : i % 3 === 1 ? COOKIES : QUESTION));
    const batched = await embedder.embedPassages(texts);
    expect(batched).toHaveLength(texts.length);
    for (const index of [0, 1, 2, 33, 69]) {
      const [alone] = await embedder.embedPassages([texts[index]!]);
      for (const [i, value] of alone!.entries()) expect(batched[index]![i]).toBeCloseTo(value, 6);
    }
  });

  it("uses the tokenizer: lower-cases, splits punctuation and word pieces", async () => {
    const plain = await embedder.embedQuery("how long do you keep my data");
    const shouted = await embedder.embedQuery("HOW LONG DO YOU KEEP MY DATA");
    for (const [i, value] of shouted.entries()) expect(value).toBeCloseTo(plain[i]!, 12);
    const tokens = embedder.tokenize("Keeps cookies, xyzzy!");
    expect(tokens).toEqual(["[CLS]", "keep", "##s", "cookies", ",", "[UNK]", "!", "[SEP]"]);
  });

  it("puts a question nearer a passage on its topic than an unrelated one", async () => {
    const [retention, cookies, paraphrase] = await embedder.embedPassages([
      RETENTION,
      COOKIES,
      "For how many years is my information stored?",
    ]);
    const question = await embedder.embedQuery(QUESTION);
    expect(dot(question, retention!)).toBeGreaterThan(dot(question, cookies!) + 0.2);
    expect(dot(question, paraphrase!)).toBeGreaterThan(dot(question, cookies!) + 0.2);
    expect(dot(retention!, retention!)).toBeCloseTo(1, 10);
  });

  it("loads the fp32 graph too, agreeing with the quantized one", async () => {
    const fp32 = await TransformersEmbedder.load({
      model: FIXTURE_MODEL,
      modelsDir: FIXTURE_MODELS_DIR,
      allowRemote: false,
      cacheDir,
      quantized: false,
    });
    expect(fp32.info.description).toContain("fp32");
    expect(dot(await fp32.embedQuery(RETENTION), await embedder.embedQuery(RETENTION))).toBeGreaterThan(0.99);
  });

  it("picks the fp32 graph by itself when a folder has only onnx/model.onnx", async () => {
    const modelsDir = mkdtempSync(path.join(tmpdir(), "embed-models-"));
    try {
      cpSync(path.join(FIXTURE_MODELS_DIR, FIXTURE_MODEL), path.join(modelsDir, FIXTURE_MODEL), { recursive: true });
      rmSync(path.join(modelsDir, FIXTURE_MODEL, "onnx", "model_quantized.onnx"));
      const fp32Only = await TransformersEmbedder.load({ model: FIXTURE_MODEL, modelsDir, allowRemote: false, cacheDir });
      expect(fp32Only.info.description).toContain("fp32");
    } finally {
      rmSync(modelsDir, { recursive: true, force: true });
    }
  });

  it("puts the query prefix in front of queries only", async () => {
    const prefixed = await TransformersEmbedder.load({
      model: FIXTURE_MODEL,
      modelsDir: FIXTURE_MODELS_DIR,
      allowRemote: false,
      cacheDir,
      prompts: { query: "cookies cookies cookies ", passage: "" },
    });
    const [asPassage] = await prefixed.embedPassages([QUESTION]);
    expect(asPassage).toEqual(await embedder.embedQuery(QUESTION));
    const asQuery = await prefixed.embedQuery(QUESTION);
    expect(asQuery).toEqual((await embedder.embedPassages([`cookies cookies cookies ${QUESTION}`]))[0]);
    expect(prefixed.info.description).toContain('query prefix "cookies cookies cookies"');
  });
});

describe("promptsFor", () => {
  it("knows the prefixes of bge and e5, and none for MiniLM", () => {
    expect(promptsFor("Xenova/bge-small-en-v1.5")).toEqual({
      query: "Represent this sentence for searching relevant passages: ",
      passage: "",
    });
    expect(promptsFor("Xenova/e5-small-v2")).toEqual({ query: "query: ", passage: "passage: " });
    expect(promptsFor("Xenova/all-MiniLM-L6-v2")).toEqual({ query: "", passage: "" });
  });
});

describe("TransformersEmbedder without a model", () => {
  it("says where it looked when the folder is missing and the hub is not allowed", async () => {
    await expect(
      TransformersEmbedder.load({ model: "nobody/missing-model", modelsDir: FIXTURE_MODELS_DIR, allowRemote: false, cacheDir }),
    ).rejects.toThrow(
      /model "nobody\/missing-model" is not in .*nobody\/missing-model \(no config\.json\) and ALLOW_REMOTE_MODELS is false/,
    );
  });

  it("gives up on a hub that never answers within the timeout", async () => {
    const silentHub = createServer(() => {
      // Holds every request open, as a black-holed network would.
    });
    await new Promise<void>((resolve) => silentHub.listen(0, "127.0.0.1", resolve));
    const { port } = silentHub.address() as AddressInfo;
    const started = performance.now();
    try {
      await expect(
        TransformersEmbedder.load({
          model: "nobody/missing-model",
          modelsDir: FIXTURE_MODELS_DIR,
          allowRemote: true,
          cacheDir,
          hubUrl: `http://127.0.0.1:${port}/`,
          hubTimeoutMs: 300,
        }),
      ).rejects.toThrow(/hub did not answer within 300 ms/);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      silentHub.closeAllConnections();
      await new Promise((resolve) => silentHub.close(resolve));
    }
  });

  it("reports a hub that has no such model", async () => {
    const emptyHub = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => emptyHub.listen(0, "127.0.0.1", resolve));
    const { port } = emptyHub.address() as AddressInfo;
    try {
      await expect(
        TransformersEmbedder.load({
          model: "nobody/missing-model",
          modelsDir: FIXTURE_MODELS_DIR,
          allowRemote: true,
          cacheDir,
          hubUrl: `http://127.0.0.1:${port}`,
        }),
      ).rejects.toThrow(/hub answered 404/);
    } finally {
      await new Promise((resolve) => emptyHub.close(resolve));
    }
  });
});

import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../env.js";
import { createEmbedder } from "../knowledge/embed/index.js";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "../../tests/support/fixture-model.js";
import { ingest } from "../knowledge/ingest.js";
import { checkCorpus, checkEmbedder, checkIndex, checkModelFolder } from "./knowledge.js";

const POLICY = `---
title: "Acme Privacy Policy"
organization: "Acme Ltd."
url: "https://acme.example/privacy"
contact: "privacy@acme.example"
---

# Acme Privacy Policy

## Retention

We keep chat transcripts for thirty days and then delete them.
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "doctor-knowledge-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function corpusWith(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

const fixtureModel = {
  EMBEDDER: "transformers",
  MODELS_DIR: FIXTURE_MODELS_DIR,
  EMBEDDING_MODEL: FIXTURE_MODEL,
  ALLOW_REMOTE_MODELS: "false",
};
const envWith = (overrides: Record<string, string> = {}) => readEnv({ DATA_DIR: path.join(root, "data"), ...overrides });

describe("doctor: embedder and model folder", () => {
  it("names the transformers model it would use", async () => {
    const { result, info } = await checkEmbedder(envWith(fixtureModel));
    expect(result.status).toBe("ok");
    expect(result.message).toContain(FIXTURE_MODEL);
    expect(info?.kind).toBe("transformers");
    expect(checkModelFolder(envWith(fixtureModel))).toMatchObject({ status: "ok", message: expect.stringContaining("config.json") });
  });

  it("fails when EMBEDDER=transformers cannot load its model, saying where to put it", async () => {
    const env = envWith({ ...fixtureModel, EMBEDDING_MODEL: "fixture/no-such-model" });
    const { result, info } = await checkEmbedder(env);
    expect(info).toBeUndefined();
    expect(result.status).toBe("fail");
    expect(result.message).toContain("ALLOW_REMOTE_MODELS is false");
    expect(result.message).toContain(path.join(FIXTURE_MODELS_DIR, "fixture/no-such-model"));
    expect(checkModelFolder(env)).toMatchObject({ status: "fail", message: expect.stringContaining("no model folder") });
  });

  it("warns that auto falls back to USE-lite, and why not transformers", async () => {
    const env = envWith({ ...fixtureModel, EMBEDDER: "auto", EMBEDDING_MODEL: "fixture/no-such-model" });
    const { result, info } = await checkEmbedder(env);
    expect(info?.kind).toBe("use-lite");
    expect(result.status).toBe("warn");
    expect(result.message).toMatch(
      /^USE-lite \(the fallback\), not transformers: model "fixture\/no-such-model" is not in .* ALLOW_REMOTE_MODELS is false/,
    );
    expect(checkModelFolder(env).status).toBe("warn");
  }, 60_000);

  it("fails on a model folder copied without its ONNX file", async () => {
    const models = path.join(root, "models");
    await cp(path.join(FIXTURE_MODELS_DIR, FIXTURE_MODEL), path.join(models, "half/model"), { recursive: true });
    await rm(path.join(models, "half/model/onnx"), { recursive: true });
    const result = checkModelFolder(envWith({ EMBEDDER: "transformers", MODELS_DIR: models, EMBEDDING_MODEL: "half/model" }));
    expect(result).toMatchObject({ status: "fail", message: expect.stringContaining("lacks onnx/model_quantized.onnx") });
    expect(checkModelFolder(envWith({ EMBEDDER: "use-lite" })).status).toBe("ok");
  });
});

describe("doctor: corpus", () => {
  it("is ok when every document loads with its required fields", async () => {
    const dir = await corpusWith("good", { "acme/privacy.md": POLICY });
    const { result, documents } = await checkCorpus(envWith({ CORPUS_DIR: dir }));
    expect(result).toMatchObject({ status: "ok", message: expect.stringContaining("1 documents in 1 sites (acme)") });
    expect(documents.map((document) => document.meta.url)).toEqual(["https://acme.example/privacy"]);
  });

  it("fails naming each document, its missing fields and a file that does not parse", async () => {
    const dir = await corpusWith("bad", {
      "acme/privacy.md": POLICY,
      "acme/cookies.md": POLICY.replace('organization: "Acme Ltd."\n', "").replace(
        'url: "https://acme.example/privacy"',
        'url: "javascript:alert(1)"',
      ),
      "beta/notice.html": "<html><head><title>Beta notice</title></head><body><h1>Notice</h1><p>We keep data.</p></body></html>",
      "gamma/policy.md": "---\ntitle: [unclosed\n---\n\n# Policy\n\nText.\n",
    });
    const { result } = await checkCorpus(envWith({ CORPUS_DIR: dir }));
    expect(result.status).toBe("fail");
    expect(result.message).toContain("3 of 4 documents need fixing");
    expect(result.message).toContain("acme/cookies.md (missing organization, url as an http(s) address)");
    expect(result.message).toContain("beta/notice.html (missing organization, url)");
    expect(result.message).toContain("gamma/policy.md (front matter is not valid YAML");
  });

  it("fails on a missing or empty corpus folder, and warns about a site with no contact", async () => {
    expect((await checkCorpus(envWith({ CORPUS_DIR: path.join(root, "nowhere") }))).result.status).toBe("fail");
    expect((await checkCorpus(envWith({ CORPUS_DIR: await corpusWith("empty", { "README.md": "# nothing" }) }))).result.status).toBe(
      "fail",
    );
    const dir = await corpusWith("no-contact", { "acme/privacy.md": POLICY.replace('contact: "privacy@acme.example"\n', "") });
    expect((await checkCorpus(envWith({ CORPUS_DIR: dir }))).result).toMatchObject({
      status: "warn",
      message: expect.stringContaining("acme"),
    });
  });
});

describe("doctor: index", () => {
  it("is ok for an index built from this corpus by this embedder, and warns what the next start would redo", async () => {
    const corpusDir = await corpusWith("indexed", { "acme/privacy.md": POLICY, "acme/terms.md": POLICY.replace("thirty", "sixty") });
    const env = envWith({ ...fixtureModel, CORPUS_DIR: corpusDir, INDEX_DIR: path.join(root, "index") });
    expect(await checkIndex(env, undefined)).toMatchObject({ status: "warn", message: expect.stringContaining("no index") });

    const embedder = await createEmbedder({
      kind: "transformers",
      model: FIXTURE_MODEL,
      modelsDir: FIXTURE_MODELS_DIR,
      allowRemote: false,
      cacheDir: path.join(root, "cache"),
      log: () => {},
    });
    await ingest({ corpusDir, indexDir: env.INDEX_DIR, embedder });
    expect(await checkIndex(env, embedder.info)).toMatchObject({ status: "ok", message: expect.stringContaining("from 2 documents") });

    const otherEmbedder = { ...embedder.info, id: "use-lite:x", dimensions: 512 };
    expect((await checkIndex(env, otherEmbedder)).message).toContain("the next start re-embeds every passage");

    await writeFile(path.join(corpusDir, "acme/privacy.md"), POLICY.replace("thirty", "ninety"));
    await writeFile(path.join(corpusDir, "acme/cookies.md"), POLICY);
    await rm(path.join(corpusDir, "acme/terms.md"));
    const stale = await checkIndex(env, embedder.info);
    expect(stale.status).toBe("warn");
    expect(stale.message).toContain("changed: acme/privacy.md; new: acme/cookies.md; removed: acme/terms.md");
  });
});

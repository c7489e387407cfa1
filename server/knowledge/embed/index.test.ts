import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "./index.js";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "../../../tests/support/fixture-model.js";

let cacheDir: string;

beforeAll(() => {
  cacheDir = mkdtempSync(path.join(tmpdir(), "embed-cache-"));
});

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

function options(kind: "auto" | "transformers" | "use-lite", model: string) {
  const lines: string[] = [];
  return {
    lines,
    options: { kind, model, modelsDir: FIXTURE_MODELS_DIR, allowRemote: false, cacheDir, log: (line: string) => lines.push(line) },
  };
}

describe("createEmbedder", () => {
  it("auto uses the transformers model when it loads, and says so", async () => {
    const { lines, options: auto } = options("auto", FIXTURE_MODEL);
    const embedder = await createEmbedder(auto);
    expect(embedder.info.kind).toBe("transformers");
    expect(lines).toEqual([`embedder: using transformers:${FIXTURE_MODEL} (32 dims)`]);
  });

  it("auto falls back to USE-lite when the model is missing, saying why", async () => {
    const { lines, options: auto } = options("auto", "Xenova/all-MiniLM-L6-v2");
    const embedder = await createEmbedder(auto);
    expect(embedder.info).toMatchObject({ kind: "use-lite", dimensions: 512 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^embedder: transformers model unavailable \(model "Xenova\/all-MiniLM-L6-v2" is not in .* ALLOW_REMOTE_MODELS is false\); falling back to USE-lite$/,
    );
    expect(lines[1]).toBe(`embedder: using ${embedder.info.id} (512 dims)`);
    expect(await embedder.embedQuery("how long do you keep my data")).toHaveLength(512);
  });

  it("transformers fails loudly when the model is missing", async () => {
    const { lines, options: strict } = options("transformers", "Xenova/all-MiniLM-L6-v2");
    await expect(createEmbedder(strict)).rejects.toThrow(
      /^EMBEDDER=transformers: model "Xenova\/all-MiniLM-L6-v2" is not in .*Xenova\/all-MiniLM-L6-v2 \(no config\.json\)/,
    );
    expect(lines).toEqual([]);
  });

  it("use-lite skips the transformers model even when one is present", async () => {
    const { lines, options: useLite } = options("use-lite", FIXTURE_MODEL);
    const embedder = await createEmbedder(useLite);
    expect(embedder.info.kind).toBe("use-lite");
    expect(lines).toEqual([`embedder: using ${embedder.info.id} (512 dims)`]);
  });
});

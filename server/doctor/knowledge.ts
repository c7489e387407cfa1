import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Env } from "../env.js";
import { createEmbedder } from "../knowledge/embed/index.js";
import { REQUIRED_FIELDS, listCorpus, loadCorpus, type PolicyDocument } from "../knowledge/load.js";
import { CHUNKER_VERSION, IndexStore } from "../knowledge/store.js";
import type { EmbedderInfo } from "../knowledge/types.js";
import { type CheckResult, errorText, fail, ok, warn } from "./types.js";

const MODEL_FILES = "config.json, tokenizer.json, onnx/model_quantized.onnx";

/**
 * Loads the embedder exactly as start-up would (createEmbedder), so the verdict is the server's own:
 * which embedder, and when USE-lite, why not transformers.
 */
export async function checkEmbedder(env: Env, { hubTimeoutMs = 5_000 } = {}): Promise<{ result: CheckResult; info?: EmbedderInfo }> {
  const lines: string[] = [];
  try {
    const { info } = await createEmbedder({
      kind: env.EMBEDDER,
      model: env.EMBEDDING_MODEL,
      modelsDir: env.MODELS_DIR,
      allowRemote: env.ALLOW_REMOTE_MODELS,
      cacheDir: path.join(env.DATA_DIR, "model-cache"),
      log: (line) => lines.push(line),
      hubTimeoutMs,
    });
    if (info.kind === "transformers") return { result: ok("embedder", `transformers: ${info.description}`), info };
    if (env.EMBEDDER === "use-lite")
      return { result: ok("embedder", `USE-lite, as EMBEDDER=use-lite asks (${info.dimensions} dims)`), info };
    const why =
      lines.map((line) => /transformers model unavailable \((.*)\); falling back/s.exec(line)?.[1]).find(Boolean) ?? "it did not load";
    return {
      result: warn(
        "embedder",
        `USE-lite (the fallback), not transformers: ${why}. For ${env.EMBEDDING_MODEL}, put ${MODEL_FILES} in ${path.join(env.MODELS_DIR, env.EMBEDDING_MODEL)}, or set EMBEDDER=use-lite to say this is meant`,
      ),
      info,
    };
  } catch (error) {
    return {
      result: fail(
        "embedder",
        `${errorText(error)}. Put ${MODEL_FILES} in ${path.join(env.MODELS_DIR, env.EMBEDDING_MODEL)}, or set EMBEDDER=auto to fall back to USE-lite`,
      ),
    };
  }
}

/** The local model folder transformers.js looks in first (MODELS_DIR/EMBEDDING_MODEL). */
export function checkModelFolder(env: Env): CheckResult {
  if (env.EMBEDDER === "use-lite") return ok("model", "not used (EMBEDDER=use-lite)");
  const folder = path.join(env.MODELS_DIR, env.EMBEDDING_MODEL);
  const verdict = env.EMBEDDER === "transformers" ? fail : warn;
  if (!existsSync(folder)) {
    const cached = path.join(env.DATA_DIR, "model-cache", env.EMBEDDING_MODEL);
    if (existsSync(path.join(cached, "config.json"))) return ok("model", `no ${folder}; the model is in the download cache ${cached}`);
    const hub = env.ALLOW_REMOTE_MODELS
      ? " (or let the first start download it from the Hugging Face hub, if this machine can reach it)"
      : "";
    return verdict("model", `no model folder ${folder}: copy ${MODEL_FILES} there${hub}`);
  }
  const onnx = ["onnx/model_quantized.onnx", "onnx/model.onnx"].find((file) => existsSync(path.join(folder, file)));
  const missing = [
    ...["config.json", "tokenizer.json"].filter((file) => !existsSync(path.join(folder, file))),
    ...(onnx ? [] : ["onnx/model_quantized.onnx (or onnx/model.onnx)"]),
  ];
  if (missing.length > 0) return verdict("model", `${folder} lacks ${missing.join(", ")}: copy the whole model folder`);
  return ok("model", `${folder} has config.json, tokenizer.json, ${onnx}`);
}

/** Every document loads and carries the required front-matter fields; returns the documents for later checks. */
export async function checkCorpus(env: Env): Promise<{ result: CheckResult; documents: PolicyDocument[] }> {
  const dir = env.CORPUS_DIR;
  if (!existsSync(dir)) {
    return { result: fail("corpus", `CORPUS_DIR ${dir} does not exist: set CORPUS_DIR, or add corpus/<site>/<policy>.md`), documents: [] };
  }
  let loaded: Awaited<ReturnType<typeof loadCorpus>>;
  try {
    loaded = await loadCorpus(dir);
  } catch (error) {
    return { result: fail("corpus", `cannot read ${dir}: ${errorText(error)}`), documents: [] };
  }
  const { documents, failures } = loaded;
  const name = (file: string) => path.relative(dir, file);
  if (documents.length === 0 && failures.length === 0) {
    return {
      result: fail("corpus", `no documents in ${dir}: add a folder per site with .md, .html or .txt policies (corpus/README.md)`),
      documents,
    };
  }
  const problems = [
    ...failures.map((failure) => `${name(failure.path)} (${failure.reason})`),
    ...documents.flatMap((document) => {
      // A title from the page itself counts here; a url the loader dropped (not http(s)) is named as such.
      const missing = REQUIRED_FIELDS.filter((field) => !document.meta[field]?.trim()).map(
        (field) => document.missing.find((problem) => problem.startsWith(`${field} `)) ?? field,
      );
      return missing.length > 0 ? [`${name(document.path)} (missing ${missing.join(", ")})`] : [];
    }),
  ];
  const total = documents.length + failures.length;
  if (problems.length > 0) {
    return {
      result: fail(
        "corpus",
        `${problems.length} of ${total} documents need fixing: ${problems.join("; ")}. Front matter: corpus/README.md`,
      ),
      documents,
    };
  }
  const sites = [...new Set(documents.map((document) => document.site))];
  const noContact = sites.filter((site) => !documents.some((document) => document.site === site && document.meta.contact));
  if (noContact.length > 0) {
    return {
      result: warn(
        "corpus",
        `no contact in any document of ${noContact.join(", ")}: "the policy does not say" replies cannot name the privacy contact; add contact: to the front matter`,
      ),
      documents,
    };
  }
  return {
    result: ok("corpus", `${total} documents in ${sites.length} sites (${sites.join(", ")}), each with ${REQUIRED_FIELDS.join(", ")}`),
    documents,
  };
}

/** The index against the corpus on disk and the embedder that would be used: what the next start would redo. */
export async function checkIndex(env: Env, embedder: EmbedderInfo | undefined): Promise<CheckResult> {
  const store = new IndexStore(env.INDEX_DIR);
  const manifest = await store.readManifest();
  if (!manifest) return warn("index", `no index in ${env.INDEX_DIR} yet: npm start (or npm run ingest) builds it`);
  const files = existsSync(env.CORPUS_DIR) ? await listCorpus(env.CORPUS_DIR).catch(() => []) : [];
  const onDisk = new Map<string, string>();
  for (const file of files) {
    onDisk.set(
      `${file.site}/${path.basename(file.path)}`,
      createHash("sha256")
        .update(await readFile(file.path))
        .digest("hex"),
    );
  }
  const indexed = manifest.documents;
  const added = [...onDisk.keys()].filter((id) => !indexed[id]);
  const changed = [...onDisk].filter(([id, hash]) => indexed[id] && indexed[id].hash !== hash).map(([id]) => id);
  const removed = Object.keys(indexed).filter((id) => !onDisk.has(id));

  const problems: string[] = [];
  if (embedder && (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions)) {
    problems.push(
      `built with ${manifest.embedder.id} (${manifest.embedder.dimensions} dims) but ${embedder.id} would be used: the next start re-embeds every passage`,
    );
  }
  if (manifest.chunkerVersion !== CHUNKER_VERSION) problems.push("built by an older chunker: the next start rebuilds it");
  const stale = [
    ...(changed.length ? [`changed: ${changed.join(", ")}`] : []),
    ...(added.length ? [`new: ${added.join(", ")}`] : []),
    ...(removed.length ? [`removed: ${removed.join(", ")}`] : []),
  ];
  if (stale.length > 0) problems.push(`behind the corpus (${stale.join("; ")}): the next start (or npm run ingest) updates it`);
  if (problems.length > 0) return warn("index", problems.join("; "));
  const passages = Object.values(indexed).reduce((sum, document) => sum + document.chunkIds.length, 0);
  return ok(
    "index",
    `${passages} passages from ${Object.keys(indexed).length} documents, built with ${manifest.embedder.id}, matches the corpus`,
  );
}

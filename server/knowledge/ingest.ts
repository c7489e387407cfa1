import { type Chunk, type ChunkOptions, chunkDocument } from "./chunk.js";
import type { Embedder } from "./embed/embedder.js";
import { type LoadFailure, loadCorpus } from "./load.js";
import { CHUNKER_VERSION, IndexStore, type Manifest, toMetadata } from "./store.js";

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Called as passages are embedded: done of total. */
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
  chunking?: ChunkOptions;
}

export interface IngestSummary {
  documents: number;
  sections: number;
  chunks: number;
  embedded: number;
  reused: number;
  removedDocuments: string[];
  changedDocuments: string[];
  failures: LoadFailure[];
  seconds: number;
}

/**
 * Builds or updates the index: an unchanged document costs nothing, a changed one is re-chunked and only
 * its new passages are embedded, a deleted one leaves the index.
 */
export async function ingest({ corpusDir, indexDir, embedder, onProgress, batchSize = 32, chunking = {} }: IngestOptions): Promise<IngestSummary> {
  const began = performance.now();
  const store = new IndexStore(indexDir);
  const previous = await store.readManifest();
  const compatible =
    previous?.chunkerVersion === CHUNKER_VERSION &&
    JSON.stringify(previous.chunking ?? {}) === JSON.stringify(chunking) &&
    previous.embedder.id === embedder.info.id &&
    previous.embedder.dimensions === embedder.info.dimensions;
  if (compatible) await store.ensureCreated();
  else await store.reset();

  const { documents, failures } = await loadCorpus(corpusDir);
  const manifest: Manifest = {
    chunkerVersion: CHUNKER_VERSION,
    chunking,
    embedder: { id: embedder.info.id, dimensions: embedder.info.dimensions },
    documents: {},
    builtAt: new Date().toISOString(),
  };
  const existing = new Set(compatible ? Object.values(previous.documents).flatMap((doc) => doc.chunkIds) : []);
  const toEmbed: Chunk[] = [];
  const keep = new Set<string>();
  const changedDocuments: string[] = [];
  let sections = 0;
  let chunkCount = 0;

  for (const document of documents) {
    const chunks = chunkDocument(document, chunking);
    sections += new Set(chunks.map((chunk) => chunk.sectionPath.join("\n"))).size;
    chunkCount += chunks.length;
    const before = compatible ? previous.documents[document.id] : undefined;
    if (before?.hash !== document.hash) changedDocuments.push(document.id);
    for (const chunk of chunks) {
      keep.add(chunk.id);
      if (!existing.has(chunk.id) && !toEmbed.some((pending) => pending.id === chunk.id)) toEmbed.push(chunk);
    }
    manifest.documents[document.id] = { site: document.site, hash: document.hash, meta: document.meta, chunkIds: chunks.map((c) => c.id) };
  }
  // A document that failed to load keeps its old passages: a typo in one file must not empty a site.
  const failedIds = new Set(failures.map((failure) => failure.path));
  for (const [id, doc] of Object.entries(compatible ? previous.documents : {})) {
    if (!manifest.documents[id] && [...failedIds].some((failed) => failed.endsWith(id))) {
      manifest.documents[id] = doc;
      doc.chunkIds.forEach((chunkId) => keep.add(chunkId));
    }
  }
  const removedDocuments = Object.keys(compatible ? previous.documents : {}).filter((id) => !manifest.documents[id]);

  const deletions = [...existing].filter((id) => !keep.has(id));
  const unchanged = compatible && toEmbed.length === 0 && deletions.length === 0 && changedDocuments.length === 0 && removedDocuments.length === 0;
  if (!unchanged) await update();
  return {
    documents: documents.length,
    sections,
    chunks: chunkCount,
    embedded: toEmbed.length,
    reused: chunkCount - toEmbed.length,
    removedDocuments,
    changedDocuments,
    failures,
    seconds: (performance.now() - began) / 1000,
  };

  async function update() {
  await store.vectors.beginUpdate();
  try {
    for (const id of deletions) await store.vectors.deleteItem(id);
    onProgress?.(0, toEmbed.length);
    for (let i = 0; i < toEmbed.length; i += batchSize) {
      const batch = toEmbed.slice(i, i + batchSize);
      const vectors = await embedder.embedPassages(batch.map(embeddingText));
      for (const [j, chunk] of batch.entries()) {
        await store.vectors.insertItem({ id: chunk.id, vector: vectors[j] ?? [], metadata: toMetadata(chunk) });
      }
      onProgress?.(Math.min(i + batchSize, toEmbed.length), toEmbed.length);
    }
    await store.vectors.endUpdate();
  } catch (error) {
    store.vectors.cancelUpdate();
    throw error;
  }
  await store.writeManifest(manifest);
  }
}

/** What the embedder sees of a passage: its section heading gives it context. */
export function embeddingText(chunk: Chunk): string {
  const heading = chunk.sectionPath.at(-1);
  return heading ? `${heading}. ${chunk.text}` : chunk.text;
}

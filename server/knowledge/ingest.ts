import { type Chunk, type ChunkOptions, DEFAULT_CHUNKING, chunkDocument } from "./chunk.js";
import type { Embedder } from "./embed/embedder.js";
import { type LoadFailure, loadCorpus } from "./load.js";
import { passageSentences } from "./sentences.js";
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
  /** Documents missing required front-matter fields (title, organization, url): indexed, but cited poorly. */
  warnings: Array<{ path: string; missing: string[] }>;
  seconds: number;
}

/**
 * Builds or updates the index: an unchanged document costs nothing, a changed one is re-chunked and only
 * its new passages are embedded (the others get its new title and URL), a deleted one leaves the index.
 */
export async function ingest({
  corpusDir,
  indexDir,
  embedder,
  onProgress,
  batchSize = 32,
  chunking = {},
}: IngestOptions): Promise<IngestSummary> {
  const began = performance.now();
  const settings = { ...DEFAULT_CHUNKING, ...chunking };
  const store = new IndexStore(indexDir);
  const previous = await store.readManifest();
  const compatible =
    previous?.chunkerVersion === CHUNKER_VERSION &&
    JSON.stringify(previous.chunking) === JSON.stringify(settings) &&
    previous.embedder.id === embedder.info.id &&
    previous.embedder.dimensions === embedder.info.dimensions &&
    (await store.vectors.isIndexCreated());
  const before = compatible ? previous.documents : {};

  const { documents, failures } = await loadCorpus(corpusDir);
  const manifest: Manifest = {
    chunkerVersion: CHUNKER_VERSION,
    chunking: settings,
    embedder: { id: embedder.info.id, dimensions: embedder.info.dimensions },
    documents: {},
    builtAt: new Date().toISOString(),
  };
  const indexed = new Set(Object.values(before).flatMap((doc) => doc.chunkIds));
  const toEmbed = new Map<string, Chunk>();
  /** Passages of a changed document whose text is unchanged: same vector, but the title or URL may be new. */
  const toRefresh: Chunk[] = [];
  const changedDocuments: string[] = [];
  let sections = 0;
  let chunkCount = 0;
  for (const document of documents) {
    const chunks = chunkDocument(document, settings);
    sections += new Set(chunks.map((chunk) => chunk.sectionPath.join("\n"))).size;
    chunkCount += chunks.length;
    const changed = before[document.id]?.hash !== document.hash;
    if (changed) changedDocuments.push(document.id);
    for (const chunk of chunks) {
      if (!indexed.has(chunk.id)) toEmbed.set(chunk.id, chunk);
      else if (changed) toRefresh.push(chunk);
    }
    manifest.documents[document.id] = { site: document.site, hash: document.hash, meta: document.meta, chunkIds: chunks.map((c) => c.id) };
  }
  // A document that failed to load keeps its old passages: a typo in one file must not empty a site.
  for (const [id, doc] of Object.entries(before)) {
    if (!manifest.documents[id] && failures.some((failure) => failure.path.endsWith(id))) manifest.documents[id] = doc;
  }
  const removedDocuments = Object.keys(before).filter((id) => !manifest.documents[id]);
  const keep = new Set(Object.values(manifest.documents).flatMap((doc) => doc.chunkIds));
  const deletions = [...indexed].filter((id) => !keep.has(id));

  const unchanged =
    compatible && toEmbed.size === 0 && deletions.length === 0 && changedDocuments.length === 0 && removedDocuments.length === 0;
  if (!unchanged) {
    if (!compatible) await store.reset();
    await writeIndex(store, { deletions, toEmbed: [...toEmbed.values()], toRefresh, embedder, batchSize, onProgress });
    await store.writeManifest(manifest);
  }
  return {
    documents: documents.length,
    sections,
    chunks: chunkCount,
    embedded: toEmbed.size,
    reused: chunkCount - toEmbed.size,
    removedDocuments,
    changedDocuments,
    failures,
    warnings: documents.filter((doc) => doc.missing.length > 0).map((doc) => ({ path: doc.path, missing: doc.missing })),
    seconds: (performance.now() - began) / 1000,
  };
}

/** One line per document lacking required front matter, for the ingest CLI and the server log. */
export function missingFieldsWarning({ path, missing }: { path: string; missing: string[] }): string {
  return `${path}: front matter lacks ${missing.join(", ")} (required; see corpus/README.md)`;
}

/** Applies one ingest to the vector store in a single vectra update: removals, then new passages in batches. */
async function writeIndex(
  store: IndexStore,
  {
    deletions,
    toEmbed,
    toRefresh,
    embedder,
    batchSize,
    onProgress,
  }: {
    deletions: string[];
    toEmbed: Chunk[];
    toRefresh: Chunk[];
    embedder: Embedder;
    batchSize: number;
    onProgress?: IngestOptions["onProgress"];
  },
): Promise<void> {
  const sentenceVectors = await store.readSentenceVectors();
  await store.vectors.beginUpdate();
  try {
    for (const id of deletions) {
      await store.vectors.deleteItem(id);
      sentenceVectors.delete(id);
    }
    // A front-matter-only change (a new title) keeps every vector but must reach every passage's metadata.
    for (const chunk of toRefresh) {
      const item = await store.vectors.getItem(chunk.id);
      if (item) await store.vectors.upsertItem({ id: chunk.id, vector: item.vector, metadata: toMetadata(chunk) });
    }
    onProgress?.(0, toEmbed.length);
    for (let i = 0; i < toEmbed.length; i += batchSize) {
      const batch = toEmbed.slice(i, i + batchSize);
      const embedded = await embedChunks(batch, embedder);
      for (const [j, chunk] of batch.entries()) {
        await store.vectors.insertItem({ id: chunk.id, vector: embedded[j]?.vector ?? [], metadata: toMetadata(chunk) });
        sentenceVectors.set(chunk.id, embedded[j]?.sentenceVectors ?? []);
      }
      onProgress?.(Math.min(i + batchSize, toEmbed.length), toEmbed.length);
    }
    await store.writeSentenceVectors(sentenceVectors);
    await store.vectors.endUpdate();
  } catch (error) {
    store.vectors.cancelUpdate();
    throw error;
  }
}

/** A batch of passages embedded as the index holds them: the passage (with its heading) and each of its sentences. */
export async function embedChunks(chunks: Chunk[], embedder: Embedder): Promise<Array<{ vector: number[]; sentenceVectors: number[][] }>> {
  const vectors = await embedder.embedPassages(chunks.map(embeddingText));
  const sentences = chunks.map((chunk) => passageSentences(chunk.text));
  const flat = await embedder.embedPassages(sentences.flat());
  return chunks.map((_, j) => ({ vector: vectors[j] ?? [], sentenceVectors: flat.splice(0, sentences[j]?.length ?? 0) }));
}

/** What the embedder sees of a passage: its section heading gives it context. */
export function embeddingText(chunk: Chunk): string {
  const heading = chunk.sectionPath.at(-1);
  return heading ? `${heading}. ${chunk.text}` : chunk.text;
}

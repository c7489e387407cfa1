import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
// LocalIndex alone: vectra's package entry also loads its GPT tokenizer tables and text tooling, about 95 MB in
// every thread that imports the knowledge code (the server's main thread and each question worker).
import { LocalIndex } from "vectra/lib/LocalIndex.js";
import type { Chunk, ChunkOptions } from "./chunk.js";
import type { DocumentMeta } from "./load.js";

/** Bumped when chunking changes, so an index built the old way is rebuilt. */
export const CHUNKER_VERSION = 2;

export interface Manifest {
  chunkerVersion: number;
  chunking?: ChunkOptions;
  embedder: { id: string; dimensions: number };
  documents: Record<string, { site: string; hash: string; meta: DocumentMeta; chunkIds: string[] }>;
  builtAt: string;
}

type ChunkMetadata = Record<string, string | number> & { site: string };

const SEPARATOR = "\u001f";

/** The on-disk index: vectra holds vectors with each chunk as metadata; manifest.json says how it was built. */
export class IndexStore {
  readonly vectors: LocalIndex<ChunkMetadata>;

  constructor(readonly dir: string) {
    this.vectors = new LocalIndex<ChunkMetadata>(dir);
  }

  get manifestPath() {
    return path.join(this.dir, "manifest.json");
  }

  async readManifest(): Promise<Manifest | undefined> {
    try {
      return JSON.parse(await readFile(this.manifestPath, "utf8")) as Manifest;
    } catch {
      return undefined;
    }
  }

  /** Written last, atomically: an index without a manifest counts as not built. */
  async writeManifest(manifest: Manifest): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temporary = `${this.manifestPath}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(manifest, null, 1));
    await rename(temporary, this.manifestPath);
  }

  get sentencesPath() {
    return path.join(this.dir, "sentences.json");
  }

  /** Each passage's sentence vectors, by chunk id: a question is matched to the one sentence that answers it. */
  async readSentenceVectors(): Promise<Map<string, number[][]>> {
    try {
      return new Map(Object.entries(JSON.parse(await readFile(this.sentencesPath, "utf8")) as Record<string, number[][]>));
    } catch {
      return new Map();
    }
  }

  async writeSentenceVectors(vectors: Map<string, number[][]>): Promise<void> {
    const temporary = `${this.sentencesPath}.${process.pid}.tmp`;
    const rounded = Object.fromEntries([...vectors].map(([id, list]) => [id, list.map((v) => v.map((x) => Math.round(x * 1e5) / 1e5))]));
    await writeFile(temporary, JSON.stringify(rounded));
    await rename(temporary, this.sentencesPath);
  }

  async reset(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
    await this.vectors.createIndex({ version: 1, deleteIfExists: true });
  }

  async readAll(): Promise<Array<{ chunk: Chunk; vector: number[] }>> {
    const items = await this.vectors.listItems();
    return items.map((item) => ({ chunk: fromMetadata(item.id, item.metadata), vector: item.vector }));
  }
}

export function toMetadata(chunk: Chunk): ChunkMetadata {
  return {
    site: chunk.site,
    document: chunk.document,
    title: chunk.title,
    sectionPath: chunk.sectionPath.join(SEPARATOR),
    anchor: chunk.anchor,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
  };
}

function fromMetadata(id: string, metadata: ChunkMetadata): Chunk {
  const sectionPath = String(metadata.sectionPath ?? "");
  return {
    id,
    site: metadata.site,
    document: String(metadata.document),
    title: String(metadata.title),
    sectionPath: sectionPath ? sectionPath.split(SEPARATOR) : [],
    anchor: String(metadata.anchor),
    text: String(metadata.text),
    start: Number(metadata.start),
    end: Number(metadata.end),
  };
}

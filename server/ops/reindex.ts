import { existsSync } from "node:fs";
import { cp, rename, rm } from "node:fs/promises";
import path from "node:path";
import { watch } from "chokidar";
import type { Embedder } from "../knowledge/embed/embedder.js";
import { ingest, type IngestSummary, missingFieldsWarning } from "../knowledge/ingest.js";
import { openKnowledge } from "../knowledge/knowledge.js";
import type { LanguageModel } from "../language/model.js";
import type { LoadFailure } from "../knowledge/load.js";
import type { LiveKnowledge } from "./live-knowledge.js";

export interface ReindexResult {
  ok: boolean;
  /** What asked for it: "watch", "staff", ... */
  reason: string;
  seconds: number;
  summary?: Pick<IngestSummary, "documents" | "chunks" | "embedded" | "reused" | "changedDocuments" | "removedDocuments">;
  /** Documents that did not load; their old passages stay in the index. */
  failures: LoadFailure[];
  error?: string;
}

export interface ReindexState {
  running: boolean;
  lastSuccessAt?: Date;
  last?: ReindexResult;
  /** Documents failing as of the last re-index (empty after a clean one). */
  failures: LoadFailure[];
}

export interface ReindexerOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** The language layer every rebuilt knowledge reads questions with. */
  language?: LanguageModel;
  live: LiveKnowledge;
  log: (line: string) => void;
  /** The start-up ingest, so the state is right before the first re-index. */
  initial: { at: Date; failures: LoadFailure[] };
  onResult?: (result: ReindexResult) => void;
}

/**
 * Re-indexes while the server runs: copies the index beside itself (`INDEX_DIR.next`), brings the copy up to date
 * with the corpus (only changed documents are re-embedded), opens it, swaps it in for new requests, then moves it
 * into INDEX_DIR. Requests in flight finish on the old one. One run at a time; asks during a run coalesce into
 * one more run.
 */
export function createReindexer({ corpusDir, indexDir, embedder, language, live, log, initial, onResult }: ReindexerOptions) {
  const state: ReindexState = { running: false, lastSuccessAt: initial.at, failures: initial.failures };
  let running: Promise<ReindexResult> | null = null;
  let queued: Promise<ReindexResult> | null = null;

  async function build(reason: string): Promise<ReindexResult> {
    const began = performance.now();
    const staging = `${indexDir}.next`;
    const seconds = () => Math.round(performance.now() - began) / 1000;
    let result: ReindexResult;
    try {
      await rm(staging, { recursive: true, force: true });
      if (existsSync(indexDir)) await cp(indexDir, staging, { recursive: true });
      const summary = await ingest({ corpusDir, indexDir: staging, embedder });
      const next = await openKnowledge({ indexDir: staging, embedder, language });
      live.swap(next);
      // The new index is in memory now; put its files where a restart looks for them.
      const old = `${indexDir}.old`;
      await rm(old, { recursive: true, force: true });
      if (existsSync(indexDir)) await rename(indexDir, old);
      await rename(staging, indexDir);
      await rm(old, { recursive: true, force: true });
      const { documents, chunks, embedded, reused, changedDocuments, removedDocuments } = summary;
      result = {
        ok: true,
        reason,
        seconds: seconds(),
        summary: { documents, chunks, embedded, reused, changedDocuments, removedDocuments },
        failures: summary.failures,
      };
      state.lastSuccessAt = new Date();
      state.failures = summary.failures;
      for (const failure of summary.failures)
        log(`warn: reindex: could not load ${failure.path} (its old passages stay): ${failure.reason}`);
      for (const warning of summary.warnings) log(`warn: reindex: ${missingFieldsWarning(warning)}`);
      log(
        `reindex (${reason}): ${chunks} passages from ${documents} documents, ${embedded} embedded, ` +
          `${changedDocuments.length} changed, ${removedDocuments.length} removed, in ${result.seconds} s`,
      );
    } catch (error) {
      await rm(staging, { recursive: true, force: true }).catch(() => {});
      result = {
        ok: false,
        reason,
        seconds: seconds(),
        failures: state.failures,
        error: error instanceof Error ? error.message : String(error),
      };
      log(`error: reindex (${reason}) failed; the previous index keeps answering: ${result.error}`);
    }
    state.last = result;
    onResult?.(result);
    return result;
  }

  function run(reason: string): Promise<ReindexResult> {
    if (!running) {
      state.running = true;
      running = build(reason).finally(() => {
        running = null;
        state.running = queued !== null;
      });
      return running;
    }
    queued ??= running.then(() => {
      queued = null;
      return run(reason);
    });
    return queued;
  }

  /** Resolves once no run is going or queued (shutdown waits, so INDEX_DIR is never left half moved). */
  async function settled(): Promise<void> {
    while (running || queued) await (queued ?? running);
  }

  return { run, settled, state: (): ReindexState => state };
}

export type Reindexer = ReturnType<typeof createReindexer>;

/** How long the corpus must be quiet before a re-index starts. */
const QUIET_MS = 1_000;

/**
 * Watches CORPUS_DIR and re-indexes once it has been quiet for a second (an editor's save, a copied folder or
 * `npm run fetch-policies` writing several files all end in one run). Hidden and editor temporary files are ignored.
 */
export function watchCorpus(corpusDir: string, reindexer: Reindexer) {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(corpusDir, {
    ignoreInitial: true,
    ignored: (file) => /^\.|~$|\.swp$|\.tmp$/.test(path.basename(file)),
    awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
  });
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reindexer.run("watch"), QUIET_MS);
  });
  return {
    ready: new Promise<void>((resolve) => watcher.once("ready", () => resolve())),
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}

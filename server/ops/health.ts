import type { Knowledge } from "../knowledge/types.js";
import type { Db } from "../rights/db.js";
import type { ReindexState } from "./reindex.js";

export interface ReadinessParts {
  knowledge: Knowledge;
  db?: Db;
  reindex?: () => ReindexState;
}

export interface Readiness {
  status: "ready" | "not_ready";
  checks: {
    database: { ok: boolean; detail?: string };
    index: { ok: boolean; passages: number; documents: number; sites: number; detail?: string };
    embedder: { ok: boolean; id: string; detail?: string };
    /** Documents that failed at the last (re-)index keep their old passages: reported, not fatal. */
    corpus: { ok: boolean; failing: Array<{ path: string; reason: string }>; lastReindex?: { ok: boolean; at?: string; error?: string } };
  };
}

const PROBE_TIMEOUT_MS = 2_000;

/** Ready = the database answers, an index with passages is loaded, the embedder answers a probe. */
export async function readiness({ knowledge, db, reindex }: ReadinessParts): Promise<Readiness> {
  const health = knowledge.health();
  const [database, embedder] = await Promise.all([
    db ? probe(() => db.query("SELECT 1")) : Promise.resolve({ ok: true, detail: "no database configured" }),
    probe(() => knowledge.search("privacy", health.sites[0] ?? "", 1)),
  ]);
  const state = reindex?.();
  const index = {
    ok: health.chunks > 0,
    passages: health.chunks,
    documents: health.documents,
    sites: health.sites.length,
    ...(health.chunks > 0 ? {} : { detail: "the index has no passages" }),
  };
  const corpus = {
    ok: (state?.failures.length ?? 0) === 0 && state?.last?.ok !== false,
    failing: state?.failures ?? [],
    ...(state?.last ? { lastReindex: { ok: state.last.ok, at: state.lastSuccessAt?.toISOString(), error: state.last.error } } : {}),
  };
  const checks = { database, index, embedder: { ...embedder, id: health.embedder.id }, corpus };
  return { status: database.ok && index.ok && embedder.ok ? "ready" : "not_ready", checks };
}

async function probe(work: () => Promise<unknown>): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

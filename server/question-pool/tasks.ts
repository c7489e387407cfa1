import type { Answered } from "../assistant.js";
import type { CreateEmbedderOptions } from "../knowledge/embed/index.js";
import type { EmbedderInfo } from "../knowledge/types.js";
import type { IndexSnapshot } from "../knowledge/knowledge.js";
import type { Citation } from "../knowledge/types.js";
import type { LanguageModel } from "../language/model.js";

/** What every worker is started with. */
export interface WorkerSetup {
  embedder: Omit<CreateEmbedderOptions, "log">;
  questionCacheSize: number;
}

/**
 * The knowledge a question is answered on. A worker keeps the last one it was given; a task names its generation and
 * carries the data only when the worker said it has an older one (`stale`).
 */
export interface KnowledgeState {
  generation: number;
  snapshot: IndexSnapshot;
  language?: LanguageModel;
}

type OnKnowledge = { generation: number; state?: KnowledgeState };

export type Task =
  | { kind: "info" }
  | { kind: "passages"; texts: string[] }
  | { kind: "query"; text: string }
  | ({ kind: "ask"; question: string; site: string } & OnKnowledge)
  | ({ kind: "search"; query: string; site: string; limit?: number } & OnKnowledge);

/** Seconds spent embedding questions during a task (none when the question's vector was cached). */
type Timed = { embeddingSeconds: number[] };

export type Stale = { stale: true };

export interface Results {
  info: { info: EmbedderInfo; lines: string[] };
  passages: number[][];
  query: number[];
  ask: (Answered & Timed) | Stale;
  search: ({ citations: Citation[] } & Timed) | Stale;
}

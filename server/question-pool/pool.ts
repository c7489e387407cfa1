import os from "node:os";
import { Piscina } from "piscina";
import type { Answered } from "../assistant.js";
import type { Embedder } from "../knowledge/embed/embedder.js";
import type { IndexSnapshot } from "../knowledge/knowledge.js";
import type { Citation } from "../knowledge/types.js";
import type { LanguageModel } from "../language/model.js";
import type { KnowledgeState, Results, Task, WorkerSetup } from "./tasks.js";

export interface QuestionPoolOptions extends WorkerSetup {
  /** Worker threads; default one per core. */
  threads?: number;
  /** Told how long each question embedded in a worker took (metrics). */
  onQuestionEmbedded?: (seconds: number) => void;
}

/** The knowledge current for a request (the server's LiveKnowledge pins it per request) and the language layer. */
export type CurrentKnowledge = () => { snapshot: IndexSnapshot | undefined; language?: LanguageModel };

/** Fewest passages worth sending to a worker of their own when ingest splits a batch. */
const PASSAGES_PER_WORKER = 32;

/**
 * Questions answered off the event loop: a pool of worker threads (piscina), one per core, each with its own embedder
 * and a copy of the knowledge, answers /api/ask and /api/search whole (embedding, retrieval, re-ranking, the verifier),
 * so the main thread only speaks HTTP and both cores answer. Passages for ingest are embedded there too, so the main
 * thread never loads a model.
 */
export class QuestionPool {
  readonly #generations = new WeakMap<IndexSnapshot, KnowledgeState>();
  #nextGeneration = 1;

  private constructor(
    private readonly pool: Piscina,
    private readonly threads: number,
    /** Embeds through the workers; for ingest and re-index. */
    readonly embedder: Embedder,
    /** What the embedder said at start-up: the model in use, or why it fell back. */
    readonly startLines: string[],
    private readonly onQuestionEmbedded: (seconds: number) => void,
  ) {}

  /** Starts the workers and waits for their embedder; throws when it cannot be loaded. */
  static async start({ threads = os.availableParallelism(), onQuestionEmbedded = () => {}, ...setup }: QuestionPoolOptions) {
    const pool = new Piscina({
      filename: new URL("./worker.mjs", import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: setup satisfies WorkerSetup,
    });
    const run = <K extends Task["kind"]>(task: Extract<Task, { kind: K }>) => pool.run(task) as Promise<Results[K]>;
    try {
      const { info, lines } = await run({ kind: "info" });
      const embedder: Embedder = {
        info,
        embedQuery: (text) => run({ kind: "query", text }),
        async embedPassages(texts) {
          const size = Math.max(PASSAGES_PER_WORKER, Math.ceil(texts.length / threads));
          const parts = [];
          for (let start = 0; start < texts.length; start += size)
            parts.push(run({ kind: "passages", texts: texts.slice(start, start + size) }));
          return (await Promise.all(parts)).flat();
        },
      };
      return new QuestionPool(pool, threads, embedder, lines, onQuestionEmbedded);
    } catch (error) {
      await pool.destroy();
      throw error;
    }
  }

  /** Answers on the knowledge current now. */
  async ask(current: CurrentKnowledge, question: string, site: string): Promise<Answered> {
    const result = await this.onKnowledge(current, (on) => ({ kind: "ask", question, site, ...on }) as const);
    return { reply: result.reply, topic: result.topic };
  }

  /** Staff search on the knowledge current now. */
  async search(current: CurrentKnowledge, query: string, site: string, limit?: number): Promise<Citation[]> {
    return (await this.onKnowledge(current, (on) => ({ kind: "search", query, site, limit, ...on }) as const)).citations;
  }

  /** How many workers answer. */
  get size(): number {
    return this.threads;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  /** Runs a task on the request's knowledge; a worker holding an older one is sent the new one on a second try. */
  private async onKnowledge<T extends Extract<Task, { generation: number }>>(
    current: CurrentKnowledge,
    task: (on: { generation: number; state?: KnowledgeState }) => T,
  ): Promise<Exclude<Results[T["kind"]], { stale: true }>> {
    const state = this.stateOf(current);
    let result = (await this.pool.run(task({ generation: state.generation }))) as Results[T["kind"]];
    if ("stale" in result) result = (await this.pool.run(task({ generation: state.generation, state }))) as Results[T["kind"]];
    if ("stale" in result) throw new Error("question pool: a worker refused the knowledge it was sent");
    for (const seconds of result.embeddingSeconds) this.onQuestionEmbedded(seconds);
    return result as Exclude<Results[T["kind"]], { stale: true }>;
  }

  private stateOf(current: CurrentKnowledge): KnowledgeState {
    const { snapshot, language } = current();
    if (!snapshot) throw new Error("question pool: the knowledge was not read from an index folder");
    let state = this.#generations.get(snapshot);
    if (!state) {
      state = { generation: this.#nextGeneration++, snapshot, language };
      this.#generations.set(snapshot, state);
    }
    return state;
  }
}

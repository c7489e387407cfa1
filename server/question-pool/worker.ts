import { workerData } from "node:worker_threads";
import { type Assistant, createAssistant } from "../assistant.js";
import type { Embedder } from "../knowledge/embed/embedder.js";
import { createEmbedder } from "../knowledge/embed/index.js";
import { withQuestionCache } from "../knowledge/embed/question-cache.js";
import { knowledgeFrom } from "../knowledge/knowledge.js";
import type { Knowledge } from "../knowledge/types.js";
import type { Results, Stale, Task, WorkerSetup } from "./tasks.js";

/** A worker of the question pool: its own embedder, and the knowledge it answers on. One task at a time. */
const setup = workerData as WorkerSetup;
const lines: string[] = [];
const embeddingSeconds: number[] = [];
const loaded = createEmbedder({ ...setup.embedder, log: (line) => lines.push(line) });
const embedder = loaded.then((inner) => withQuestionCache(timed(inner), setup.questionCacheSize));
let current: { generation: number; knowledge: Knowledge; assistant: Assistant } | undefined;

function timed(inner: Embedder): Embedder {
  return {
    info: inner.info,
    embedPassages: (texts) => inner.embedPassages(texts),
    async embedQuery(text) {
      const began = performance.now();
      try {
        return await inner.embedQuery(text);
      } finally {
        embeddingSeconds.push((performance.now() - began) / 1000);
      }
    },
  };
}

/** The knowledge of the task's generation; undefined when this worker has an older one and the task brought none. */
async function knowledgeFor(task: Extract<Task, { generation: number }>) {
  if (current?.generation === task.generation) return current;
  if (!task.state) return undefined;
  const { generation, snapshot, language } = task.state;
  const knowledge = await knowledgeFrom(snapshot, { embedder: await embedder, language });
  current = { generation, knowledge, assistant: createAssistant(knowledge) };
  return current;
}

const STALE: Stale = { stale: true };

export default async function run(task: Task): Promise<Results[Task["kind"]]> {
  embeddingSeconds.length = 0;
  switch (task.kind) {
    case "info":
      return { info: (await embedder).info, lines };
    case "passages":
      return (await embedder).embedPassages(task.texts);
    case "query":
      return (await embedder).embedQuery(task.text);
    case "ask": {
      const on = await knowledgeFor(task);
      if (!on) return STALE;
      return { ...(await on.assistant.answer(task.question, task.site)), embeddingSeconds };
    }
    case "search": {
      const on = await knowledgeFor(task);
      if (!on) return STALE;
      return { citations: await on.knowledge.search(task.query, task.site, task.limit), embeddingSeconds };
    }
  }
}

import { loadTaxonomy } from "../language/data.js";
import { answerFeatures, verify } from "../language/answerability.js";
import type { LanguageModel } from "../language/model.js";
import { adaptQuery } from "../language/query-adapter.js";
import { terms } from "./text.js";
import { type Understanding, expansionFor, passageTopics, understand } from "../language/understand.js";
import { toCitation } from "./answer.js";
import { type Chunk, chunkTerms } from "./chunk.js";
import type { Embedder } from "./embed/embedder.js";
import type { LexicalIndex } from "./lexical.js";
import { Retriever, type RetrieverOptions, type Scored } from "./retrieve.js";
import { IndexStore, type Manifest } from "./store.js";
import type { Citation, Knowledge, SiteInfo } from "./types.js";

export class IndexMismatchError extends Error {}

export interface OpenKnowledgeOptions {
  indexDir: string;
  embedder: Embedder;
  /** The privacy-language layer; without it, questions are read by their words alone. */
  language?: LanguageModel;
  retriever?: RetrieverOptions;
}

/** Everything the assistant needs to answer one message, from one retrieval. */
export interface Consultation {
  question: string;
  site: SiteInfo;
  /** The language layer's reading of the question, when there is a layer. */
  understanding?: Understanding;
  /** The best passages, best first. */
  results: Scored[];
  /** For each result, the verifier's probability that it answers the question (empty without a language layer). */
  answerability: number[];
  /** Every passage the retrieval scored, best first (results are its head): where a right's own passage is found. */
  candidates: Scored[];
  lexical: LexicalIndex;
  /** Topic ids in the order of `understanding.topics` and each result's topic probabilities. */
  topicIds: string[];
  /** Each topic's words as policies write them (empty without a language layer). */
  topicWords: Record<string, string>;
  cite(result: Scored): Citation;
}

/**
 * A built index as read from its folder: plain data, so it can be handed to a worker thread (structured clone), which
 * builds the same knowledge from it without reading files that a re-index may be replacing.
 */
export interface IndexSnapshot {
  indexDir: string;
  manifest: Manifest;
  entries: Array<{ chunk: Chunk; vector: number[] }>;
  /** Each passage's sentence vectors, by chunk id. */
  sentenceVectors: Array<[string, number[][]]>;
}

/** Reads a built index; refuses a folder without one. */
export async function readIndex(indexDir: string): Promise<IndexSnapshot> {
  const store = new IndexStore(indexDir);
  const manifest = await store.readManifest();
  if (!manifest) throw new IndexMismatchError(`No index in ${indexDir}: run \`npm run ingest\` first.`);
  return { indexDir, manifest, entries: await store.readAll(), sentenceVectors: [...(await store.readSentenceVectors())] };
}

/** Opens a built index for questions; refuses one built by another embedder. */
export async function openKnowledge({ indexDir, ...options }: OpenKnowledgeOptions): Promise<Knowledge> {
  return knowledgeFrom(await readIndex(indexDir), options);
}

/** The knowledge of an index already read (readIndex); refuses one built by another embedder. */
export async function knowledgeFrom(
  snapshot: IndexSnapshot,
  { embedder, language, retriever: retrieverOptions }: Omit<OpenKnowledgeOptions, "indexDir">,
): Promise<Knowledge> {
  const { indexDir, manifest, entries } = snapshot;
  const { id, dimensions } = manifest.embedder;
  if (id !== embedder.info.id || dimensions !== embedder.info.dimensions) {
    throw new IndexMismatchError(
      `The index in ${indexDir} was built with the embedder ${id} (${dimensions} dims), but the server uses ${embedder.info.id} ` +
        `(${embedder.info.dimensions} dims). Re-ingest with \`npm run ingest\` to rebuild it.`,
    );
  }
  if (language && language.embedder !== embedder.info.id) {
    throw new IndexMismatchError(
      `The language model was trained on ${language.embedder} vectors, but the server uses ${embedder.info.id}.`,
    );
  }
  const sentenceVectors = new Map(snapshot.sentenceVectors);
  // Passage topics are read from the stored vectors with the model in use, so a retrained model needs no re-ingest.
  const passages = entries.map(({ chunk, vector }) => {
    const sentences = sentenceVectors.get(chunk.id) ?? [];
    return { chunk, vector, sentenceVectors: sentences, topics: language ? passageTopics(language, vector, sentences) : [] };
  });
  const retriever = new Retriever(passages, embedder, retrieverOptions);
  const topicIds = language?.passageTopics.labels ?? [];
  const taxonomy = language ? await loadTaxonomy() : undefined;
  const sites = siteInfos(manifest.documents);
  // Each passage links to its own document's page, falling back to the site's main policy URL.
  const cite = (result: Scored) => {
    const site = sites.get(result.chunk.site) as SiteInfo;
    const citation = toCitation(result, { ...site, url: manifest.documents[result.chunk.document]?.meta.url || site.url });
    return language ? { ...citation, topics: passageTopicIds(result.topics, topicIds) } : citation;
  };

  return {
    snapshot: () => snapshot,
    sites: () => [...sites.values()],
    site: (site) => sites.get(site),
    async search(query, site, limit = 10): Promise<Citation[]> {
      if (!sites.has(site)) return [];
      const vector = await embedder.embedQuery(query);
      const topics = language ? understand(language, vector).topics : undefined;
      return (
        await retriever.retrieve(query, site, limit, { vector, searchVector: adaptQuery(language?.queryAdapter, vector), topics })
      ).map(cite);
    },
    async consult(question, site, limit = 5) {
      const info = sites.get(site);
      const lexical = retriever.lexicalIndex(site);
      if (!info || !lexical) return undefined;
      const vector = await embedder.embedQuery(question);
      const understanding = language ? understand(language, vector) : undefined;
      const expansion = understanding && language ? expansionFor(understanding.topics, language) : undefined;
      const candidates = await retriever.retrieve(question, site, Number.POSITIVE_INFINITY, {
        vector,
        searchVector: adaptQuery(language?.queryAdapter, vector),
        topics: understanding?.topics,
        expansion,
      });
      const results = candidates.slice(0, limit);
      const reading = understanding && language && { question, understanding, lexical, topicIds, topicWords: language.topicWords };
      return {
        question,
        site: info,
        understanding,
        results,
        answerability: reading && language ? verify(language.answerability, answerFeatures(reading, results)) : [],
        candidates,
        lexical,
        topicIds,
        topicWords: language?.topicWords ?? {},
        cite,
      };
    },
    coverage(site) {
      if (!sites.has(site)) return undefined;
      if (!language || !taxonomy) return { site, available: false, topics: [], missing: [], untagged: [] };
      const own = passages.filter((p) => p.chunk.site === site);
      const carriers = (id: string) => {
        const index = topicIds.indexOf(id);
        return own.filter((p) => (p.topics[index] ?? 0) >= PASSAGE_TOPIC_THRESHOLD || speaksOf(p.chunk, language.topicWords[id] ?? ""));
      };
      const topics = taxonomy
        .filter((topic) => topic.group !== "other")
        .map((topic) => ({ id: topic.id, label: topic.label, group: topic.group, passages: carriers(topic.id).length }));
      const untagged = own
        .filter((p) => passageTopicIds(p.topics, topicIds).filter((id) => id !== "not_privacy").length === 0)
        .map((p) => {
          const citation = cite({
            chunk: p.chunk,
            score: 0,
            lexical: 0,
            dense: 0,
            passageDense: 0,
            sentences: [],
            sentenceScores: [],
            topical: 0,
            topics: p.topics,
          });
          return { section: citation.section, excerpt: p.chunk.text.slice(0, 160), url: citation.url };
        });
      return { site, available: true, topics, missing: topics.filter((t) => t.passages === 0).map((t) => t.id), untagged };
    },
    health: () => ({
      embedder: embedder.info,
      chunks: entries.length,
      documents: Object.keys(manifest.documents).length,
      sites: [...sites.keys()],
    }),
  };
}

/** The topics a passage carries with confidence, strongest first. */
export function passageTopicIds(topics: number[], ids: string[], threshold = PASSAGE_TOPIC_THRESHOLD): string[] {
  return ids
    .map((id, i) => [id, topics[i] ?? 0] as const)
    .filter(([, p]) => p >= threshold)
    .sort((a, b) => b[1] - a[1])
    .map(([id]) => id);
}

/**
 * A passage also carries a topic when it uses this many distinct words of the topic's policy vocabulary
 * ("keeps … for three years and then deletes" is about retention, whatever the classifier makes of it).
 */
export const TOPIC_TERMS_CARRY = 3;

export function speaksOf(chunk: Chunk, topicWords: string): boolean {
  const wanted = new Set(terms(topicWords));
  return new Set(chunkTerms(chunk).filter((term) => wanted.has(term))).size >= TOPIC_TERMS_CARRY;
}

/** A passage "carries" a topic at this probability (softmax over 46 topics, best of passage and sentences). */
export const PASSAGE_TOPIC_THRESHOLD = 0.3;

function siteInfos(documents: Manifest["documents"]) {
  const sites = new Map<string, SiteInfo>();
  for (const [id, doc] of Object.entries(documents).sort(([a], [b]) => a.localeCompare(b))) {
    const known = sites.get(doc.site);
    const { meta } = doc;
    sites.set(doc.site, {
      site: doc.site,
      title: known?.title || meta.title,
      organization: known?.organization || meta.organization || meta.title,
      url: known?.url || meta.url || "",
      lastRevised: known?.lastRevised || meta.lastRevised,
      contact: known?.contact || meta.contact,
      documents: [...(known?.documents ?? []), id],
    });
  }
  return sites;
}

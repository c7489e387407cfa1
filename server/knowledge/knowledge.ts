import { composeReply, toCitation } from "./answer.js";
import type { Embedder } from "./embed/embedder.js";
import { Retriever, type RetrieverOptions, type Scored } from "./retrieve.js";
import { IndexStore, type Manifest } from "./store.js";
import type { Citation, Knowledge, SiteInfo } from "./types.js";

export class IndexMismatchError extends Error {}

export interface OpenKnowledgeOptions {
  indexDir: string;
  embedder: Embedder;
  retriever?: RetrieverOptions;
}

/** Opens a built index for questions; refuses one built by another embedder. */
export async function openKnowledge({ indexDir, embedder, retriever: retrieverOptions }: OpenKnowledgeOptions): Promise<Knowledge> {
  const store = new IndexStore(indexDir);
  const manifest = await store.readManifest();
  if (!manifest) throw new IndexMismatchError(`No index in ${indexDir}: run \`npm run ingest\` first.`);
  const { id, dimensions } = manifest.embedder;
  if (id !== embedder.info.id || dimensions !== embedder.info.dimensions) {
    throw new IndexMismatchError(
      `The index in ${indexDir} was built with the embedder ${id} (${dimensions} dims), but the server uses ${embedder.info.id} ` +
        `(${embedder.info.dimensions} dims). Re-ingest with \`npm run ingest\` to rebuild it.`,
    );
  }
  const entries = await store.readAll();
  const retriever = new Retriever(
    entries.map((entry) => entry.chunk),
    store.vectors,
    embedder,
    retrieverOptions,
  );
  const sites = siteInfos(manifest.documents);
  // Each passage links to its own document's page, falling back to the site's main policy URL.
  const cite = (result: Scored) => {
    const site = sites.get(result.chunk.site) as SiteInfo;
    return toCitation(result, { ...site, url: manifest.documents[result.chunk.document]?.meta.url || site.url });
  };

  return {
    sites: () => [...sites.values()],
    site: (site) => sites.get(site),
    async search(query, site, limit = 10): Promise<Citation[]> {
      const info = sites.get(site);
      if (!info) return [];
      return (await retriever.retrieve(query, site, limit)).map(cite);
    },
    async ask(question, site) {
      const info = sites.get(site);
      const lexical = retriever.lexicalIndex(site);
      if (!info || !lexical) throw new Error(`unknown site ${site}`);
      return composeReply(question, await retriever.retrieve(question, site, 5), info, lexical, cite);
    },
    health: () => ({
      embedder: embedder.info,
      chunks: entries.length,
      documents: Object.keys(manifest.documents).length,
      sites: [...sites.keys()],
    }),
  };
}

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

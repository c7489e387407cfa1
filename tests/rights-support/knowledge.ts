import { LexicalIndex } from "../../server/knowledge/lexical.js";
import type { Knowledge, SiteInfo } from "../../server/knowledge/types.js";

export const TEST_SITES: SiteInfo[] = [
  {
    site: "acme",
    title: "Acme privacy policy",
    organization: "Acme Ltd",
    url: "https://acme.example/privacy",
    documents: ["privacy-policy.md"],
  },
  {
    site: "globex",
    title: "Globex privacy notice",
    organization: "Globex Inc",
    url: "https://globex.example/privacy",
    documents: ["privacy.md"],
  },
];

/**
 * The one part of Knowledge the rights routes use is the site directory (`site(id)`); this gives them a real
 * directory without building an embedding index. Asking or searching it is a test bug, so it throws.
 */
export function siteDirectory(sites: SiteInfo[] = TEST_SITES): Knowledge {
  const byId = new Map(sites.map((s) => [s.site, s]));
  const unused = () => {
    throw new Error("the rights tests do not ask questions");
  };
  return {
    sites: () => sites,
    site: (id) => byId.get(id),
    search: unused,
    consult: unused,
    coverage: (id) => (byId.has(id) ? { site: id, available: false, topics: [], missing: [], untagged: [] } : undefined),
    health: () => ({
      embedder: { id: "none", dimensions: 0, kind: "use-lite", description: "no embedder" },
      chunks: 0,
      documents: 0,
      sites: [...byId.keys()],
    }),
  };
}

/** A directory whose policies answer nothing: every question is consulted and finds no passage (a no-answer reply). */
export function findingNothing(directory: Knowledge = siteDirectory()): Knowledge {
  return {
    ...directory,
    consult: async (question, id) => {
      const site = directory.site(id);
      if (!site) return undefined;
      return {
        question,
        site,
        results: [],
        answerability: [],
        candidates: [],
        topicWords: {},
        lexical: new LexicalIndex([]),
        topicIds: [],
        cite: () => ({ title: "", section: "", text: "", url: "", score: 0 }),
      };
    },
  };
}

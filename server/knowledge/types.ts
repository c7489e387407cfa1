import type { Citation, Coverage } from "../contract/schemas.js";
import type { Consultation, IndexSnapshot } from "./knowledge.js";

/** A company's policy folder: corpus/<site>/, described by its documents' front matter. */
export interface SiteInfo {
  site: string;
  title: string;
  organization: string;
  url: string;
  lastRevised?: string;
  contact?: string;
  documents: string[];
}

// The wire shapes of a reply (citations, rights, the ask reply) are the contract's; knowledge produces them.
export { REQUEST_KINDS, RIGHTS, type AskKind, type RequestKind, type Right } from "../contract/constants.js";
export type { AskReply, Citation, IntakeOffer } from "../contract/schemas.js";
export interface EmbedderInfo {
  id: string;
  dimensions: number;
  kind: "transformers" | "use-lite";
  description: string;
}

/** The question-time side of the knowledge core, as the routes and CLIs see it. */
export interface Knowledge {
  sites(): SiteInfo[];
  site(id: string): SiteInfo | undefined;
  search(query: string, site: string, limit?: number): Promise<Citation[]>;
  /** Reads the question and retrieves its passages once; undefined for an unknown site. */
  consult(question: string, site: string, limit?: number): Promise<Consultation | undefined>;
  /** The privacy topics the site's policy addresses and misses (staff coverage view); undefined for an unknown site. */
  coverage(site: string): Coverage | undefined;
  health(): { embedder: EmbedderInfo; chunks: number; documents: number; sites: string[] };
  /** The index this knowledge was built from, when it was read from a folder (what a worker thread rebuilds it from). */
  snapshot?(): IndexSnapshot | undefined;
}

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

/** A passage quoted back to a visitor or a support agent. */
export interface Citation {
  title: string;
  /** Heading path, joined with " > ". */
  section: string;
  text: string;
  /** The policy URL with a fragment that lands on the passage. */
  url: string;
  score: number;
}

export const RIGHTS = [
  "access",
  "erasure",
  "rectification",
  "portability",
  "restriction",
  "objection",
  "withdraw_consent",
  "opt_out_sale",
] as const;
export type Right = (typeof RIGHTS)[number];

/** What a request to the privacy team can be: a right, or a general enquiry (a question the policy does not answer). */
export const REQUEST_KINDS = [...RIGHTS, "enquiry"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** What the widget needs to open the rights-request form. */
export interface IntakeOffer {
  right: Right;
  site: string;
  fields: string[];
}

export type AskKind = "answer" | "no_answer" | "rights_request";

export interface AskReply {
  kind: AskKind;
  /** Markdown. */
  text: string;
  citations: Citation[];
  right?: Right;
  intake?: IntakeOffer;
}

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
  ask(question: string, site: string): Promise<AskReply>;
  health(): { embedder: EmbedderInfo; chunks: number; documents: number; sites: string[] };
}

/** The shapes the staff API answers with, taken from the server where it defines them; the console only reads them. */

export { STATUSES, type Status } from "../../server/rights/statuses.js";
export { REQUEST_KINDS, RIGHTS, type Right } from "../../server/knowledge/types.js";
export type { AuditEntry, Note, RequestView } from "../../server/rights/service.js";
import type { Status } from "../../server/rights/statuses.js";
import type { AuditEntry, Note, RequestView } from "../../server/rights/service.js";

/** Requests still waiting on someone; the chart counts only these. */
export const OPEN_STATUSES: readonly Status[] = ["identity_unverified", "pending", "in_progress"];

export interface RequestDetail {
  request: RequestView;
  audit: AuditEntry[];
  notes: Note[];
}

export type { Citation } from "../../server/knowledge/types.js";
import type { Citation } from "../../server/knowledge/types.js";

export interface SearchReply {
  query: string;
  site: string;
  results: Citation[];
}

export interface SiteSummary {
  site: string;
  title: string;
  organization: string;
  url: string;
  contact?: string;
}

export interface OutboxMessage {
  id: string | number;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** The shapes the staff API answers with (see the team contract); the console only reads them. */

export const STATUSES = [
  "identity_unverified",
  "pending",
  "in_progress",
  "completed",
  "denied",
  "canceled",
  "closed_unverified",
] as const;
export type Status = (typeof STATUSES)[number];

/** Requests still waiting on someone; the chart counts only these. */
export const OPEN_STATUSES: readonly Status[] = ["identity_unverified", "pending", "in_progress"];

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

export interface RequestView {
  reference: string;
  site: string;
  right: string;
  status: string;
  email: string;
  name: string | null;
  country: string | null;
  details: string | null;
  source: string;
  jurisdiction: string | null;
  receivedAt: string;
  dueAt: string;
  verifiedAt: string | null;
  extended: boolean;
  extensionReason: string | null;
  closedAt: string | null;
  /** Why a request was denied or closed, when it was. */
  closeReason?: string | null;
  allowedTransitions: string[];
  overdue: boolean;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  note: string | null;
}

export interface Note {
  at: string;
  author: string;
  text: string;
}

export interface RequestDetail {
  request: RequestView;
  audit: AuditEntry[];
  notes: Note[];
}

export interface Citation {
  title: string;
  section: string;
  text: string;
  url: string;
  score: number;
}

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

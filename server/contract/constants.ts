/**
 * Plain values of the wire contract, shared by the server, the widget and the console.
 * This file imports nothing, so a client that takes constants from it ships exactly these bytes and no server code.
 */

/** The privacy rights a visitor can exercise through the assistant. */
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

/**
 * One wording for each right, in the requester's words: the widget offers these and the console lists requests under
 * them, so a privacy officer reads what the visitor chose. (The widget's translations follow them.)
 */
export const RIGHT_LABELS: Record<Right, string> = {
  access: "Get a copy of my data",
  erasure: "Delete my data",
  rectification: "Correct my data",
  portability: "Move my data to another service",
  restriction: "Limit how my data is used",
  objection: "Object to how my data is used",
  withdraw_consent: "Withdraw my consent",
  opt_out_sale: "Opt out of the sale or sharing of my data",
};

/** The rights' wording, and the general enquiry's. */
export const REQUEST_KIND_LABELS: Record<RequestKind, string> = { ...RIGHT_LABELS, enquiry: "Question for the privacy team" };

/** A request's statuses (server/rights/status.ts holds the moves between them). */
export const STATUSES = ["identity_unverified", "pending", "in_progress", "completed", "denied", "canceled", "closed_unverified"] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses in which the privacy team still owes an answer; only these can be overdue or extended. */
export const OPEN_STATUSES: readonly Status[] = ["identity_unverified", "pending", "in_progress"];

/** How the queue's chart groups open requests by days left to their due date (0-7, 8-14, 15-30, over 30). */
export const DAYS_LEFT_BUCKETS = ["overdue", "week", "fortnight", "month", "later"] as const;
export type DaysLeftBucket = (typeof DAYS_LEFT_BUCKETS)[number];

/** Where a request came from: the chat's offer, the standalone form, or a staff member typing one in. */
export const SOURCES = ["chat", "form", "staff"] as const;
export type Source = (typeof SOURCES)[number];
/** What the public intake accepts: "staff" is for requests staff enter themselves, never claimed by a visitor. */
export const PUBLIC_SOURCES = ["chat", "form"] as const satisfies readonly Source[];

/** What an answer to a question is. */
export const ASK_KINDS = ["answer", "no_answer", "rights_request"] as const;
export type AskKind = (typeof ASK_KINDS)[number];

export const VERDICTS = ["up", "down"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Longest question /api/ask and /api/search accept, in characters. */
export const MAX_QUESTION_LENGTH = 1000;

/**
 * Longest value accepted per intake field, in characters. The server answers 400 FIELD_TOO_LONG past these
 * (never a silent cut) and the intake form checks the same numbers before sending.
 */
export const FIELD_LIMITS = { site: 100, right: 40, email: 254, name: 200, country: 100, details: 5000 } as const;
export type LimitedField = keyof typeof FIELD_LIMITS;

/** Longest staff note, extension reason or transition note, in characters. */
export const MAX_NOTE_LENGTH = 5000;

/** Idempotency-Key on POST /api/requests: 1-200 printable ASCII characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Digits in the e-mailed verification code. */
export const CODE_DIGITS = 6;

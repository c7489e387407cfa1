/** The shapes the staff API answers with, from the wire contract; the console only reads them. */

export {
  OPEN_STATUSES,
  REQUEST_KINDS,
  RIGHTS,
  STATUSES,
  type RequestKind,
  type Right,
  type Status,
} from "../../server/contract/constants.js";
export type {
  AuditEntry,
  Citation,
  Note,
  OutboxMessage,
  QueueSummary,
  RequestDetail,
  RequestView,
  SearchReply,
  SiteSummary,
} from "../../server/contract/index.js";

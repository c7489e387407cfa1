import { createRoute, z } from "@hono/zod-openapi";
import { ERRORS, type ErrorCode } from "./errors.js";
import {
  AskReplySchema,
  AskRequestSchema,
  CodeResentSchema,
  EraseRequestSchema,
  ErrorBodySchema,
  ExtendRequestSchema,
  FeedbackCreatedSchema,
  FeedbackRequestSchema,
  HealthReplySchema,
  IdempotencyHeadersSchema,
  IntakeRequestSchema,
  ChangelogSchema,
  LivenessSchema,
  ReadinessSchema,
  ReindexFailedSchema,
  ReindexResultSchema,
  NoteRequestSchema,
  OutboxReplySchema,
  ReferenceParamsSchema,
  RequestCreatedSchema,
  RequestDetailSchema,
  RequestEnvelopeSchema,
  InsightsQuerySchema,
  InsightsSchema,
  QueueSummarySchema,
  RequestFiltersSchema,
  RequestListSchema,
  RequestVerifiedSchema,
  ResendRequestSchema,
  SearchQuerySchema,
  SearchReplySchema,
  SitesReplySchema,
  TransitionRequestSchema,
  VerifyRequestSchema,
  CoverageQuerySchema,
  CoverageSchema,
} from "./schemas.js";

/**
 * Every API route, declared once: server/routes/ implements them with OpenAPIHono, which validates against these
 * schemas and generates /api/openapi.json from them. Paths are relative to /api, where the routes are mounted.
 */

type ErrorResponse = { description: string; content: { "application/json": { schema: typeof ErrorBodySchema } } };

/**
 * The error replies a route can give, keyed by their (literal) statuses, each listing its catalogue codes. Every
 * route may answer INVALID_CHARACTER (a control character in any field, query or path; server/http.ts) and INTERNAL.
 */
function errors<C extends ErrorCode>(
  ...codes: C[]
): { [S in (typeof ERRORS)[C | "INVALID_CHARACTER" | "INTERNAL"]["status"]]: ErrorResponse } {
  const byStatus = new Map<number, ErrorCode[]>();
  // A route that needs rights storage also answers 503 when that storage does not answer (server/rights/db.ts).
  const storage = codes.includes("RIGHTS_NOT_CONFIGURED" as C) ? (["STORAGE_UNAVAILABLE"] as const) : [];
  for (const code of [...codes, ...storage, "INVALID_CHARACTER" as const, "INTERNAL" as const])
    byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  const responses: Record<number, ErrorResponse> = {};
  for (const [status, list] of byStatus) {
    responses[status] = { description: list.join(", "), content: { "application/json": { schema: ErrorBodySchema } } };
  }
  // The map above builds exactly the keys the mapped type names; TypeScript cannot follow a loop to see it.
  return responses as { [S in (typeof ERRORS)[C | "INVALID_CHARACTER" | "INTERNAL"]["status"]]: ErrorResponse };
}

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

/** Bodies the server reads go through the same three refusals first. */
const BODY_ERRORS = ["BAD_CONTENT_TYPE", "BAD_JSON", "INVALID_INPUT"] as const;
/** The rights routes answer 503 when the server has no rights storage, and 413 past the body limit. */
const RIGHTS_ERRORS = ["RIGHTS_NOT_CONFIGURED", "PAYLOAD_TOO_LARGE"] as const;
const staff = [{ staffToken: [] }];

export const STAFF_SECURITY_SCHEME = {
  type: "http",
  scheme: "bearer",
  description: "The staff token (STAFF_TOKEN or `npm run staff-token`), as `Authorization: Bearer <token>`.",
} as const;

export const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["service"],
  summary: "Embedder, index and corpus the server answers from",
  responses: { 200: json(HealthReplySchema, "Serving.") },
});

export const liveRoute = createRoute({
  method: "get",
  path: "/health/live",
  tags: ["service"],
  summary: "Liveness: the process answers",
  responses: { 200: json(LivenessSchema, "Alive.") },
});

export const readyRoute = createRoute({
  method: "get",
  path: "/health/ready",
  tags: ["service"],
  summary: "Readiness: database, index and embedder",
  responses: { 200: json(ReadinessSchema, "Ready to answer."), 503: json(ReadinessSchema, "Not ready; the failing check says why.") },
});

export const reindexRoute = createRoute({
  method: "post",
  path: "/staff/reindex",
  tags: ["staff"],
  summary: "Re-index the corpus now, swapping the new index in while requests finish on the old one",
  security: staff,
  responses: {
    200: json(ReindexResultSchema, "Re-indexed."),
    401: json(ErrorBodySchema, "UNAUTHORIZED"),
    404: json(ErrorBodySchema, "NOT_FOUND: re-indexing is not enabled on this server."),
    500: json(ReindexFailedSchema, "INTERNAL: the re-index failed; the previous index keeps answering."),
  },
});

export const changelogRoute = createRoute({
  method: "get",
  path: "/staff/changelog",
  tags: ["staff"],
  summary: "Per-site changelog of fetched policy pages (npm run fetch-policies)",
  security: staff,
  responses: { 200: json(ChangelogSchema, "Every site with at least one entry."), 401: json(ErrorBodySchema, "UNAUTHORIZED") },
});

export const askRoute = createRoute({
  method: "post",
  path: "/ask",
  tags: ["visitors"],
  summary: "Answer a question from a site's policy, with citations; or offer a rights request",
  request: { body: jsonBody(AskRequestSchema) },
  responses: {
    200: json(AskReplySchema, "An answer, a no-answer with the privacy contact, or a rights-request offer."),
    ...errors(...BODY_ERRORS, "QUESTION_MISSING", "QUESTION_TOO_LONG", "UNKNOWN_SITE", "PAYLOAD_TOO_LARGE", "RATE_LIMITED", "OVERLOADED"),
  },
});

export const sitesRoute = createRoute({
  method: "get",
  path: "/sites",
  tags: ["visitors"],
  summary: "The companies this server answers for",
  responses: { 200: json(SitesReplySchema, "One entry per corpus folder.") },
});

export const searchRoute = createRoute({
  method: "get",
  path: "/search",
  tags: ["staff"],
  summary: "Ranked policy passages for a query (staff)",
  security: staff,
  request: { query: SearchQuerySchema },
  responses: {
    200: json(SearchReplySchema, "Passages in the citation shape, best first."),
    ...errors("UNAUTHORIZED", "INVALID_INPUT", "UNKNOWN_SITE", "RATE_LIMITED"),
  },
});

export const insightsRoute = createRoute({
  method: "get",
  path: "/staff/insights",
  tags: ["staff"],
  summary: "Insights: questions asked, answered, refused and handed off per week and topic, thumbs, thumbs-down answers",
  security: staff,
  request: { query: InsightsQuerySchema },
  responses: {
    200: json(InsightsSchema, "The site's last weeks, newest first."),
    ...errors("UNAUTHORIZED", "RIGHTS_NOT_CONFIGURED", "INVALID_INPUT", "UNKNOWN_SITE"),
  },
});

export const coverageRoute = createRoute({
  method: "get",
  path: "/staff/coverage",
  tags: ["staff"],
  summary: "Policy coverage: the privacy topics visitors ask about that a site's policy does not address",
  security: staff,
  request: { query: CoverageQuerySchema },
  responses: {
    200: json(CoverageSchema, "Every topic with the number of passages carrying it, the missing ones, untagged passages."),
    ...errors("UNAUTHORIZED", "INVALID_INPUT", "UNKNOWN_SITE"),
  },
});

export const feedbackRoute = createRoute({
  method: "post",
  path: "/feedback",
  tags: ["visitors"],
  summary: "Thumbs up or down on an answer; stores no identity",
  request: { body: jsonBody(FeedbackRequestSchema) },
  responses: {
    201: json(FeedbackCreatedSchema, "Recorded."),
    ...errors(...RIGHTS_ERRORS, ...BODY_ERRORS, "UNKNOWN_SITE", "RATE_LIMITED"),
  },
});

export const createRequestRoute = createRoute({
  method: "post",
  path: "/requests",
  tags: ["requests"],
  summary: "Make a privacy request; a verification code is e-mailed",
  request: { headers: IdempotencyHeadersSchema, body: jsonBody(IntakeRequestSchema) },
  responses: {
    201: json(RequestCreatedSchema, "Created, or the same request again for a retried Idempotency-Key (Idempotent-Replayed: true)."),
    ...errors(
      ...RIGHTS_ERRORS,
      ...BODY_ERRORS,
      "IDEMPOTENCY_KEY_MISSING",
      "IDEMPOTENCY_KEY_REUSED",
      "FIELD_TOO_LONG",
      "UNKNOWN_RIGHT",
      "INVALID_EMAIL",
      "UNKNOWN_SITE",
      "RATE_LIMITED",
    ),
  },
});

export const verifyRequestRoute = createRoute({
  method: "post",
  path: "/requests/{reference}/verify",
  tags: ["requests"],
  summary: "Verify a request with the e-mailed code (the e-mail's one-time link, /verify/{token}, is a page, not API)",
  request: { params: ReferenceParamsSchema, body: jsonBody(VerifyRequestSchema) },
  responses: {
    200: json(RequestVerifiedSchema, "Verified; the request is now pending with the privacy team."),
    ...errors(
      ...RIGHTS_ERRORS,
      ...BODY_ERRORS,
      "REQUEST_NOT_FOUND",
      "CODE_INVALID",
      "CODE_EXPIRED",
      "CODE_ATTEMPTS_EXCEEDED",
      "NOT_AWAITING_VERIFICATION",
      "RATE_LIMITED",
    ),
  },
});

export const resendCodeRoute = createRoute({
  method: "post",
  path: "/requests/{reference}/resend",
  tags: ["requests"],
  summary: "E-mail a new verification code (and a new one-time link)",
  request: { params: ReferenceParamsSchema, body: jsonBody(ResendRequestSchema) },
  responses: {
    202: json(CodeResentSchema, "A new code is on its way."),
    ...errors(
      ...RIGHTS_ERRORS,
      ...BODY_ERRORS,
      "REQUEST_NOT_FOUND",
      "NOT_AWAITING_VERIFICATION",
      "RESEND_TOO_SOON",
      "RESEND_LIMIT",
      "RATE_LIMITED",
    ),
  },
});

export const listRequestsRoute = createRoute({
  method: "get",
  path: "/staff/requests",
  tags: ["staff"],
  summary: "The request queue, filtered",
  security: staff,
  request: { query: RequestFiltersSchema },
  responses: { 200: json(RequestListSchema, "Matching requests."), ...errors("UNAUTHORIZED", "RIGHTS_NOT_CONFIGURED", "INVALID_INPUT") },
});

export const queueSummaryRoute = createRoute({
  method: "get",
  path: "/staff/summary",
  tags: ["staff"],
  summary: "Open requests counted by status and by days left, for the queue's charts",
  security: staff,
  responses: {
    200: json(QueueSummarySchema, "Every open status and every bucket, zeros included."),
    ...errors("UNAUTHORIZED", "RIGHTS_NOT_CONFIGURED"),
  },
});

export const exportRequestsRoute = createRoute({
  method: "get",
  path: "/staff/requests.csv",
  tags: ["staff"],
  summary: "The same filter as a CSV download",
  security: staff,
  request: { query: RequestFiltersSchema },
  responses: {
    200: {
      description: "One row per request; cells a spreadsheet would run are defused.",
      content: { "text/csv": { schema: z.string() } },
    },
    ...errors("UNAUTHORIZED", "RIGHTS_NOT_CONFIGURED", "INVALID_INPUT"),
  },
});

export const getRequestRoute = createRoute({
  method: "get",
  path: "/staff/requests/{reference}",
  tags: ["staff"],
  summary: "One request with its audit log and notes",
  security: staff,
  request: { params: ReferenceParamsSchema },
  responses: {
    200: json(RequestDetailSchema, "The request."),
    ...errors("UNAUTHORIZED", "RIGHTS_NOT_CONFIGURED", "REQUEST_NOT_FOUND"),
  },
});

export const transitionRequestRoute = createRoute({
  method: "post",
  path: "/staff/requests/{reference}/transition",
  tags: ["staff"],
  summary: "Move a request to another status (guarded by the status table)",
  security: staff,
  request: { params: ReferenceParamsSchema, body: jsonBody(TransitionRequestSchema) },
  responses: {
    200: json(RequestEnvelopeSchema, "Moved."),
    ...errors("UNAUTHORIZED", ...RIGHTS_ERRORS, ...BODY_ERRORS, "REQUEST_NOT_FOUND", "INVALID_TRANSITION", "NOTE_REQUIRED"),
  },
});

export const extendRequestRoute = createRoute({
  method: "post",
  path: "/staff/requests/{reference}/extend",
  tags: ["staff"],
  summary: "Take the one extension the regime allows",
  security: staff,
  request: { params: ReferenceParamsSchema, body: jsonBody(ExtendRequestSchema) },
  responses: {
    200: json(RequestEnvelopeSchema, "Extended."),
    ...errors("UNAUTHORIZED", ...RIGHTS_ERRORS, ...BODY_ERRORS, "REQUEST_NOT_FOUND", "EXTENSION_NOT_AVAILABLE"),
  },
});

export const eraseRequestRoute = createRoute({
  method: "post",
  path: "/staff/requests/{reference}/erase",
  tags: ["staff"],
  summary: "Erase the requester's data from a closed request now, with a reason for the audit log",
  description:
    "What RETENTION_MONTHS does after closing, done at once: e-mail, name, country, details and notes' text erased, waiting " +
    "e-mails and webhooks deleted; the request's record and audit trail stay, with an `erased` line naming who and why. " +
    "An erased request answers 200 again, unchanged.",
  security: staff,
  request: { params: ReferenceParamsSchema, body: jsonBody(EraseRequestSchema) },
  responses: {
    200: json(RequestEnvelopeSchema, "Erased."),
    ...errors("UNAUTHORIZED", ...RIGHTS_ERRORS, ...BODY_ERRORS, "REQUEST_NOT_FOUND", "REQUEST_STILL_OPEN"),
  },
});

export const addNoteRoute = createRoute({
  method: "post",
  path: "/staff/requests/{reference}/notes",
  tags: ["staff"],
  summary: "Add an internal note",
  security: staff,
  request: { params: ReferenceParamsSchema, body: jsonBody(NoteRequestSchema) },
  responses: {
    201: json(RequestDetailSchema, "The request with the note added."),
    ...errors("UNAUTHORIZED", ...RIGHTS_ERRORS, ...BODY_ERRORS, "REQUEST_NOT_FOUND"),
  },
});

export const outboxRoute = createRoute({
  method: "get",
  path: "/staff/outbox",
  tags: ["staff"],
  summary: "E-mails kept locally because SMTP_URL is not set, newest first",
  security: staff,
  responses: { 200: json(OutboxReplySchema, "The local outbox."), ...errors("UNAUTHORIZED", "RIGHTS_NOT_CONFIGURED") },
});

import { z } from "@hono/zod-openapi";
import {
  ASK_KINDS,
  CODE_DIGITS,
  DAYS_LEFT_BUCKETS,
  FIELD_LIMITS,
  MAX_NOTE_LENGTH,
  MAX_QUESTION_LENGTH,
  REQUEST_KINDS,
  RIGHTS,
  PUBLIC_SOURCES,
  SOURCES,
  STATUSES,
  VERDICTS,
} from "./constants.js";
import { ERRORS, type ErrorCode } from "./errors.js";

/**
 * The wire shapes, in zod: the routes validate with them, the OpenAPI document is generated from them and the
 * clients take their types (never their values) from here. Request schemas keep the server's own checks that
 * answer with a catalogue code (question length, field lengths, e-mail) in the handlers, so those codes stay.
 */

const iso = (description: string) => z.string().openapi({ format: "date-time", description });

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]).openapi({ description: "A code from the one error catalogue." }),
      message: z.string().openapi({ description: "Meant for people; may change, unlike the code." }),
    }),
  })
  .openapi("Error");

export const CitationSchema = z
  .object({
    title: z.string().openapi({ description: "The policy document's title." }),
    section: z.string().openapi({ description: 'Heading path, joined with " > ".' }),
    text: z.string().openapi({ description: "The quoted passage." }),
    url: z.string().openapi({ description: "The policy URL with a fragment that lands on the passage." }),
    score: z.number(),
    topics: z.array(z.string()).optional().openapi({
      description:
        "Topic labels of the passage (e.g. retention, sharing) when the index has them. Additive: older servers omit it and clients may ignore it.",
    }),
  })
  .openapi("Citation");

export const IntakeOfferSchema = z
  .object({ right: z.enum(RIGHTS), site: z.string(), fields: z.array(z.string()) })
  .openapi("IntakeOffer", { description: "What the widget needs to open the rights-request form." });

export const AskRequestSchema = z
  .object({
    question: z
      .string()
      .optional()
      .openapi({
        description: `The visitor's question, at most ${MAX_QUESTION_LENGTH} characters once trimmed (QUESTION_MISSING, QUESTION_TOO_LONG).`,
        example: "How long do you keep my chat logs?",
      }),
    site: z.string({ required_error: "site is required" }).min(1, "site is required").openapi({ example: "acme" }),
  })
  .openapi("AskRequest");

export const AskReplySchema = z
  .object({
    kind: z.enum(ASK_KINDS),
    text: z.string().openapi({ description: "Markdown." }),
    citations: z.array(CitationSchema),
    right: z.enum(RIGHTS).optional(),
    intake: IntakeOfferSchema.optional(),
  })
  .openapi("AskReply");

export const SearchQuerySchema = z.object({
  q: z.string().trim().min(1, "q is required").max(MAX_QUESTION_LENGTH),
  site: z.string().min(1, "site is required"),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const SearchReplySchema = z.object({ query: z.string(), site: z.string(), results: z.array(CitationSchema) }).openapi("SearchReply");

export const CoverageQuerySchema = z.object({ site: z.string().min(1, "site is required") });

export const CoverageSchema = z
  .object({
    site: z.string(),
    available: z.boolean().openapi({ description: "false when the server runs without the privacy-language layer" }),
    topics: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        group: z.string().openapi({ description: "practice, data, purpose or right" }),
        passages: z.number().int().openapi({ description: "passages that carry the topic with confidence" }),
      }),
    ),
    missing: z
      .array(z.string())
      .openapi({ description: "ids of the topics no passage carries: what visitors ask that the policy does not address" }),
    untagged: z.array(z.object({ section: z.string(), excerpt: z.string(), url: z.string() })).openapi({
      description: "passages that carry no topic",
    }),
  })
  .openapi("Coverage", { description: "Which privacy topics a site's policy addresses, and which passages address none." });

export const InsightsQuerySchema = z.object({
  site: z.string().min(1, "site is required").max(FIELD_LIMITS.site),
  weeks: z.coerce.number().int().min(1).max(52).default(8).openapi({ description: "How many weeks back, this one included." }),
});

const outcomeCounts = {
  asked: z.number().int(),
  answered: z.number().int().openapi({ description: "answered from the policy" }),
  refused: z.number().int().openapi({ description: "the policy does not say (no_answer)" }),
  handedOff: z.number().int().openapi({ description: "handed to a person: a rights request, or (in weeks) a general enquiry" }),
};

export const InsightsSchema = z
  .object({
    site: z.string(),
    since: z.string().openapi({ description: "Monday (UTC) of the first week counted, YYYY-MM-DD." }),
    groupedBy: z.enum(["topic", "outcome"]).openapi({ description: "topic when the language layer named topics, else outcome only" }),
    keepsQuestions: z.boolean().openapi({ description: "INSIGHTS_KEEP_QUESTIONS: whether question text is kept at all" }),
    keepDays: z.number().int().openapi({ description: "How long a kept question lives (0 when none are kept)." }),
    weeks: z.array(z.object({ week: z.string(), ...outcomeCounts, thumbsUp: z.number().int(), thumbsDown: z.number().int() })),
    topics: z.array(z.object({ topic: z.string().nullable(), label: z.string(), ...outcomeCounts })),
    thumbsDown: z.array(
      z.object({
        week: z.string(),
        kind: z.string(),
        citations: z.array(z.object({ title: z.string(), section: z.string(), url: z.string(), passage: z.string() })),
      }),
    ),
    questions: z
      .array(z.object({ week: z.string(), outcome: z.enum(ASK_KINDS), topic: z.string().nullable(), question: z.string() }))
      .openapi({ description: "Kept questions, newest first; always empty unless INSIGHTS_KEEP_QUESTIONS=true." }),
  })
  .openapi("Insights", { description: "What visitors asked a site and how it went, per ISO week; no visitor is identifiable." });

export const SiteSummarySchema = z
  .object({
    site: z.string(),
    title: z.string(),
    organization: z.string(),
    url: z.string(),
    contact: z.string().optional(),
    lastRevised: z.string().optional(),
  })
  .openapi("SiteSummary");

export const SitesReplySchema = z.object({ sites: z.array(SiteSummarySchema) }).openapi("SitesReply");

export const HealthReplySchema = z
  .object({
    status: z.literal("ok"),
    embedder: z.object({
      id: z.string(),
      dimensions: z.number().int(),
      kind: z.enum(["transformers", "use-lite"]),
      description: z.string(),
    }),
    index: z.object({ chunks: z.number().int() }),
    corpus: z.object({ documents: z.number().int(), sites: z.array(z.string()) }),
  })
  .openapi("HealthReply");

export const LivenessSchema = z
  .object({ status: z.literal("live"), uptimeSeconds: z.number().int() })
  .openapi("Liveness", { description: "The process answers; says nothing about its parts." });

const check = { ok: z.boolean(), detail: z.string().optional() };
const loadFailure = z.object({ path: z.string(), reason: z.string() });

export const ReadinessSchema = z
  .object({
    status: z.enum(["ready", "not_ready"]),
    checks: z.object({
      database: z.object(check),
      index: z.object({ ...check, passages: z.number().int(), documents: z.number().int(), sites: z.number().int() }),
      embedder: z.object({ ...check, id: z.string() }),
      corpus: z.object({
        ok: z.boolean(),
        failing: z.array(loadFailure),
        lastReindex: z.object({ ok: z.boolean(), at: z.string().optional(), error: z.string().optional() }).optional(),
      }),
    }),
  })
  .openapi("Readiness", { description: "Ready = the database answers, an index with passages is loaded, the embedder answers." });

export const ReindexResultSchema = z
  .object({
    ok: z.boolean(),
    reason: z.string().openapi({ description: 'What asked for it: "watch", "staff", ...' }),
    seconds: z.number(),
    summary: z
      .object({
        documents: z.number().int(),
        chunks: z.number().int(),
        embedded: z.number().int(),
        reused: z.number().int(),
        changedDocuments: z.array(z.string()),
        removedDocuments: z.array(z.string()),
      })
      .optional(),
    failures: z.array(loadFailure).openapi({ description: "Documents that did not load; their old passages stay." }),
    error: z.string().optional(),
  })
  .openapi("ReindexResult");

export const ReindexFailedSchema = ErrorBodySchema.extend({ result: ReindexResultSchema }).openapi("ReindexFailed");

export const ChangelogSchema = z
  .object({
    sites: z.array(
      z.object({
        site: z.string(),
        entries: z.array(
          z.object({
            date: z.string().openapi({ description: "ISO day of the fetch that saw the change" }),
            document: z.string(),
            source: z.string(),
            sections: z.array(z.string()),
            summary: z.string().openapi({ example: "changed on 2026-04-15: sections Payment information, How long we keep your data" }),
          }),
        ),
      }),
    ),
  })
  .openapi("Changelog", { description: "Changes `npm run fetch-policies` saw in each site's pages, newest first." });

export const FeedbackRequestSchema = z
  .object({
    site: z.string({ required_error: "site is required" }).min(1).max(FIELD_LIMITS.site),
    verdict: z.enum(VERDICTS),
    kind: z.enum(ASK_KINDS),
    citations: z
      .array(
        z.object({
          title: z.string().max(300),
          section: z.string().max(500),
          url: z.string().max(2000),
          text: z.string().max(2000).optional().openapi({ description: "The cited passage as shown, for staff's review of thumbs down." }),
        }),
      )
      .max(20)
      .default([]),
  })
  .openapi("FeedbackRequest");

export const FeedbackCreatedSchema = z.object({ id: z.number().int() }).openapi("FeedbackCreated");

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value?.trim() || undefined);

export const IntakeRequestSchema = z
  .object({
    site: z.string({ required_error: "site is required" }).trim().min(1, "site is required"),
    right: z
      .string({ required_error: "right is required" })
      .trim()
      .min(1, "right is required")
      .openapi({ description: `One of ${REQUEST_KINDS.join(", ")} (UNKNOWN_RIGHT otherwise).` }),
    email: z.string({ required_error: "email is required" }).trim().openapi({ description: "Receives the verification code." }),
    name: optionalText,
    country: optionalText.openapi({ description: "Decides the legal deadline (GDPR, UK GDPR, CCPA, LGPD, or the default)." }),
    details: optionalText,
    source: z.enum(PUBLIC_SOURCES, { errorMap: () => ({ message: `source must be one of ${PUBLIC_SOURCES.join(", ")}` }) }),
  })
  .openapi("IntakeRequest", {
    description: `Field limits in characters (FIELD_TOO_LONG past them): ${Object.entries(FIELD_LIMITS)
      .map(([field, max]) => `${field} ${max}`)
      .join(", ")}.`,
  });

export const RequestCreatedSchema = z
  .object({
    reference: z.string().openapi({ example: "PR-7K4M-Q2XD" }),
    status: z.enum(STATUSES),
    dueAt: iso("The legal deadline."),
    resendAvailableAt: iso("When a new code may be asked for."),
  })
  .openapi("RequestCreated");

export const VerifyRequestSchema = z
  .object({
    code: z
      .string({ required_error: "code is required" })
      .trim()
      .regex(new RegExp(`^\\d{${CODE_DIGITS}}$`), `code must be ${CODE_DIGITS} digits`),
  })
  .openapi("VerifyRequest");

/** JSON only, like every body the API reads, so a cross-site form cannot ask for codes; it carries nothing. */
export const ResendRequestSchema = z.object({}).openapi("ResendRequest");

export const RequestVerifiedSchema = z
  .object({ reference: z.string(), status: z.enum(STATUSES), dueAt: iso("The legal deadline.") })
  .openapi("RequestVerified");

export const CodeResentSchema = z
  .object({ reference: z.string(), resendAvailableAt: iso("When another code may be asked for.") })
  .openapi("CodeResent");

export const ReferenceParamsSchema = z.object({
  reference: z.string().openapi({
    param: { name: "reference", in: "path" },
    description: "The request's reference; lower case, spaces, O for 0 and I/L for 1 are accepted.",
    example: "PR-7K4M-Q2XD",
  }),
});

export const IdempotencyHeadersSchema = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .openapi({ description: "Required: 1-200 printable characters; a retry with the same key and body gets the same request." }),
});

export const RequestFiltersSchema = z.object({
  status: z.enum(STATUSES).optional(),
  site: z.string().max(FIELD_LIMITS.site).optional(),
  right: z.enum(REQUEST_KINDS).optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
  state: z
    .enum(["open", "closed"])
    .optional()
    .openapi({ description: "open: the team still owes an answer; closed: completed, denied, canceled or closed unverified." }),
  q: z
    .string()
    .trim()
    .max(FIELD_LIMITS.email)
    .optional()
    .openapi({ description: "Part of a reference (any case) or of the requester's e-mail address." }),
  order: z
    .enum(["due", "-due"])
    .optional()
    .openapi({ description: "By due date, earliest first (due, the default) or latest first (-due)." }),
  limit: z.coerce.number().int().min(1).max(5000).optional().openapi({ description: "Requests per page (default 1000)." }),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional().openapi({ description: "Requests to skip, for the next pages." }),
});

export const RequestViewSchema = z
  .object({
    reference: z.string(),
    site: z.string(),
    right: z.enum(REQUEST_KINDS),
    status: z.enum(STATUSES),
    email: z.string(),
    name: z.string().nullable(),
    country: z.string().nullable(),
    details: z.string().nullable(),
    source: z.enum(SOURCES),
    jurisdiction: z.string().openapi({ description: "GDPR, UK_GDPR, CCPA, LGPD or DEFAULT." }),
    receivedAt: iso("When the request arrived; the deadline counts from here."),
    dueAt: iso("The legal deadline, extension included."),
    verifiedAt: iso("When the requester entered the code.").nullable(),
    extended: z.boolean(),
    extensionReason: z.string().nullable(),
    closedAt: iso("When the request was closed.").nullable(),
    closeReason: z.string().nullable(),
    anonymisedAt: iso(
      "When the requester's identity (e-mail, name, country, details, notes' text) was erased: RETENTION_MONTHS after closing, or by staff.",
    ).nullable(),
    allowedTransitions: z.array(z.enum(STATUSES)).openapi({ description: "Where staff may move it next." }),
    overdue: z.boolean(),
  })
  .openapi("RequestView");

export const AuditEntrySchema = z
  .object({
    at: iso("When."),
    actor: z.string(),
    action: z.string(),
    from: z.enum(STATUSES).nullable(),
    to: z.enum(STATUSES).nullable(),
    note: z.string().nullable(),
  })
  .openapi("AuditEntry");

export const NoteSchema = z.object({ at: iso("When."), author: z.string(), text: z.string() }).openapi("Note");

export const RequestDetailSchema = z
  .object({ request: RequestViewSchema, audit: z.array(AuditEntrySchema), notes: z.array(NoteSchema) })
  .openapi("RequestDetail");

export const RequestEnvelopeSchema = z.object({ request: RequestViewSchema }).openapi("RequestEnvelope");
export const RequestListSchema = z
  .object({
    requests: z.array(RequestViewSchema),
    total: z.number().int().openapi({ description: "Requests matching the filter, on every page." }),
    offset: z.number().int(),
    limit: z.number().int(),
  })
  .openapi("RequestList");

export const QueueSummarySchema = z
  .object({
    byStatus: z.array(z.object({ status: z.enum(STATUSES), count: z.number().int() })),
    byDaysLeft: z.array(z.object({ bucket: z.enum(DAYS_LEFT_BUCKETS), count: z.number().int() })).openapi({
      description: "overdue; due within 0-7, 8-14, 15-30 or over 30 whole days",
    }),
  })
  .openapi("QueueSummary", { description: "Open requests counted on the server, for the queue's charts." });

export const TransitionRequestSchema = z
  .object({ to: z.enum(STATUSES), note: z.string().max(MAX_NOTE_LENGTH).optional() })
  .openapi("TransitionRequest");
export const ExtendRequestSchema = z
  .object({ reason: z.string().trim().min(1, "reason is required").max(MAX_NOTE_LENGTH) })
  .openapi("ExtendRequest");
export const EraseRequestSchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, "reason is required")
      .max(MAX_NOTE_LENGTH)
      .openapi({ description: "Why the data is erased now, for the audit log (it is kept: do not name the requester)." }),
  })
  .openapi("EraseRequest");
export const NoteRequestSchema = z
  .object({ text: z.string().trim().min(1, "text is required").max(MAX_NOTE_LENGTH) })
  .openapi("NoteRequest");

export const OutboxMessageSchema = z
  .object({ id: z.number().int(), to: z.string(), subject: z.string(), text: z.string(), createdAt: iso("When it was queued.") })
  .openapi("OutboxMessage");
export const OutboxReplySchema = z.object({ messages: z.array(OutboxMessageSchema) }).openapi("OutboxReply");

export type ErrorReply = z.infer<typeof ErrorBodySchema>;
export type Citation = z.infer<typeof CitationSchema>;
export type IntakeOffer = z.infer<typeof IntakeOfferSchema>;
export type AskRequest = z.input<typeof AskRequestSchema>;
export type AskReply = z.infer<typeof AskReplySchema>;
export type SearchReply = z.infer<typeof SearchReplySchema>;
export type Coverage = z.infer<typeof CoverageSchema>;
export type Insights = z.infer<typeof InsightsSchema>;
export type SiteSummary = z.infer<typeof SiteSummarySchema>;
export type HealthReply = z.infer<typeof HealthReplySchema>;
export type Readiness = z.infer<typeof ReadinessSchema>;
export type ReindexResult = z.infer<typeof ReindexResultSchema>;
export type Changelog = z.infer<typeof ChangelogSchema>;
export type FeedbackRequest = z.input<typeof FeedbackRequestSchema>;
export type IntakeRequest = z.input<typeof IntakeRequestSchema>;
export type RequestCreated = z.infer<typeof RequestCreatedSchema>;
export type RequestVerified = z.infer<typeof RequestVerifiedSchema>;
export type CodeResent = z.infer<typeof CodeResentSchema>;
export type RequestFilters = z.output<typeof RequestFiltersSchema>;
export type RequestView = z.infer<typeof RequestViewSchema>;
export type QueueSummary = z.infer<typeof QueueSummarySchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type Note = z.infer<typeof NoteSchema>;
export type RequestDetail = z.infer<typeof RequestDetailSchema>;
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One catalogue of the error codes the API can answer with. Tests assert on the code. */
export const ERRORS = {
  BAD_JSON: { status: 400, message: "The request body is not valid JSON." },
  BAD_CONTENT_TYPE: { status: 415, message: "Send the body as application/json." },
  INVALID_INPUT: { status: 400, message: "The request is not valid: %s" },
  QUESTION_MISSING: { status: 400, message: 'Ask a question: the field "question" is missing or empty.' },
  QUESTION_TOO_LONG: { status: 400, message: "The question is longer than %s characters." },
  UNKNOWN_SITE: { status: 404, message: 'There is no policy for the site "%s".' },
  UNAUTHORIZED: { status: 401, message: "A valid staff token is required (Authorization: Bearer <STAFF_TOKEN>)." },
  NOT_FOUND: { status: 404, message: "Not found: %s" },
  RATE_LIMITED: { status: 429, message: "Too many requests; try again in %s seconds." },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is larger than %s bytes." },
  IDEMPOTENCY_KEY_MISSING: {
    status: 400,
    message: "Send an Idempotency-Key header (1-%s printable characters) so a retry cannot create a second request.",
  },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: "This Idempotency-Key was already used for a different request." },
  UNKNOWN_RIGHT: { status: 400, message: 'Unknown right "%s"; use one of: %s.' },
  INVALID_EMAIL: { status: 400, message: "The e-mail address is not valid." },
  FIELD_TOO_LONG: { status: 400, message: 'The field "%s" is longer than %s characters.' },
  REQUEST_NOT_FOUND: { status: 404, message: 'There is no request with the reference "%s".' },
  CODE_INVALID: { status: 400, message: "That code is not right; %s attempts left." },
  CODE_EXPIRED: { status: 410, message: "The code has expired; ask for a new one." },
  CODE_ATTEMPTS_EXCEEDED: { status: 429, message: "Too many wrong codes; ask for a new one." },
  NOT_AWAITING_VERIFICATION: { status: 409, message: "This request is %s and does not need a code." },
  RESEND_TOO_SOON: { status: 429, message: "A code was sent recently; ask again in %s seconds." },
  RESEND_LIMIT: { status: 429, message: "No more codes can be sent for this request; start a new request." },
  INVALID_TRANSITION: { status: 409, message: "A request that is %s cannot become %s." },
  NOTE_REQUIRED: { status: 400, message: "Moving a request to %s needs a note giving the reason." },
  EXTENSION_NOT_AVAILABLE: { status: 409, message: "%s" },
  INTERNAL: { status: 500, message: "Something went wrong on our side; nothing you sent was lost." },
} as const satisfies Record<string, { status: ContentfulStatusCode; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A request the server refuses, with a code from the catalogue. */
export class AppError extends HTTPException {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, args: Array<string | number> = [], headers: Record<string, string> = {}) {
    const { status, message } = ERRORS[code];
    super(status, { message: format(message, args) });
    this.code = code;
    this.headers = headers;
  }
}

function format(template: string, args: Array<string | number>): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++] ?? ""));
}

export function errorBody(code: ErrorCode | string, message: string) {
  return { error: { code, message } };
}

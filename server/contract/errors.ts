/**
 * One catalogue of the error codes the API answers with, as `{ error: { code, message } }`; tests assert on the code.
 * `%s` marks are filled by the server. This file imports nothing, so clients may take codes from it for free.
 */
export const ERRORS = {
  BAD_JSON: { status: 400, message: "The request body is not valid JSON." },
  BAD_CONTENT_TYPE: { status: 415, message: "Send the body as application/json." },
  INVALID_INPUT: { status: 400, message: "The request is not valid: %s" },
  INVALID_CHARACTER: {
    status: 400,
    message:
      "%s holds a character text cannot carry (a control character other than tab or newline, or half a surrogate pair); nothing was stored.",
  },
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
  CODE_ATTEMPTS_EXCEEDED: {
    status: 429,
    message: "Too many wrong tries for this code; ask for a new one, or use the link in the e-mail.",
  },
  LINK_INVALID: {
    status: 404,
    message: "This verification link is not valid: it has expired, or the request was closed. Ask for a new code.",
  },
  NOT_AWAITING_VERIFICATION: { status: 409, message: "This request is %s and does not need a code." },
  RESEND_TOO_SOON: { status: 429, message: "A code was sent recently; ask again in %s seconds." },
  RESEND_LIMIT: { status: 429, message: "No more codes can be sent for this request; start a new request." },
  INVALID_TRANSITION: { status: 409, message: "A request that is %s cannot become %s." },
  NOTE_REQUIRED: { status: 400, message: "Moving a request to %s needs a note giving the reason." },
  EXTENSION_NOT_AVAILABLE: { status: 409, message: "%s" },
  REQUEST_STILL_OPEN: {
    status: 409,
    message: "This request is %s, still open: complete, deny or cancel it first, then erase the requester's data.",
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    message:
      "The request store is not answering right now; try again in %s seconds (sending the same request again with the same Idempotency-Key never makes a second one).",
  },
  OVERLOADED: { status: 503, message: "The assistant has more questions than it can answer in time; ask again in %s seconds." },
  RIGHTS_NOT_CONFIGURED: {
    status: 503,
    message: "Privacy requests are not set up on this server (it runs without rights storage); policy answers still work.",
  },
  INTERNAL: { status: 500, message: "Something went wrong on our side; please try again." },
} as const satisfies Record<string, { status: 400 | 401 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The body of every error reply. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

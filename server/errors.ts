import { HTTPException } from "hono/http-exception";

import { ERRORS, type ErrorCode } from "./contract/errors.js";

/** The catalogue lives in the wire contract, so clients read the same codes. */
export { ERRORS, type ErrorCode };

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

export function errorBody<C extends ErrorCode>(code: C, message: string): { error: { code: C; message: string } } {
  return { error: { code, message } };
}

/**
 * How a failed API call reaches the clients. Kept apart from ./client.js (which carries hono/client) so the widget can
 * tell failures apart up front and load the client itself only when it first calls the API.
 */

/** A failed call, kept with what a client needs to explain it in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** status 0 stands for "no answer at all": offline, DNS, CORS refusal. */
export const NETWORK_ERROR = "NETWORK";
/** status 0 too, but the server answered: it does not let this page's origin read the API (ALLOWED_ORIGINS). */
export const ORIGIN_REFUSED = "ORIGIN_REFUSED";

import { ApiError, ORIGIN_REFUSED } from "../api/errors.js";
import { fill, type ChatStrings } from "./strings.js";

export { ApiError, NETWORK_ERROR, ORIGIN_REFUSED } from "../api/errors.js";

/**
 * The typed API client (hono/client), loaded on first use rather than with the widget: it is 2.4 kB gzipped that
 * a page showing only the closed button never needs. Opening the panel starts the load, so a first question does not wait.
 */
export const loadClient = () => import("../api/client.js");

/**
 * Explains a failure to a visitor. The server's own message is used for 4xx replies because it names
 * the problem ("wrong code, 2 attempts left"); network and server faults get the widget's wording.
 */
export function describeError(error: unknown, strings: ChatStrings): string {
  if (error instanceof ApiError && error.code === ORIGIN_REFUSED) return strings.errorUnavailable;
  if (!(error instanceof ApiError) || error.status === 0) return strings.errorNetwork;
  if (error.status === 429 && error.retryAfterSeconds) {
    return error.code === "RATE_LIMITED" || error.code.startsWith("HTTP_")
      ? fill(strings.errorRateLimited, error.retryAfterSeconds)
      : error.message;
  }
  if (error.status >= 500) return strings.errorServer;
  return error.message || strings.errorServer;
}

import { fill, type ChatStrings } from "./strings.js";

/** A failed call, kept with what the widget needs to explain it in words. */
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

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
  /** The host page's origin; the browser's own by default. */
  pageOrigin?: string;
}

/**
 * Calls the API with no cookies and no referrer, so a visitor's question carries nothing but itself.
 * @example await callApi("https://host", "/api/ask", { question: "…", site: "altoros" })
 */
export async function callApi<T>(base: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const { signal, headers = {}, fetchImpl = fetch, pageOrigin = globalThis.location?.origin } = options;
  let response: Response;
  try {
    response = await fetchImpl(joinUrl(base, path), {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "omit",
      referrerPolicy: "no-referrer",
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (await refusesOrigin(base, pageOrigin, fetchImpl, signal)) throw new ApiError(0, ORIGIN_REFUSED, message);
    throw new ApiError(0, NETWORK_ERROR, message);
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const detail = (payload as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new ApiError(
      response.status,
      typeof detail?.code === "string" ? detail.code : `HTTP_${response.status}`,
      typeof detail?.message === "string" ? detail.message : response.statusText,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return payload as T;
}

const hinted = new Set<string>();

/**
 * After a failed call from a page of another origin: if the API still answers an opaque (no-cors) request,
 * the network is fine and the server refused this origin. The site owner gets one console line saying what to add.
 */
async function refusesOrigin(
  base: string,
  pageOrigin: string | undefined,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<boolean> {
  const apiOrigin = URL.canParse(base) ? new URL(base).origin : undefined;
  if (!pageOrigin || !apiOrigin || apiOrigin === pageOrigin) return false;
  const reachable = await fetchImpl(joinUrl(base, "/api/health"), {
    mode: "no-cors",
    credentials: "omit",
    referrerPolicy: "no-referrer",
    signal: signal ?? null,
  }).then(
    () => true,
    () => false,
  );
  if (reachable && !hinted.has(apiOrigin)) {
    hinted.add(apiOrigin);
    console.warn(
      `<privacy-chat>: the privacy assistant API at ${apiOrigin} does not allow this page's origin. Site owner: add ${pageOrigin} to ALLOWED_ORIGINS on that server (ALLOWED_ORIGINS=${pageOrigin}) and restart it.`,
    );
  }
  return reachable;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

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

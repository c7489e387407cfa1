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

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
}

/**
 * Calls the API with no cookies and no referrer, so a visitor's question carries nothing but itself.
 * @example await callApi("https://host", "/api/ask", { question: "…", site: "altoros" })
 */
export async function callApi<T>(base: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const { signal, headers = {}, fetchImpl = fetch } = options;
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
    throw new ApiError(0, NETWORK_ERROR, error instanceof Error ? error.message : String(error));
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

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

/**
 * Explains a failure to a visitor. The server's own message is used for 4xx replies because it names
 * the problem ("wrong code, 2 attempts left"); network and server faults get the widget's wording.
 */
export function describeError(error: unknown, strings: ChatStrings): string {
  if (!(error instanceof ApiError) || error.status === 0) return strings.errorNetwork;
  if (error.status === 429 && error.retryAfterSeconds) {
    return error.code === "RATE_LIMITED" || error.code.startsWith("HTTP_")
      ? fill(strings.errorRateLimited, error.retryAfterSeconds)
      : error.message;
  }
  if (error.status >= 500) return strings.errorServer;
  return error.message || strings.errorServer;
}

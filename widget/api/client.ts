import { hc } from "hono/client";
import type { AppType } from "../../server/contract/index.js";
import { ApiError, NETWORK_ERROR, ORIGIN_REFUSED } from "./errors.js";

export { parseResponse } from "hono/client";
export { ApiError, NETWORK_ERROR, ORIGIN_REFUSED } from "./errors.js";

/**
 * The API as both clients call it: hono/client's `hc<AppType>`, typed by the server's own route declarations
 * (server/contract/routes.ts), so a request or reply that drifts from the server fails to compile. Nothing here
 * writes a URL or casts a reply; `parseResponse` from hono/client returns the typed success body.
 */

export interface ClientOptions {
  /** Origin of the API; "" for the page's own. */
  base?: string;
  /** Sent with every call, e.g. the staff console's Authorization. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** The host page's origin; the browser's own by default. Only the widget, embedded on other sites, needs it. */
  pageOrigin?: string | undefined;
  /** Words for a dead network; the widget has its own wording in the visitor's language. */
  networkMessage?: string;
}

/**
 * A typed client whose every call goes without cookies or referrer, and whose failures arrive as ApiError: the
 * server's catalogue code and message, Retry-After, or status 0 for a network that did not answer.
 * @example await parseResponse(apiClient({ base }).api.ask.$post({ json: { question, site } }))
 */
export function apiClient({
  base = "",
  headers,
  fetch: fetchImpl = globalThis.fetch,
  pageOrigin = globalThis.location?.origin,
  networkMessage,
}: ClientOptions = {}) {
  const guarded = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      const message = networkMessage ?? (error instanceof Error ? error.message : String(error));
      if (await refusesOrigin(base, pageOrigin, fetchImpl, init?.signal ?? undefined)) throw new ApiError(0, ORIGIN_REFUSED, message);
      throw new ApiError(0, NETWORK_ERROR, message);
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  };
  return hc<AppType>(base.replace(/\/+$/, ""), {
    fetch: guarded,
    ...(headers ? { headers } : {}),
    init: { credentials: "omit", referrerPolicy: "no-referrer", cache: "no-store" },
  });
}

export type ApiClient = ReturnType<typeof apiClient>;

async function errorFrom(response: Response): Promise<ApiError> {
  const payload: unknown = await response.json().catch(() => undefined);
  const detail = isRecord(payload) && isRecord(payload.error) ? payload.error : {};
  const retryAfter = Number(response.headers.get("retry-after"));
  return new ApiError(
    response.status,
    typeof detail.code === "string" ? detail.code : `HTTP_${response.status}`,
    typeof detail.message === "string" ? detail.message : `${`The server answered ${response.status} ${response.statusText}`.trim()}.`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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

import { csvFileName, csvPath, requestsPath } from "./queue.js";
import type { RequestFilters } from "./queue.js";
import type { OutboxMessage, RequestDetail, RequestView, SearchReply, SiteSummary } from "./types.js";

/** An error reply from the API, with the code from its catalogue and a message meant for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface StaffApiOptions {
  token: string;
  /** Origin of the API; "" for the console's own origin. */
  base?: string;
  fetch?: typeof globalThis.fetch;
}

/** The staff API as the console calls it: every call carries the bearer token; errors become ApiError. */
export class StaffApi {
  readonly #token: string;
  readonly #base: string;
  readonly #fetch: typeof globalThis.fetch;

  constructor({ token, base = "", fetch = globalThis.fetch.bind(globalThis) }: StaffApiOptions) {
    this.#token = token;
    this.#base = base.replace(/\/$/, "");
    this.#fetch = fetch;
  }

  sites(signal?: AbortSignal): Promise<{ sites: SiteSummary[] }> {
    return this.#json("GET", "/api/sites", undefined, signal);
  }

  search(q: string, site: string, limit = 10, signal?: AbortSignal): Promise<SearchReply> {
    const query = new URLSearchParams({ q, site, limit: String(limit) });
    return this.#json("GET", `/api/search?${query}`, undefined, signal);
  }

  requests(filters: RequestFilters, signal?: AbortSignal): Promise<{ requests: RequestView[] }> {
    return this.#json("GET", requestsPath(filters), undefined, signal);
  }

  request(reference: string, signal?: AbortSignal): Promise<RequestDetail> {
    return this.#json("GET", `/api/staff/requests/${encodeURIComponent(reference)}`, undefined, signal);
  }

  transition(reference: string, to: string, note?: string): Promise<{ request: RequestView }> {
    return this.#json("POST", `/api/staff/requests/${encodeURIComponent(reference)}/transition`, note ? { to, note } : { to });
  }

  extend(reference: string, reason: string): Promise<{ request: RequestView }> {
    return this.#json("POST", `/api/staff/requests/${encodeURIComponent(reference)}/extend`, { reason });
  }

  addNote(reference: string, text: string): Promise<unknown> {
    return this.#json("POST", `/api/staff/requests/${encodeURIComponent(reference)}/notes`, { text });
  }

  outbox(signal?: AbortSignal): Promise<{ messages: OutboxMessage[] }> {
    return this.#json("GET", "/api/staff/outbox", undefined, signal);
  }

  /** The CSV export of a filter, fetched with the token (a plain link could not carry it). */
  async csv(filters: RequestFilters, now = new Date()): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.#send("GET", csvPath(filters), undefined, undefined, "text/csv");
    return { blob: await response.blob(), fileName: csvFileName(filters, now) };
  }

  async #json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.#send(method, path, body, signal, "application/json");
    return (await response.json()) as T;
  }

  async #send(method: string, path: string, body: unknown, signal: AbortSignal | undefined, accept: string) {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, accept };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
        credentials: "omit",
        cache: "no-store",
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, "NETWORK", "The server could not be reached. Check the connection and try again.");
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return new ApiError(
    response.status,
    body?.error?.code ?? `HTTP_${response.status}`,
    body?.error?.message ?? `${`The server answered ${response.status} ${response.statusText}`.trim()}.`,
  );
}

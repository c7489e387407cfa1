import { parseResponse } from "hono/client";
import { REQUEST_KINDS, STATUSES, type Status } from "../../server/contract/constants.js";
import { type ApiClient, apiClient } from "../api/client.js";
import { csvFileName, type RequestFilters, type SortDirection } from "./queue.js";

export { ApiError } from "../api/client.js";

export interface StaffApiOptions {
  token: string;
  /** Origin of the API; "" for the console's own. */
  base?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * The staff API as the console's elements call it: each method is one typed `hc<AppType>` call (no URL strings,
 * no casts), carrying the bearer token; failures arrive as ApiError. The methods only name the calls the
 * elements make, so an element asks for `api.requests(filters)` rather than spelling the route.
 */
export class StaffApi {
  readonly #client: ApiClient;

  constructor({ token, base = "", fetch = globalThis.fetch.bind(globalThis) }: StaffApiOptions) {
    this.#client = apiClient({
      base,
      fetch,
      headers: { authorization: `Bearer ${token}` },
      networkMessage: "The server could not be reached. Check the connection and try again.",
    });
  }

  sites(signal?: AbortSignal) {
    return parseResponse(this.#client.api.sites.$get(undefined, { init: { signal: signal ?? null } }));
  }

  search(q: string, site: string, limit = 10, signal?: AbortSignal) {
    return parseResponse(this.#client.api.search.$get({ query: { q, site, limit } }, { init: { signal: signal ?? null } }));
  }

  /** A filter's requests; with `paging`, one page of them in that order (the server counts the rest). */
  requests(filters: RequestFilters, signal?: AbortSignal, paging?: { pageSize: number; direction: SortDirection }) {
    const page = paging
      ? {
          limit: paging.pageSize,
          offset: ((filters.page ?? 1) - 1) * paging.pageSize,
          order: paging.direction === "descending" ? ("-due" as const) : undefined,
        }
      : {};
    return parseResponse(
      this.#client.api.staff.requests.$get({ query: { ...filterParams(filters), ...page } }, { init: { signal: signal ?? null } }),
    );
  }

  /** Open requests counted by status and by days left, for the queue's charts. */
  summary(signal?: AbortSignal) {
    return parseResponse(this.#client.api.staff.summary.$get(undefined, { init: { signal: signal ?? null } }));
  }

  request(reference: string, signal?: AbortSignal) {
    return parseResponse(
      this.#client.api.staff.requests[":reference"].$get(
        { param: { reference: encodeURIComponent(reference) } },
        { init: { signal: signal ?? null } },
      ),
    );
  }

  transition(reference: string, to: Status, note?: string) {
    return parseResponse(
      this.#client.api.staff.requests[":reference"].transition.$post({
        param: { reference: encodeURIComponent(reference) },
        json: note ? { to, note } : { to },
      }),
    );
  }

  extend(reference: string, reason: string) {
    return parseResponse(
      this.#client.api.staff.requests[":reference"].extend.$post({ param: { reference: encodeURIComponent(reference) }, json: { reason } }),
    );
  }

  /** Erases a closed request's requester now; the reason goes to the audit log. */
  erase(reference: string, reason: string) {
    return parseResponse(
      this.#client.api.staff.requests[":reference"].erase.$post({ param: { reference: encodeURIComponent(reference) }, json: { reason } }),
    );
  }

  addNote(reference: string, text: string) {
    return parseResponse(
      this.#client.api.staff.requests[":reference"].notes.$post({ param: { reference: encodeURIComponent(reference) }, json: { text } }),
    );
  }

  /** Changes `npm run fetch-policies` saw in each site's policy pages, newest first. */
  changelog(signal?: AbortSignal) {
    return parseResponse(this.#client.api.staff.changelog.$get(undefined, { init: { signal: signal ?? null } }));
  }

  /** Which privacy topics a site's policy addresses, which it misses, and passages that address none. */
  coverage(site: string, signal?: AbortSignal) {
    return parseResponse(this.#client.api.staff.coverage.$get({ query: { site } }, { init: { signal: signal ?? null } }));
  }

  /** Per week and topic, what visitors asked a site and how it went; the thumbs-down answers to review. */
  insights(site: string, signal?: AbortSignal) {
    return parseResponse(this.#client.api.staff.insights.$get({ query: { site } }, { init: { signal: signal ?? null } }));
  }

  outbox(signal?: AbortSignal) {
    return parseResponse(this.#client.api.staff.outbox.$get(undefined, { init: { signal: signal ?? null } }));
  }

  /** The CSV export of a filter, fetched with the token (a plain link could not carry it). */
  async csv(filters: RequestFilters, now = new Date()): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.#client.api.staff["requests.csv"].$get(
      { query: filterParams(filters) },
      { headers: { accept: "text/csv" } },
    );
    return { blob: await response.blob(), fileName: csvFileName(filters, now) };
  }
}

/** The queue's filters as the typed query: only the ones that are set, in a fixed order; unknown values are dropped. */
function filterParams(filters: RequestFilters) {
  return {
    status: STATUSES.find((status) => status === filters.status),
    site: filters.site || undefined,
    right: REQUEST_KINDS.find((kind) => kind === filters.right),
    overdue: filters.overdue ? ("true" as const) : undefined,
    q: filters.q || undefined,
    state: filters.status === "" ? ("open" as const) : undefined,
  };
}

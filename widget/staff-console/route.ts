import { NO_FILTERS, filterQuery, parseFilters } from "./queue.js";
import type { RequestFilters } from "./queue.js";

/** The console's views; each has an address after "#" so the back button and reloads work on a static host. */
export type Route =
  | { view: "search"; q: string; site: string }
  | { view: "requests"; filters: RequestFilters }
  | { view: "request"; reference: string }
  | { view: "outbox" }
  | { view: "changes" }
  | { view: "coverage"; site: string }
  | { view: "insights"; site: string };

/**
 * Reads a location hash such as "#/requests?status=pending" or "#/requests/PR-123".
 * Anything unknown lands on the request queue.
 */
export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const params = new URLSearchParams(query);
  const [head, reference] = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (head === "search") return { view: "search", q: params.get("q") ?? "", site: params.get("site") ?? "" };
  if (head === "outbox") return { view: "outbox" };
  if (head === "changes") return { view: "changes" };
  if (head === "coverage") return { view: "coverage", site: params.get("site") ?? "" };
  if (head === "insights") return { view: "insights", site: params.get("site") ?? "" };
  if (head === "requests" && reference) return { view: "request", reference };
  return { view: "requests", filters: head === "requests" ? parseFilters(params) : { ...NO_FILTERS } };
}

/** The hash for a route; `parseRoute(routeHash(r))` gives `r` back. */
export function routeHash(route: Route): string {
  switch (route.view) {
    case "search": {
      const params = new URLSearchParams();
      if (route.q) params.set("q", route.q);
      if (route.site) params.set("site", route.site);
      const query = params.toString();
      return `#/search${query ? `?${query}` : ""}`;
    }
    case "outbox":
      return "#/outbox";
    case "changes":
      return "#/changes";
    case "coverage":
      return route.site ? `#/coverage?${new URLSearchParams({ site: route.site })}` : "#/coverage";
    case "insights":
      return route.site ? `#/insights?${new URLSearchParams({ site: route.site })}` : "#/insights";
    case "request":
      return `#/requests/${encodeURIComponent(route.reference)}`;
    case "requests": {
      const query = filterQuery(route.filters);
      return `#/requests${query ? `?${query}` : ""}`;
    }
  }
}

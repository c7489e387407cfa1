import { describe, expect, it } from "vitest";
import { NO_FILTERS } from "./queue.js";
import { parseRoute, routeHash } from "./route.js";
import type { Route } from "./route.js";

describe("routes", () => {
  it("lands on the queue for an empty or unknown hash", () => {
    expect(parseRoute("")).toEqual({ view: "requests", filters: NO_FILTERS });
    expect(parseRoute("#/nowhere?status=pending")).toEqual({ view: "requests", filters: NO_FILTERS });
  });

  it("reads each view", () => {
    expect(parseRoute("#/search?q=chat+data&site=altexsoft")).toEqual({ view: "search", q: "chat data", site: "altexsoft" });
    expect(parseRoute("#/requests?status=pending&overdue=true")).toEqual({
      view: "requests",
      filters: { ...NO_FILTERS, status: "pending", overdue: true },
    });
    expect(parseRoute("#/requests/PR-2025-0001")).toEqual({ view: "request", reference: "PR-2025-0001" });
    expect(parseRoute("#/outbox")).toEqual({ view: "outbox" });
    expect(parseRoute("#/changes")).toEqual({ view: "changes" });
    expect(parseRoute("#/coverage?site=acme")).toEqual({ view: "coverage", site: "acme" });
  });

  it("round-trips every view, including references with odd characters", () => {
    const routes: Route[] = [
      { view: "search", q: "what & why?", site: "altoros" },
      { view: "search", q: "", site: "" },
      { view: "requests", filters: { status: "denied", site: "x", right: "erasure", overdue: true } },
      { view: "requests", filters: NO_FILTERS },
      { view: "request", reference: "A/B C?" },
      { view: "outbox" },
      { view: "changes" },
      { view: "coverage", site: "acme" },
      { view: "coverage", site: "" },
      { view: "insights", site: "altoros" },
      { view: "insights", site: "" },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });
});

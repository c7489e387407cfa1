import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ApiError, StaffApi } from "./api.js";
import { NO_FILTERS } from "./queue.js";
import { tokenStore } from "./token.js";

/** A small Hono app standing in for the server, so the client's real fetch path (headers, bodies, errors) is exercised. */
function recordingServer() {
  const seen: Array<{ method: string; url: string; authorization: string | undefined; body: string }> = [];
  const app = new Hono();
  app.use(async (c, next) => {
    seen.push({ method: c.req.method, url: c.req.url, authorization: c.req.header("authorization"), body: await c.req.text() });
    if (c.req.header("authorization") !== "Bearer staff-token-1234567890") {
      return c.json({ error: { code: "UNAUTHORIZED", message: "A valid staff token is required." } }, 401);
    }
    await next();
  });
  app.get("/api/staff/requests", (c) => c.json({ requests: [] }));
  app.get("/api/staff/requests.csv", (c) => c.body("reference,status\nPR-1,pending\n", 200, { "content-type": "text/csv" }));
  app.post("/api/staff/requests/:reference/transition", (c) =>
    c.json({ error: { code: "NOTE_REQUIRED", message: "A denial needs a reason." } }, 400),
  );
  app.get("/api/search", (c) => c.json({ query: c.req.query("q"), site: c.req.query("site"), results: [] }));
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => app.request(input, init)) as typeof globalThis.fetch;
  return { seen, fetch };
}

describe("StaffApi", () => {
  it("sends the bearer token and builds the query from the filters", async () => {
    const server = recordingServer();
    const api = new StaffApi({ token: "staff-token-1234567890", base: "http://console.test/", fetch: server.fetch });
    await api.requests({ ...NO_FILTERS, status: "pending", overdue: true });
    await api.search("chat data", "altexsoft", 5);
    expect(server.seen.map((s) => s.url)).toEqual([
      "http://console.test/api/staff/requests?status=pending&overdue=true",
      "http://console.test/api/search?q=chat+data&site=altexsoft&limit=5",
    ]);
    expect(server.seen.every((s) => s.authorization === "Bearer staff-token-1234567890")).toBe(true);
  });

  it("asks for open requests by default, and for one page of a search in the chosen order", async () => {
    const server = recordingServer();
    const api = new StaffApi({ token: "staff-token-1234567890", base: "http://console.test", fetch: server.fetch });
    await api.requests(NO_FILTERS);
    await api.requests({ ...NO_FILTERS, status: "all", q: "jo@example.com", page: 3 }, undefined, {
      pageSize: 25,
      direction: "descending",
    });
    expect(server.seen.map((s) => s.url)).toEqual([
      "http://console.test/api/staff/requests?state=open",
      "http://console.test/api/staff/requests?q=jo%40example.com&limit=25&offset=50&order=-due",
    ]);
  });

  it("turns an error reply into an ApiError with the server's code and message", async () => {
    const server = recordingServer();
    const api = new StaffApi({ token: "wrong", base: "http://console.test", fetch: server.fetch });
    const error = await api.requests(NO_FILTERS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: "UNAUTHORIZED", message: "A valid staff token is required." });
  });

  it("posts a transition as JSON and reports a refused one", async () => {
    const server = recordingServer();
    const api = new StaffApi({ token: "staff-token-1234567890", base: "http://console.test", fetch: server.fetch });
    await expect(api.transition("PR 1", "denied")).rejects.toMatchObject({ code: "NOTE_REQUIRED" });
    expect(server.seen[0]).toMatchObject({
      method: "POST",
      url: "http://console.test/api/staff/requests/PR%201/transition",
      body: '{"to":"denied"}',
    });
  });

  it("downloads the CSV of the filter as a blob with a file name", async () => {
    const server = recordingServer();
    const api = new StaffApi({ token: "staff-token-1234567890", base: "http://console.test", fetch: server.fetch });
    const { blob, fileName } = await api.csv({ ...NO_FILTERS, site: "altexsoft" }, new Date("2025-03-01T00:00:00Z"));
    expect(await blob.text()).toContain("PR-1,pending");
    expect(fileName).toBe("requests-altexsoft-2025-03-01.csv");
    // The default filter is the open requests, so that is what its CSV holds.
    expect(server.seen[0]?.url).toBe("http://console.test/api/staff/requests.csv?site=altexsoft&state=open");
  });

  it("reports an unreachable server in words", async () => {
    const fetch = (() => Promise.reject(new TypeError("fetch failed"))) as typeof globalThis.fetch;
    const api = new StaffApi({ token: "t", fetch });
    await expect(api.outbox()).rejects.toMatchObject({ status: 0, code: "NETWORK" });
  });
});

describe("tokenStore", () => {
  it("keeps a trimmed token and forgets it", () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    const store = tokenStore(storage);
    expect(store.read()).toBeNull();
    store.write("  secret-token  ");
    expect(store.read()).toBe("secret-token");
    store.clear();
    expect(store.read()).toBeNull();
  });

  it("treats storage that throws or is missing as empty", () => {
    const throwing = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
      removeItem: () => {
        throw new Error("denied");
      },
    };
    expect(() => tokenStore(throwing).write("x")).not.toThrow();
    expect(tokenStore(throwing).read()).toBeNull();
    expect(tokenStore(undefined).read()).toBeNull();
  });
});

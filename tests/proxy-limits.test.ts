import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, describe, expect, it } from "vitest";
import { rightsApp } from "./rights-support/app.js";

/**
 * A reverse proxy in a few lines, as nginx with `proxy_add_x_forwarded_for` behaves: it forwards each request to
 * the server and appends the address it received the request from to X-Forwarded-For.
 */
function startProxy(target: number): Promise<{ port: number; close: () => Promise<void> }> {
  const proxy = http.createServer((incoming, outgoing) => {
    const forwarded = [incoming.headers["x-forwarded-for"], incoming.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: target,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, "x-forwarded-for": forwarded },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    incoming.pipe(upstream);
  });
  return new Promise((resolve) =>
    proxy.listen(0, "127.0.0.1", () =>
      resolve({ port: (proxy.address() as AddressInfo).port, close: () => new Promise((done) => proxy.close(() => done())) }),
    ),
  );
}

/** A JSON POST through the proxy from a given loopback address: each address is a different visitor. */
function post(port: number, from: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, method: "POST", path, localAddress: from, headers: { "content-type": "application/json", ...headers } },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

const ATTACKER = "127.0.0.2";
const REQUESTER = "127.0.0.3";
const JUNK_CALLS = 60;

/** The attack from the hardening issue: junk verify calls through a proxy, then a real requester's correct code. */
async function attackThroughProxy(trustProxy: string) {
  const built = await rightsApp({ TRUST_PROXY: trustProxy });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: built.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  const proxy = await startProxy((server.address() as AddressInfo).port);
  try {
    const form = { site: "acme", right: "access", email: "real@example.com", country: "DE", source: "form" };
    const created = await post(proxy.port, REQUESTER, "/api/requests", form, { "idempotency-key": `real-${trustProxy}` });
    expect(created.status).toBe(201);
    const { reference } = JSON.parse(created.body) as { reference: string };
    const statuses: number[] = [];
    for (let i = 0; i < JUNK_CALLS + 1; i++) {
      statuses.push(
        (await post(proxy.port, ATTACKER, `/api/requests/PR-0000-${String(i).padStart(4, "0")}/verify`, { code: "000000" })).status,
      );
    }
    const message = (await built.rights.service.localMessages()).find((m) => m.subject.includes(reference));
    const code = /code is (\d{6})/.exec(message?.text ?? "")?.[1];
    const verified = await post(proxy.port, REQUESTER, `/api/requests/${reference}/verify`, { code });
    return { attacker: statuses, requester: verified.status };
  } finally {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
    await built.close();
  }
}

describe("rate limits behind a reverse proxy", () => {
  const results: string[] = [];
  afterAll(() => console.log(results.join("\n")));

  it("with TRUST_PROXY=1, 60 junk verify calls from one visitor exhaust only that visitor's budget", async () => {
    const { attacker, requester } = await attackThroughProxy("1");
    expect(attacker.filter((s) => s === 404)).toHaveLength(JUNK_CALLS);
    expect(attacker.at(-1)).toBe(429);
    expect(requester).toBe(200);
    results.push(
      `TRUST_PROXY=1: ${JUNK_CALLS + 1} junk calls -> ${attacker.filter((s) => s === 429).length} refused 429; the real requester's code -> ${requester}`,
    );
  }, 60_000);

  it("without it (the old behaviour), every visitor shares the proxy's budget and the real requester is locked out", async () => {
    const { requester } = await attackThroughProxy("0");
    expect(requester).toBe(429);
    results.push(`TRUST_PROXY=0: the real requester's code -> ${requester}`);
  }, 60_000);
});

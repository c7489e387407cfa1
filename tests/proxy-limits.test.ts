import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, describe, expect, it } from "vitest";
import { rightsApp } from "./rights-support/app.js";
import { postFrom as post, startProxy } from "./rights-support/proxy.js";

const ATTACKER = "127.0.0.2";
const REQUESTER = "127.0.0.3";
const JUNK_CALLS = 60;

/** The attack from the hardening issue: junk verify calls through a proxy, then a real requester's correct code. */
async function attackThroughProxy(trustProxy: string) {
  const built = await rightsApp({ TRUST_PROXY: trustProxy });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: built.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  const upstream = (server.address() as AddressInfo).port;
  const proxy = await startProxy(() => [upstream]);
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

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, clientAddresses, rateKey } from "./client-address.js";

/** A real server on 127.0.0.1, so the socket's address is real too; it answers with the client key it saw. */
function keyServer(trustProxy: number) {
  const app = new Hono().use(clientAddresses(trustProxy)).get("/", (c) => c.text(clientAddress(c)));
  let server: ReturnType<typeof serve>;
  return {
    start: () =>
      new Promise<void>((resolve) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
      }),
    key: async (headers: Record<string, string> = {}) => {
      const { port } = server.address() as AddressInfo;
      return (await fetch(`http://127.0.0.1:${port}/`, { headers })).text();
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("client address behind proxies (TRUST_PROXY)", () => {
  const direct = keyServer(0);
  const oneProxy = keyServer(1);
  const twoProxies = keyServer(2);
  beforeAll(() => Promise.all([direct.start(), oneProxy.start(), twoProxies.start()]));
  afterAll(() => Promise.all([direct.stop(), oneProxy.stop(), twoProxies.stop()]));

  it("ignores forwarding headers when no proxy is trusted: a client could write them", async () => {
    expect(await direct.key({ "x-forwarded-for": "203.0.113.9" })).toBe("127.0.0.1");
    expect(await direct.key({ forwarded: "for=203.0.113.9" })).toBe("127.0.0.1");
  });

  it("counts hops from the right, so a forged left-most value is never the client", async () => {
    expect(await oneProxy.key({ "x-forwarded-for": "198.51.100.7" })).toBe("198.51.100.7");
    expect(await oneProxy.key({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" })).toBe("198.51.100.7");
    expect(await twoProxies.key({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" })).toBe("198.51.100.7");
    expect(await oneProxy.key()).toBe("127.0.0.1");
  });

  it("reads RFC 7239 Forwarded when there is no X-Forwarded-For", async () => {
    expect(await oneProxy.key({ forwarded: 'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https' })).toBe("2001:db8:cafe::/64");
    expect(await oneProxy.key({ forwarded: "for=192.0.2.60:8080" })).toBe("192.0.2.60");
  });
});

describe("rate-limit key", () => {
  it("is the IPv4 address itself, also when written IPv4-mapped", () => {
    expect(rateKey("192.0.2.1")).toBe("192.0.2.1");
    expect(rateKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
  });

  it("groups IPv6 by /64: one subscriber's addresses share one budget, neighbours do not", () => {
    expect(rateKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(rateKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe(rateKey("2001:db8:1:2::5"));
    expect(rateKey("2001:db8:1:3::5")).not.toBe(rateKey("2001:db8:1:2::5"));
  });

  it("keeps anything that is not an address as it is", () => {
    expect(rateKey("unknown")).toBe("unknown");
  });
});

import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import ipaddr from "ipaddr.js";

declare module "hono" {
  interface ContextVariableMap {
    /** Who is asking, as rate limits count them (clientAddresses middleware). */
    clientAddress: string;
  }
}

/**
 * Sets `c.var.clientAddress` for every request. Behind `trustProxy` proxies, each of which appends the address it
 * received from to X-Forwarded-For (nginx: `proxy_add_x_forwarded_for`), the client is the address that many hops
 * from the right of [X-Forwarded-For..., socket]: the right-most entries are written by our proxies, and anything
 * left of them is whatever the client sent, so never trusted. Without the header, the RFC 7239 Forwarded header's
 * `for=` values are read the same way. With 0 (the default) the headers are ignored: a client could write them.
 */
export function clientAddresses(trustProxy: number) {
  return createMiddleware(async (c, next) => {
    c.set("clientAddress", rateKey(clientOf(c, trustProxy)));
    await next();
  });
}

/** The rate-limit key of the request's client (set by clientAddresses; the socket's address when it did not run). */
export function clientAddress(c: Context): string {
  return c.var.clientAddress ?? rateKey(socketAddress(c));
}

function clientOf(c: Context, trustProxy: number): string {
  const socket = socketAddress(c);
  if (trustProxy <= 0) return socket;
  const chain = [...forwardedFor(c), socket];
  return chain[Math.max(0, chain.length - 1 - trustProxy)] ?? socket;
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The addresses the proxies recorded, left (furthest) to right (nearest). */
function forwardedFor(c: Context): string[] {
  const xff = c.req.header("x-forwarded-for");
  if (xff) return xff.split(",").map((entry) => entry.trim());
  const forwarded = c.req.header("forwarded");
  if (!forwarded) return [];
  return [...forwarded.matchAll(/(?:^|[;,])\s*for=("?)([^;,"]*)\1/gi)].map((match) => stripPort(match[2] ?? ""));
}

/** `[2001:db8::1]:4711` → `2001:db8::1`; `192.0.2.1:80` → `192.0.2.1`. */
function stripPort(value: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(value);
  if (bracketed) return bracketed[1] ?? value;
  return /^[\d.]+:\d+$/.test(value) ? (value.split(":")[0] ?? value) : value;
}

/**
 * One key per client: an IPv4 address as it is (an IPv4-mapped IPv6 address too), an IPv6 address by its /64,
 * since one subscriber usually holds a whole /64 and could otherwise take a fresh budget per address.
 */
export function rateKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

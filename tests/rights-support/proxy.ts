import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestProxy {
  port: number;
  /** Replies the proxy made itself because no upstream answered (502). */
  badGateways(): number;
  close(): Promise<void>;
}

/**
 * A reverse proxy in a few lines, as nginx with `proxy_add_x_forwarded_for` behaves: each request goes to the next
 * upstream in turn, with the address it came from appended to X-Forwarded-For. An upstream that refuses the
 * connection is skipped for the next one (nginx's proxy_next_upstream error: nothing was sent yet); one that fails
 * mid-request gives the client 502, since the request may have been acted on.
 */
export function startProxy(upstreams: () => Array<number | null>): Promise<TestProxy> {
  let turn = 0;
  let badGateways = 0;
  const proxy = http.createServer((incoming, outgoing) => {
    const forwarded = [incoming.headers["x-forwarded-for"], incoming.socket.remoteAddress].filter(Boolean).join(", ");
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const tryUpstream = (left: number): void => {
        const ports = upstreams();
        const port = ports[turn++ % ports.length];
        const fail = () => {
          badGateways++;
          if (!outgoing.headersSent) outgoing.writeHead(502, { "content-type": "application/json" });
          outgoing.end('{"error":{"code":"BAD_GATEWAY"}}');
        };
        if (port == null) {
          if (left > 1) tryUpstream(left - 1);
          else fail();
          return;
        }
        const upstream = http.request(
          {
            host: "127.0.0.1",
            port,
            method: incoming.method,
            path: incoming.url,
            headers: { ...incoming.headers, "x-forwarded-for": forwarded },
          },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
            response.on("error", () => outgoing.destroy());
          },
        );
        upstream.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code === "ECONNREFUSED" && left > 1) tryUpstream(left - 1);
          else fail();
        });
        upstream.end(body);
      };
      tryUpstream(upstreams().length * 2);
    });
  });
  return new Promise((resolve) =>
    proxy.listen(0, "127.0.0.1", () =>
      resolve({
        port: (proxy.address() as AddressInfo).port,
        badGateways: () => badGateways,
        close: () =>
          new Promise((done) => {
            proxy.closeAllConnections();
            proxy.close(() => done());
          }),
      }),
    ),
  );
}

/** A JSON POST through the proxy from a given loopback address: each address is a different visitor. */
export function postFrom(port: number, from: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, method: "POST", path, localAddress: from, headers: { "content-type": "application/json", ...headers } },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on("error", reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

import { createServer } from "node:http";
import { signBody } from "../../server/rights/webhook.js";

export interface Delivery {
  id: string;
  event: string;
  reference: string;
  body: string;
}

/**
 * A helpdesk stand-in: checks the signature, answers 503 to the first `failFirst` attempts, then 200.
 * Duplicates (same X-Webhook-Delivery) are counted, as a real receiver would dedupe them.
 */
export async function startWebhookReceiver({ secret, failFirst = 0 }: { secret: string; failFirst?: number }) {
  const delivered = new Map<string, Delivery>();
  let attempts = 0;
  let badSignatures = 0;
  let duplicates = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("error", () => {}); // a sender killed mid-request
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      attempts++;
      if (req.headers["x-signature-256"] !== signBody(secret, body)) {
        badSignatures++;
        res.writeHead(401).end();
        return;
      }
      if (attempts <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      const id = String(req.headers["x-webhook-delivery"]);
      if (delivered.has(id)) duplicates++;
      const parsed = JSON.parse(body) as { event: string; reference: string };
      delivered.set(id, { id, event: parsed.event, reference: parsed.reference, body });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/hooks/privacy`,
    delivered,
    stats: () => ({ attempts, badSignatures, duplicates }),
    references: () => new Set([...delivered.values()].map((d) => d.reference)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { Hono } from "hono";
import type { AppDeps } from "../app.js";

export function healthRoutes({ knowledge }: AppDeps) {
  return new Hono().get("/health", (c) => {
    const { embedder, chunks, documents, sites } = knowledge.health();
    return c.json({ status: "ok", embedder, index: { chunks }, corpus: { documents, sites } });
  });
}

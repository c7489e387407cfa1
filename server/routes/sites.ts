import { Hono } from "hono";
import type { AppDeps } from "../app.js";

/** The companies this server answers for, with what the widget shows when a policy has no answer. */
export function sitesRoutes({ knowledge }: AppDeps) {
  return new Hono().get("/sites", (c) =>
    c.json({
      sites: knowledge
        .sites()
        .map(({ site, title, organization, url, contact, lastRevised }) => ({ site, title, organization, url, contact, lastRevised })),
    }),
  );
}

import { Hono } from "hono";
import type { AppDeps } from "../app.js";
import {
  ExtendRequestSchema,
  NoteRequestSchema,
  RequestFiltersSchema,
  TransitionRequestSchema,
  type RequestView,
} from "../contract/schemas.js";
import { jsonBody, queryParams, requireJson, requireStaff } from "../http.js";
import { limitBody, referenceParam } from "../rights/http.js";
import type { RightsApi } from "../rights/index.js";
import { safeForLog } from "../rights/service.js";

/** The staff token is shared, so the audit log names the role; a per-person login would name the person. */
const STAFF_ACTOR = "staff";

const CSV_COLUMNS = [
  "reference",
  "site",
  "right",
  "status",
  "email",
  "name",
  "country",
  "details",
  "source",
  "jurisdiction",
  "receivedAt",
  "dueAt",
  "verifiedAt",
  "extended",
  "extensionReason",
  "closedAt",
  "closeReason",
  "overdue",
] as const satisfies ReadonlyArray<keyof RequestView>;

/** Quotes a CSV cell, and defuses cells a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The privacy team's queue: list, read with history, move, extend, annotate, export; and the local e-mail outbox. */
export function staffRequestRoutes({ staffToken, rights }: AppDeps & { rights: RightsApi }) {
  const { service, log } = rights;
  const detail = async (reference: string) => {
    const request = await service.get(reference);
    return { request: service.view(request), ...(await service.history(reference)) };
  };

  return new Hono()
    .use("/staff/*", requireStaff(staffToken))
    .get("/staff/requests", queryParams(RequestFiltersSchema), async (c) => {
      const requests = await service.list(c.req.valid("query"));
      return c.json({ requests: requests.map((r) => service.view(r)) });
    })
    .get("/staff/requests.csv", queryParams(RequestFiltersSchema), async (c) => {
      const requests = await service.list(c.req.valid("query"));
      const lines = [
        CSV_COLUMNS.join(","),
        ...requests.map((r) => {
          const view = service.view(r);
          return CSV_COLUMNS.map((k) => csvCell(view[k])).join(",");
        }),
      ];
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", 'attachment; filename="privacy-requests.csv"');
      return c.body(`${lines.join("\r\n")}\r\n`);
    })
    .get("/staff/requests/:reference", async (c) => c.json(await detail(referenceParam(c.req.param("reference")))))
    .post("/staff/requests/:reference/transition", limitBody, requireJson, jsonBody(TransitionRequestSchema), async (c) => {
      const { to, note } = c.req.valid("json");
      const request = await service.transition(referenceParam(c.req.param("reference")), to, STAFF_ACTOR, note);
      log(`request moved by staff: ${safeForLog(request)}`);
      return c.json({ request: service.view(request) });
    })
    .post("/staff/requests/:reference/extend", limitBody, requireJson, jsonBody(ExtendRequestSchema), async (c) => {
      const request = await service.extend(referenceParam(c.req.param("reference")), STAFF_ACTOR, c.req.valid("json").reason);
      log(`request extended: ${safeForLog(request)} due=${request.dueAt.toISOString()}`);
      return c.json({ request: service.view(request) });
    })
    .post("/staff/requests/:reference/notes", limitBody, requireJson, jsonBody(NoteRequestSchema), async (c) => {
      const reference = referenceParam(c.req.param("reference"));
      await service.addNote(reference, STAFF_ACTOR, c.req.valid("json").text);
      return c.json(await detail(reference), 201);
    })
    .get("/staff/outbox", async (c) => c.json({ messages: await service.localMessages() }));
}

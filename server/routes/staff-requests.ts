import type { AppDeps } from "../app.js";
import {
  addNoteRoute,
  eraseRequestRoute,
  exportRequestsRoute,
  extendRequestRoute,
  getRequestRoute,
  listRequestsRoute,
  outboxRoute,
  queueSummaryRoute,
  transitionRequestRoute,
} from "../contract/routes.js";
import type { RequestView } from "../contract/schemas.js";
import { limitBody, openApiRouter, requireJson, staffAuth } from "../http.js";
import { referenceParam, requireRights } from "../rights/http.js";
import type { RightsApi } from "../rights/index.js";
import { safeForLog } from "../rights/service.js";

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
  "anonymisedAt",
  "overdue",
] as const satisfies ReadonlyArray<keyof RequestView>;

/** Quotes a CSV cell, and defuses cells a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The privacy team's queue: list, read with history, move, extend, erase, annotate, export; and the local e-mail outbox. */
export function staffRequestRoutes({ staffToken, staffTokens, rights }: AppDeps) {
  const detail = async ({ service }: RightsApi, reference: string) => {
    const request = await service.get(reference);
    return { request: service.view(request), ...(await service.history(reference)) };
  };
  // The token is checked before anything else, so a caller without one learns nothing, not even whether rights are set up.
  const read = [staffAuth({ staffToken, staffTokens }), requireRights(rights)];
  const write = [...read, limitBody, requireJson];

  return openApiRouter()
    .openapi({ ...listRequestsRoute, middleware: read }, async (c) => {
      const { service } = c.var.rights;
      const filters = c.req.valid("query");
      const { requests, total } = await service.page(filters);
      return c.json(
        { requests: requests.map((r) => service.view(r)), total, offset: filters.offset ?? 0, limit: filters.limit ?? 1000 },
        200,
      );
    })
    .openapi({ ...queueSummaryRoute, middleware: read }, async (c) => c.json(await c.var.rights.service.summary(), 200))
    .openapi({ ...exportRequestsRoute, middleware: read }, async (c) => {
      const { service } = c.var.rights;
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
    .openapi({ ...getRequestRoute, middleware: read }, async (c) =>
      c.json(await detail(c.var.rights, referenceParam(c.req.valid("param").reference)), 200),
    )
    .openapi({ ...transitionRequestRoute, middleware: write }, async (c) => {
      const { service, log } = c.var.rights;
      const { to, note } = c.req.valid("json");
      const request = await service.transition(referenceParam(c.req.valid("param").reference), to, c.var.staffName, note);
      log(`request moved by staff: ${safeForLog(request)}`);
      return c.json({ request: service.view(request) }, 200);
    })
    .openapi({ ...extendRequestRoute, middleware: write }, async (c) => {
      const { service, log } = c.var.rights;
      const request = await service.extend(referenceParam(c.req.valid("param").reference), c.var.staffName, c.req.valid("json").reason);
      log(`request extended: ${safeForLog(request)} due=${request.dueAt.toISOString()}`);
      return c.json({ request: service.view(request) }, 200);
    })
    .openapi({ ...eraseRequestRoute, middleware: write }, async (c) => {
      const { service, retention, log } = c.var.rights;
      const request = await retention.erase(referenceParam(c.req.valid("param").reference), c.var.staffName, c.req.valid("json").reason);
      log(`request erased by staff: ${safeForLog(request)}`);
      return c.json({ request: service.view(request) }, 200);
    })
    .openapi({ ...addNoteRoute, middleware: write }, async (c) => {
      const { service } = c.var.rights;
      const reference = referenceParam(c.req.valid("param").reference);
      await service.addNote(reference, c.var.staffName, c.req.valid("json").text);
      return c.json(await detail(c.var.rights, reference), 201);
    })
    .openapi({ ...outboxRoute, middleware: read }, async (c) => c.json({ messages: await c.var.rights.service.localMessages() }, 200));
}

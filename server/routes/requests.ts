import { z } from "zod";
import type { AppDeps } from "../app.js";
import { FIELD_LIMITS, MAX_IDEMPOTENCY_KEY_LENGTH, REQUEST_KINDS, type RequestKind } from "../contract/constants.js";
import { createRequestRoute, resendCodeRoute, verifyRequestRoute } from "../contract/routes.js";
import { AppError } from "../errors.js";
import { enforceLimit, limitBody, openApiRouter, requireJson } from "../http.js";
import { referenceParam, requireRights } from "../rights/http.js";
import { clientAddress } from "../client-address.js";
import { safeForLog } from "../rights/service.js";

const IDEMPOTENCY_KEY = new RegExp(`^[\\x21-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);
const emailSchema = z.string().email();

/** The requester's side: create a request, verify it with the e-mailed code, ask for a new code. */
export function requestRoutes({ knowledge, rights }: AppDeps) {
  const withRights = requireRights(rights);

  return openApiRouter()
    .openapi({ ...createRequestRoute, middleware: [withRights, limitBody, requireJson] }, async (c) => {
      const { service, limiter, limits, log } = c.var.rights;
      const key = c.req.header("idempotency-key") ?? "";
      if (!IDEMPOTENCY_KEY.test(key)) throw new AppError("IDEMPOTENCY_KEY_MISSING", [MAX_IDEMPOTENCY_KEY_LENGTH]);
      const body = c.req.valid("json");
      for (const [field, max] of Object.entries(FIELD_LIMITS)) {
        const value = body[field as keyof typeof body];
        if (typeof value === "string" && value.length > max) throw new AppError("FIELD_TOO_LONG", [field, max]);
      }
      const right = REQUEST_KINDS.find((kind: RequestKind) => kind === body.right);
      if (!right) throw new AppError("UNKNOWN_RIGHT", [body.right, REQUEST_KINDS.join(", ")]);
      if (!emailSchema.safeParse(body.email).success) throw new AppError("INVALID_EMAIL");
      if (!knowledge.site(body.site)) throw new AppError("UNKNOWN_SITE", [body.site]);
      const input = { ...body, right };

      // A retry of an accepted request is answered before any limit, so a flood never hides one already taken.
      const existing = await service.findByIdempotencyKey(key, input);
      let created: Awaited<ReturnType<typeof service.create>> | null = null;
      if (!existing) {
        await enforceLimit(limiter, `create:address:${clientAddress(c)}`, limits.createPerAddress);
        await enforceLimit(limiter, `create:email:${input.email.toLowerCase()}`, limits.createPerEmail);
        created = await service.create(input, key);
      }
      const request = existing ?? created!.request;
      const replayed = !created || created.replayed;
      if (replayed) c.header("Idempotent-Replayed", "true");
      else log(`request created: ${safeForLog(request)}`);
      const resendAvailableAt = created && !created.replayed ? created.resendAvailableAt : request.receivedAt;
      return c.json(
        {
          reference: request.reference,
          status: request.status,
          dueAt: request.dueAt.toISOString(),
          resendAvailableAt: resendAvailableAt.toISOString(),
        },
        201,
      );
    })
    .openapi({ ...verifyRequestRoute, middleware: [withRights, limitBody, requireJson] }, async (c) => {
      const { service, limiter, limits, log } = c.var.rights;
      const reference = referenceParam(c.req.valid("param").reference);
      await enforceLimit(limiter, `code:address:${clientAddress(c)}`, limits.codePerAddress);
      const request = await service.verify(reference, c.req.valid("json").code);
      log(`request verified: ${safeForLog(request)}`);
      return c.json({ reference: request.reference, status: request.status, dueAt: request.dueAt.toISOString() }, 200);
    })
    .openapi({ ...resendCodeRoute, middleware: [withRights, limitBody, requireJson] }, async (c) => {
      const { service, limiter, limits, log } = c.var.rights;
      const reference = referenceParam(c.req.valid("param").reference);
      await enforceLimit(limiter, `code:address:${clientAddress(c)}`, limits.codePerAddress);
      const { resendAvailableAt } = await service.resend(reference);
      log(`request code resent: ${reference}`);
      return c.json({ reference, resendAvailableAt: resendAvailableAt.toISOString() }, 202);
    });
}

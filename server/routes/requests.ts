import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { AppError } from "../errors.js";
import { jsonBody, requireJson } from "../http.js";
import { REQUEST_KINDS, type RequestKind } from "../knowledge/types.js";
import { clientAddress, enforceLimit, limitBody } from "../rights/http.js";
import type { RightsApi } from "../rights/index.js";
import { normalizeReference } from "../rights/reference.js";
import { safeForLog, SOURCES } from "../rights/service.js";

/** Longest value accepted per field; longer is 400 FIELD_TOO_LONG rather than a silent cut. */
export const FIELD_LIMITS = { site: 100, right: 40, email: 254, name: 200, country: 100, details: 5000 } as const;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value?.trim() || undefined);
const intakeSchema = z.object({
  site: z.string({ required_error: "site is required" }).trim().min(1, "site is required"),
  right: z.string({ required_error: "right is required" }).trim().min(1, "right is required"),
  email: z.string({ required_error: "email is required" }).trim(),
  name: optionalText,
  country: optionalText,
  details: optionalText,
  source: z.enum(SOURCES, { errorMap: () => ({ message: `source must be one of ${SOURCES.join(", ")}` }) }),
});
const emailSchema = z.string().email();
const verifySchema = z.object({
  code: z
    .string({ required_error: "code is required" })
    .trim()
    .regex(/^\d{6}$/, "code must be 6 digits"),
});

/** The requester's side: create a request, verify it with the e-mailed code, ask for a new code. */
export function requestRoutes({ knowledge, rights }: AppDeps & { rights: RightsApi }) {
  const { service, limiter, limits, log } = rights;
  const referenceParam = (raw: string) => {
    const reference = normalizeReference(raw);
    if (!reference) throw new AppError("REQUEST_NOT_FOUND", [raw.slice(0, 40)]);
    return reference;
  };

  return new Hono()
    .post("/requests", limitBody, requireJson, jsonBody(intakeSchema), async (c) => {
      const key = c.req.header("idempotency-key") ?? "";
      if (!IDEMPOTENCY_KEY.test(key)) throw new AppError("IDEMPOTENCY_KEY_MISSING", [200]);
      const body = c.req.valid("json");
      for (const [field, max] of Object.entries(FIELD_LIMITS)) {
        const value = body[field as keyof typeof body];
        if (typeof value === "string" && value.length > max) throw new AppError("FIELD_TOO_LONG", [field, max]);
      }
      if (!(REQUEST_KINDS as readonly string[]).includes(body.right)) {
        throw new AppError("UNKNOWN_RIGHT", [body.right, REQUEST_KINDS.join(", ")]);
      }
      if (!emailSchema.safeParse(body.email).success) throw new AppError("INVALID_EMAIL");
      if (!knowledge.site(body.site)) throw new AppError("UNKNOWN_SITE", [body.site]);
      const input = { ...body, right: body.right as RequestKind };

      // A retry of an accepted request is answered before any limit, so a flood never hides one already taken.
      const existing = await service.findByIdempotencyKey(key, input);
      let created: Awaited<ReturnType<typeof service.create>> | null = null;
      if (!existing) {
        enforceLimit(limiter, `create:address:${clientAddress(c)}`, limits.createPerAddress);
        enforceLimit(limiter, `create:email:${input.email.toLowerCase()}`, limits.createPerEmail);
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
    .post("/requests/:reference/verify", limitBody, requireJson, jsonBody(verifySchema), async (c) => {
      const reference = referenceParam(c.req.param("reference"));
      enforceLimit(limiter, `code:address:${clientAddress(c)}`, limits.codePerAddress);
      const request = await service.verify(reference, c.req.valid("json").code);
      log(`request verified: ${safeForLog(request)}`);
      return c.json({ reference: request.reference, status: request.status, dueAt: request.dueAt.toISOString() });
    })
    .post("/requests/:reference/resend", limitBody, async (c) => {
      const reference = referenceParam(c.req.param("reference"));
      enforceLimit(limiter, `code:address:${clientAddress(c)}`, limits.codePerAddress);
      const { resendAvailableAt } = await service.resend(reference);
      log(`request code resent: ${reference}`);
      return c.json({ reference, resendAvailableAt: resendAvailableAt.toISOString() }, 202);
    });
}

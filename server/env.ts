import path from "node:path";
import { z } from "zod";
import { LOG_LEVELS } from "./ops/log.js";
import { MAIL_LANGUAGES } from "./rights/requester-mail.js";

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Reverse proxies in front that append the client to X-Forwarded-For; 0 trusts no header (server/client-address.ts). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Per client and minute: questions to /api/ask and staff searches; past them 429 with Retry-After. */
  ASK_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  SEARCH_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** Questions being answered at once; past it a new one is refused with 503 at once rather than queued. */
  ASK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(32),
  /** Worker threads answering questions (default: one per core); each holds its own embedder, about 300 MB with USE-lite. */
  QUESTION_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** Vectors of this many recent questions are kept, so a repeated question is not embedded again (0: none). */
  QUESTION_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  CORPUS_DIR: z.string().default("corpus"),
  INDEX_DIR: z.string().default("data/index"),
  DATA_DIR: z.string().default("data"),
  /** auto: a transformers.js model when one can be loaded, else the packaged USE-lite encoder. */
  EMBEDDER: z.enum(["auto", "transformers", "use-lite"]).default("auto"),
  EMBEDDING_MODEL: z.string().default("Xenova/all-MiniLM-L6-v2"),
  MODELS_DIR: z.string().default("models"),
  ALLOW_REMOTE_MODELS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  STAFF_TOKEN: z.string().min(16, "STAFF_TOKEN must be at least 16 characters").optional(),
  /** A token per person, `name=token` pairs separated by commas: the audit log then names whoever acted. */
  STAFF_TOKENS: list.transform((pairs, ctx) => {
    const named: Record<string, string> = {};
    for (const pair of pairs) {
      const [name = "", token = ""] = pair.split(/=(.*)/s, 2);
      if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name) || token.length < 16 || name === "staff" || named[name]) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `STAFF_TOKENS: "${name}" needs a unique name (letters, digits . _ @ -; not "staff") and a token of 16+ characters, as name=token`,
        });
        return z.NEVER;
      }
      named[name] = token;
    }
    return named;
  }),
  DATABASE_URL: z.string().url().optional(),
  /** With DATABASE_URL: how long to wait for a connection, and for any one statement, before answering 503. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
  /** Keys the stored hashes of verification codes and link tokens; without it one is generated in DATA_DIR. */
  SECRET_KEY: z.string().min(32, "SECRET_KEY must be at least 32 characters").optional(),
  /** Keys replaced by a rotation, still accepted (never used to sign) until the codes and links they signed expire. */
  SECRET_KEY_PREVIOUS: list,
  /** The origin requesters reach the server at, for the verification link in e-mails (default http://HOST:PORT). */
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Privacy requests <privacy-requests@localhost>"),
  /** Language of the e-mails telling requesters what happened to their request (server/rights/requester-mail.ts). */
  MAIL_LANGUAGE: z.enum(MAIL_LANGUAGES).default("en"),
  WEBHOOK_URL: z.string().url().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  ALLOWED_ORIGINS: list,
  UNVERIFIED_CLOSE_DAYS: z.coerce.number().int().min(1).default(14),
  /** Months a closed request keeps the requester's identity before it is anonymised (24: the CCPA record-keeping period). */
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  /** Hours an e-mail not sent over SMTP (the local outbox, given up, or left queued) stays in mail_outbox before it is deleted. */
  MAIL_OUTBOX_HOURS: z.coerce.number().int().min(1).max(8760).default(72),
  DEFAULT_DUE_DAYS: z.coerce.number().int().min(1).default(30),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Serve /metrics on this port (same HOST, no token) instead of behind the staff token on PORT. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Opt-in: insights keep the text of visitors' questions, for INSIGHTS_QUESTION_DAYS. */
  INSIGHTS_KEEP_QUESTIONS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  INSIGHTS_QUESTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Opt-in: the request log of POST /api/ask carries the visitor's question. */
  LOG_QUESTIONS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});

export type Env = z.infer<typeof schema>;

/** The only reader of process.env: validated once, with a message that names the bad variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Bad configuration:\n  ${problems.join("\n  ")}`);
  }
  const env = parsed.data;
  return {
    ...env,
    CORPUS_DIR: path.resolve(env.CORPUS_DIR),
    INDEX_DIR: path.resolve(env.INDEX_DIR),
    DATA_DIR: path.resolve(env.DATA_DIR),
    MODELS_DIR: path.resolve(env.MODELS_DIR),
  };
}

import { createServer } from "node:net";
import path from "node:path";
import { readEnv, type Env } from "../env.js";
import { resolveStaffToken } from "../staff-token.js";
import { type CheckResult, errorText, fail, ok, warn } from "./types.js";

/** The lines of a "Bad configuration:" error, one problem each. */
function configurationProblems(error: unknown): string[] {
  return (error instanceof Error ? error.message : String(error))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && line !== "Bad configuration:");
}

/** The environment (process.env unless given) through server/env.ts's own schema: the message start-up would stop with. */
export function checkEnv(source?: Record<string, string | undefined>): { result: CheckResult; env?: Env } {
  try {
    const env = readEnv(source);
    const retention = `closed requests anonymised after RETENTION_MONTHS ${env.RETENTION_MONTHS}`;
    return {
      result: ok("env", `variables valid (PORT ${env.PORT}, CORPUS_DIR ${env.CORPUS_DIR}, DATA_DIR ${env.DATA_DIR}; ${retention})`),
      env,
    };
  } catch (error) {
    const problems = configurationProblems(error);
    return { result: fail("env", `${problems.join("; ")}: fix these variables (README, Configuration)`) };
  }
}

/** Where the staff token comes from, if anywhere. */
export async function checkStaffToken(env: Env): Promise<CheckResult> {
  try {
    const { token, source } = await resolveStaffToken(env);
    const named = Object.keys(env.STAFF_TOKENS);
    const people = named.length > 0 ? `named tokens for ${named.join(", ")} (STAFF_TOKENS)` : "";
    if (token)
      return ok(
        "staff",
        [`staff token from ${source === "STAFF_TOKEN" ? "STAFF_TOKEN" : path.relative(process.cwd(), source) || source}`, people]
          .filter(Boolean)
          .join("; "),
      );
    if (people) return ok("staff", people);
    return warn("staff", "no staff token: the staff console and API refuse everyone; run `npm run staff-token`");
  } catch (error) {
    return fail("staff", configurationProblems(error).join("; "));
  }
}

/**
 * ALLOWED_ORIGINS must hold bare origins (the browser sends `https://shop.example`, never a path or a
 * trailing slash); a site whose policy lives on another origin probably carries the widget there too.
 */
export function checkOrigins(env: Env, siteUrls: ReadonlyArray<{ site: string; url: string | undefined }>): CheckResult {
  const malformed = env.ALLOWED_ORIGINS.filter((entry) => !URL.canParse(entry) || new URL(entry).origin !== entry);
  if (malformed.length > 0) {
    const fixes = malformed.map((entry) =>
      URL.canParse(entry) && new URL(entry).origin !== "null" ? `${entry} -> ${new URL(entry).origin}` : entry,
    );
    return fail(
      "origins",
      `ALLOWED_ORIGINS entries are not origins (scheme://host[:port], no path or trailing slash): ${fixes.join(", ")}`,
    );
  }
  const allowed = new Set(env.ALLOWED_ORIGINS);
  const missing = new Map<string, string[]>();
  for (const { site, url } of siteUrls) {
    if (!url || !URL.canParse(url)) continue;
    const origin = new URL(url).origin;
    if (!allowed.has(origin)) missing.set(origin, [...(missing.get(origin) ?? []), site]);
  }
  if (missing.size > 0) {
    const where = [...missing].map(([origin, sites]) => `${sites.join(", ")} on ${origin}`).join("; ");
    const line = [...env.ALLOWED_ORIGINS, ...missing.keys()].join(",");
    return warn(
      "origins",
      `policies live on origins not in ALLOWED_ORIGINS (${where}); to embed the widget on those sites set ALLOWED_ORIGINS=${line}`,
    );
  }
  return ok(
    "origins",
    allowed.size > 0 ? `ALLOWED_ORIGINS covers every site's origin: ${[...allowed].join(", ")}` : "ALLOWED_ORIGINS empty: same origin only",
  );
}

/** Whether the server could listen where it is told to. */
export async function checkPort(env: Env): Promise<CheckResult> {
  const where = `${env.HOST}:${env.PORT}`;
  const problem = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen(env.PORT, env.HOST, () => probe.close(() => resolve(undefined)));
  });
  if (!problem) return ok("port", `${where} is free`);
  if (problem.code === "EADDRINUSE") {
    return fail("port", `${where} is in use (is the server already running?); stop that process or set PORT to a free port`);
  }
  if (problem.code === "EADDRNOTAVAIL" || problem.code === "ENOTFOUND") {
    return fail("port", `HOST ${env.HOST} is not an address of this machine; set HOST (127.0.0.1, or 0.0.0.0 for every interface)`);
  }
  if (problem.code === "EACCES") return fail("port", `${where} needs privileges; use a PORT above 1023 behind a reverse proxy`);
  return fail("port", `cannot listen on ${where}: ${errorText(problem)}`);
}

/**
 * Imported first by every CLI: anything that stops a command (a missing file, bad JSON, an unknown site, bad
 * configuration) is printed as one `error:` line on stderr, and the command exits non-zero, never with a stack trace.
 * Import it for its effect: `import "./cli.js";`.
 */

/** A problem with what the user asked for: exit code 2, like a usage error. */
export class UsageError extends Error {}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")
    .map((part) => part.trim())
    .filter(Boolean)
    .reduce((line, part) => (line ? `${line}${line.endsWith(":") ? " " : "; "}${part}` : part), "");
}

function fail(error: unknown): never {
  process.stderr.write(`error: ${oneLine(error)}\n`);
  process.exit(error instanceof UsageError || (error as NodeJS.ErrnoException)?.code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1);
}

process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

/** Reads and parses a JSON file the user named, with a one-line reason when it is missing or not JSON. */
export async function readJsonFile(file: string): Promise<unknown> {
  const { readFile } = await import("node:fs/promises");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read it (${code ?? oneLine(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${oneLine(error)}`);
  }
}

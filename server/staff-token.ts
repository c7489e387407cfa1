import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** The file `npm run staff-token` writes in DATA_DIR; the server reads it when STAFF_TOKEN is unset. */
export const STAFF_TOKEN_FILE = "staff-token";

export function staffTokenPath(dataDir: string): string {
  return path.join(dataDir, STAFF_TOKEN_FILE);
}

/**
 * Makes a new staff token (192 random bits, base64url) and saves it readable by its owner only (0600),
 * replacing any earlier one. The caller shows it once; it is never logged.
 * @example const { token, file } = await createStaffToken("data");
 */
export async function createStaffToken(dataDir: string): Promise<{ token: string; file: string }> {
  const token = randomBytes(24).toString("base64url");
  const file = staffTokenPath(dataDir);
  await mkdir(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${token}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return { token, file };
}

/** The saved staff token, or undefined when there is none; a file holding less than 16 characters is a configuration error. */
export async function readStaffTokenFile(dataDir: string): Promise<string | undefined> {
  const file = staffTokenPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const token = text.trim();
  if (token.length < 16) {
    throw new Error(
      `Bad configuration:\n  ${file}: a staff token must be at least 16 characters; run \`npm run staff-token\` for a new one`,
    );
  }
  return token;
}

/** STAFF_TOKEN wins; without it, the token saved by `npm run staff-token`. */
export async function resolveStaffToken(env: { STAFF_TOKEN?: string | undefined; DATA_DIR: string }): Promise<{
  token: string | undefined;
  source: string;
}> {
  if (env.STAFF_TOKEN) return { token: env.STAFF_TOKEN, source: "STAFF_TOKEN" };
  const token = await readStaffTokenFile(env.DATA_DIR);
  return { token, source: staffTokenPath(env.DATA_DIR) };
}

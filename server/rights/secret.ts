import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** The file in DATA_DIR holding the generated server secret when SECRET_KEY is not set. */
export const SECRET_KEY_FILE = "secret-key";

export const MIN_SECRET_LENGTH = 32;

/**
 * Verification codes and link tokens are stored as HMAC-SHA256 under a server secret, so a copy of the database
 * alone cannot test the million possible codes against a stored hash. `previous` keys still match (never sign), so a
 * rotated SECRET_KEY does not void the codes and links already mailed.
 */
export class SecretHasher {
  private readonly keys: Buffer[];

  constructor(current: string, previous: readonly string[] = []) {
    this.keys = [current, ...previous].map((key) => Buffer.from(key, "utf8"));
  }

  /** The stored form of a verification code; bound to its reference so equal codes on two requests differ. */
  code(reference: string, code: string): string {
    return this.mac(this.keys[0]!, `code:${reference}:${code}`);
  }

  /** The stored form of a link token, under the current key. */
  link(token: string): string {
    return this.mac(this.keys[0]!, `link:${token}`);
  }

  /** The link token's stored form under every key in use, for the lookup after a rotation. */
  linkCandidates(token: string): string[] {
    return this.keys.map((key) => this.mac(key, `link:${token}`));
  }

  /** Whether `code` is the one stored as `storedHash` under any key in use; compared in constant time. */
  codeMatches(reference: string, code: string, storedHash: string | null): boolean {
    if (!storedHash) return false;
    const stored = Buffer.from(storedHash, "hex");
    let matched = false;
    for (const key of this.keys) {
      const given = Buffer.from(this.mac(key, `code:${reference}:${code}`), "hex");
      if (given.length === stored.length && timingSafeEqual(given, stored)) matched = true;
    }
    return matched;
  }

  private mac(key: Buffer, text: string): string {
    return createHmac("sha256", key).update(text).digest("hex");
  }
}

/**
 * SECRET_KEY when set; otherwise the key generated at first start and kept in DATA_DIR/secret-key (mode 0600).
 * @example const { key, source } = await resolveSecretKey({ DATA_DIR: "data" });
 */
export async function resolveSecretKey(env: { SECRET_KEY?: string | undefined; DATA_DIR: string }): Promise<{
  key: string;
  source: string;
}> {
  if (env.SECRET_KEY) return { key: env.SECRET_KEY, source: "SECRET_KEY" };
  const file = path.join(env.DATA_DIR, SECRET_KEY_FILE);
  const saved = await readFile(file, "utf8").then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    },
  );
  if (saved !== undefined) {
    if (saved.length < MIN_SECRET_LENGTH) {
      throw new Error(`Bad configuration:\n  ${file}: the secret key must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    return { key: saved, source: file };
  }
  const key = randomBytes(32).toString("base64url");
  await mkdir(env.DATA_DIR, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${key}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  // link() refuses to replace: a second process starting at the same moment keeps the first one's key.
  await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  await rm(temporary, { force: true });
  return { key: (await readFile(file, "utf8")).trim(), source: `${file} (generated)` };
}

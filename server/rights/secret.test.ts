import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newVerificationCode } from "./reference.js";
import { resolveSecretKey, SECRET_KEY_FILE, SecretHasher } from "./secret.js";

const KEY = "k".repeat(32);

describe("codes and link tokens under the server secret", () => {
  it("checks a code against its keyed hash only, bound to its reference", () => {
    const hasher = new SecretHasher(KEY);
    const code = newVerificationCode();
    const stored = hasher.code("PR-AAAA-BBBB", code);
    expect(hasher.codeMatches("PR-AAAA-BBBB", code, stored)).toBe(true);
    expect(hasher.codeMatches("PR-AAAA-BBBC", code, stored)).toBe(false);
    expect(hasher.codeMatches("PR-AAAA-BBBB", code, null)).toBe(false);
    // The old unkeyed form (sha256 of reference:code) is gone: without the key the million codes cannot be tried offline.
    expect(stored).not.toBe(createHash("sha256").update(`PR-AAAA-BBBB:${code}`).digest("hex"));
    expect(new SecretHasher("x".repeat(32)).codeMatches("PR-AAAA-BBBB", code, stored)).toBe(false);
  });

  it("keeps codes and links mailed under a previous key working after a rotation", () => {
    const before = new SecretHasher(KEY);
    const after = new SecretHasher("n".repeat(32), [KEY]);
    const stored = before.code("PR-AAAA-BBBB", "123456");
    expect(after.codeMatches("PR-AAAA-BBBB", "123456", stored)).toBe(true);
    expect(after.linkCandidates("tok")).toContain(before.link("tok"));
    expect(after.link("tok")).not.toBe(before.link("tok"));
    expect(new SecretHasher("n".repeat(32)).codeMatches("PR-AAAA-BBBB", "123456", stored)).toBe(false);
  });

  it("takes SECRET_KEY, else generates one in DATA_DIR with mode 0600 and keeps it across starts", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "secret-"));
    try {
      expect(await resolveSecretKey({ SECRET_KEY: KEY, DATA_DIR: dir })).toEqual({ key: KEY, source: "SECRET_KEY" });
      const first = await resolveSecretKey({ DATA_DIR: dir });
      const file = path.join(dir, SECRET_KEY_FILE);
      expect(first.source).toContain(file);
      expect(Buffer.from(first.key, "base64url")).toHaveLength(32);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await resolveSecretKey({ DATA_DIR: dir })).key).toBe(first.key);
      // Two processes starting together end with one key.
      await rm(file);
      const both = await Promise.all([resolveSecretKey({ DATA_DIR: dir }), resolveSecretKey({ DATA_DIR: dir })]);
      expect(both[0].key).toBe(both[1].key);
      expect((await readFile(file, "utf8")).trim()).toBe(both[0].key);
      await writeFile(file, "short\n");
      await expect(resolveSecretKey({ DATA_DIR: dir })).rejects.toThrow(/at least 32 characters/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

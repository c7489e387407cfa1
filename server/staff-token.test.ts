import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStaffToken, readStaffTokenFile, resolveStaffToken, staffTokenPath } from "./staff-token.js";

describe("staff token file", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = path.join(await mkdtemp(path.join(tmpdir(), "staff-token-")), "data");
  });
  afterEach(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it("creates DATA_DIR, saves a fresh 32-character token readable by its owner only, and reads it back", async () => {
    const { token, file } = await createStaffToken(dataDir);
    expect(file).toBe(staffTokenPath(dataDir));
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readStaffTokenFile(dataDir)).toBe(token);
  });

  it("replaces the previous token when run again", async () => {
    const first = await createStaffToken(dataDir);
    const second = await createStaffToken(dataDir);
    expect(second.token).not.toBe(first.token);
    expect(await readStaffTokenFile(dataDir)).toBe(second.token);
  });

  it("has no token without the file, and refuses a file holding a short one", async () => {
    expect(await readStaffTokenFile(dataDir)).toBeUndefined();
    await createStaffToken(dataDir);
    await writeFile(staffTokenPath(dataDir), "short\n");
    await expect(readStaffTokenFile(dataDir)).rejects.toThrow(/at least 16 characters.*npm run staff-token/s);
  });

  it("lets STAFF_TOKEN take precedence over the saved token", async () => {
    const { token, file } = await createStaffToken(dataDir);
    expect(await resolveStaffToken({ DATA_DIR: dataDir })).toEqual({ token, source: file });
    expect(await resolveStaffToken({ DATA_DIR: dataDir, STAFF_TOKEN: "from-the-environment-1234" })).toEqual({
      token: "from-the-environment-1234",
      source: "STAFF_TOKEN",
    });
  });
});

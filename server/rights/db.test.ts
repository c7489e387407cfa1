import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, openPglite } from "./db.js";

const root = mkdtempSync(path.join(os.tmpdir(), "rights-db-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("embedded database folder", () => {
  it("refuses a second opener while the first is open, and takes over a lock left by a dead process", async () => {
    const dir = path.join(root, "db");
    const first = await openPglite(dir);
    await migrate(first);
    await expect(openPglite(dir)).rejects.toThrow(/in use by process/);
    await first.query("INSERT INTO feedback (site, verdict, kind, citations, created_at) VALUES ('acme', 'up', 'answer', '[]', now())");
    await first.close();
    writeFileSync(`${dir}.lock`, "2147483646"); // no such process
    const second = await openPglite(dir);
    const [row] = await second.query<{ n: number }>("SELECT count(*)::int AS n FROM feedback");
    expect(row!.n).toBe(1);
    await second.close();
  });

  it("creates a new folder in a child process and runs with 16 MB of shared buffers", async () => {
    const dir = path.join(root, "fresh");
    const db = await openPglite(dir);
    expect(existsSync(path.join(dir, "PG_VERSION"))).toBe(true);
    expect(await db.query("SHOW shared_buffers")).toEqual([{ shared_buffers: "16MB" }]);
    await db.close();
  });
});

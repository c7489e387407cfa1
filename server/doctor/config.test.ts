import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../env.js";
import { createStaffToken, staffTokenPath } from "../staff-token.js";
import { checkEnv, checkOrigins, checkPort, checkStaffToken } from "./config.js";

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "doctor-config-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const envWith = (overrides: Record<string, string> = {}) => readEnv({ DATA_DIR: dataDir, ...overrides });

describe("doctor: env", () => {
  it("passes a valid environment through server/env.ts's schema", () => {
    const { result, env } = checkEnv({ PORT: "8080", DATA_DIR: dataDir, RETENTION_MONTHS: "36" });
    expect(result.status).toBe("ok");
    expect(env?.PORT).toBe(8080);
    expect(result.message).toContain("closed requests anonymised after RETENTION_MONTHS 36");
    expect(checkEnv({ RETENTION_MONTHS: "0" }).result.message).toContain("RETENTION_MONTHS");
    expect(checkEnv({ MAIL_OUTBOX_HOURS: "soon" }).result.message).toContain("MAIL_OUTBOX_HOURS");
  });

  it("fails naming every bad variable in one line", () => {
    const { result, env } = checkEnv({ PORT: "eighty", STAFF_TOKEN: "short", EMBEDDER: "openai" });
    expect(env).toBeUndefined();
    expect(result.status).toBe("fail");
    expect(result.message).not.toContain("\n");
    for (const name of ["PORT", "STAFF_TOKEN must be at least 16 characters", "EMBEDDER"]) expect(result.message).toContain(name);
  });
});

describe("doctor: staff token", () => {
  it("warns without a token, and names where the token comes from", async () => {
    expect((await checkStaffToken(envWith())).status).toBe("warn");
    expect((await checkStaffToken(envWith())).message).toContain("npm run staff-token");
    await createStaffToken(dataDir);
    expect(await checkStaffToken(envWith())).toMatchObject({ status: "ok", message: expect.stringContaining("staff-token") });
    expect(await checkStaffToken(envWith({ STAFF_TOKEN: "a-token-of-sixteen-plus" }))).toMatchObject({
      status: "ok",
      message: "staff token from STAFF_TOKEN",
    });
  });

  it("fails on a saved token too short to be accepted", async () => {
    await writeFile(staffTokenPath(dataDir), "tiny\n");
    const result = await checkStaffToken(envWith());
    expect(result.status).toBe("fail");
    expect(result.message).toContain("at least 16 characters");
    expect(result.message).not.toContain("Bad configuration");
  });
});

describe("doctor: origins", () => {
  const sites = [
    { site: "acme", url: "https://acme.example/privacy" },
    { site: "acme-eu", url: "https://acme.example/eu/privacy" },
    { site: "beta", url: "https://www.beta.example:8443/legal" },
  ];

  it("is ok when every site's origin is allowed", () => {
    const env = envWith({ ALLOWED_ORIGINS: "https://acme.example, https://www.beta.example:8443" });
    expect(checkOrigins(env, sites).status).toBe("ok");
  });

  it("warns with the ALLOWED_ORIGINS line that would cover a site on another origin", () => {
    const result = checkOrigins(envWith({ ALLOWED_ORIGINS: "https://acme.example" }), sites);
    expect(result.status).toBe("warn");
    expect(result.message).toContain("beta on https://www.beta.example:8443");
    expect(result.message).toContain("ALLOWED_ORIGINS=https://acme.example,https://www.beta.example:8443");
  });

  it("fails on an entry the browser's Origin header can never equal", () => {
    const result = checkOrigins(envWith({ ALLOWED_ORIGINS: "https://acme.example/,shop.example" }), sites);
    expect(result.status).toBe("fail");
    expect(result.message).toContain("https://acme.example/ -> https://acme.example");
    expect(result.message).toContain("shop.example");
  });
});

describe("doctor: port", () => {
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it("is ok on a free port and leaves it free", async () => {
    const env = envWith({ PORT: "0" });
    expect((await checkPort(env)).status).toBe("ok");
  });

  it("fails on a port in use, saying what to do", async () => {
    const result = await checkPort(envWith({ PORT: String(takenPort) }));
    expect(result).toMatchObject({ status: "fail", message: expect.stringContaining(`127.0.0.1:${takenPort} is in use`) });
    expect(result.message).toContain("PORT");
  });

  it("fails on a HOST that is not an address of this machine", async () => {
    const result = await checkPort(envWith({ HOST: "192.0.2.1", PORT: "0" }));
    expect(result).toMatchObject({ status: "fail", message: expect.stringContaining("HOST 192.0.2.1 is not an address of this machine") });
  });
});

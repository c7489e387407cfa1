import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../free-port.js";
import { processTreeRssMiB } from "./memory.js";

/** The question routes' guards lifted, so that a bench measures answering and not the refusals (no 429, no 503). */
export const UNLIMITED_QUESTIONS = { ASK_RATE_LIMIT: "1000000000", SEARCH_RATE_LIMIT: "1000000000", ASK_MAX_IN_FLIGHT: "10000" };

export interface BenchServer {
  url: string;
  pid: number;
  dataDir: string;
  /** Resident memory (MiB) of the server process (its worker threads included) and any process it started. */
  rssMiB(): Promise<number>;
  /** Resolves when /api/health/ready answers 200; with the milliseconds since the process was spawned. */
  ready(): Promise<number>;
  /** SIGTERM and wait for the exit; the data folder is removed unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** A real server (`node --import tsx server/main.ts`), on a fresh DATA_DIR unless one is given. */
export async function startBenchServer(env: Record<string, string>, dataDir?: string): Promise<BenchServer> {
  const port = await freePort();
  const folder = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "bench-data-")));
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env, PORT: String(port), DATA_DIR: folder },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    dataDir: folder,
    rssMiB: () => processTreeRssMiB(pid),
    async ready() {
      for (let attempt = 0; attempt < 2400; attempt++) {
        const response = await fetch(`${url}/api/health/ready`).catch(() => undefined);
        if (response?.ok) return performance.now() - spawnedAt;
        if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("the server was not ready within two minutes");
    },
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      if (!keepData) await rm(folder, { recursive: true, force: true });
    },
  };
}

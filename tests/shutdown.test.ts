import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "shutdown-test-"));
const env = {
  ...process.env,
  PORT: "0",
  HOST: "127.0.0.1",
  CORPUS_DIR: path.join(root, "tests/fixtures/tiny-corpus"),
  INDEX_DIR: path.join(dataDir, "index"),
  DATA_DIR: dataDir,
  EMBEDDER: "use-lite",
  LOG_LEVEL: "info",
};

interface Started {
  child: ChildProcess;
  /** Every stdout line, parsed; a line that is not JSON is kept as `{ notJson }`. */
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; at: number }>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

function start(command: string, args: string[]): Started {
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ pattern: RegExp; resolve: (msg: string) => void }> = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      entry = { notJson: line };
    }
    lines.push(entry);
    const msg = String(entry.msg ?? "");
    for (const waiter of waiters.filter((w) => w.pattern.test(msg))) waiter.resolve(msg);
  });
  createInterface({ input: child.stderr! }).on("line", (line) => lines.push({ stderr: line }));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, at: Date.now() })),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((entry) => pattern.test(String(entry.msg ?? "")));
        if (seen) return resolve(String(seen.msg));
        const timer = setTimeout(() => reject(new Error(`no log line matching ${pattern}: ${JSON.stringify(lines)}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (msg) => {
            clearTimeout(timer);
            resolve(msg);
          },
        });
      }),
  };
}

let server: Started | undefined;
afterAll(() => {
  server?.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start and signals", () => {
  it("passes SIGTERM to the server, which finishes the request in flight, refuses new ones and exits 0 within 10 s", async () => {
    // `--silent` keeps npm's own "> npm start" banner out of stdout, which then holds only the server's JSON lines.
    server = start("npm", ["--silent", "start"]);
    const url = new URL((await server.waitFor(/^listening on /)).replace("listening on ", ""));

    // A request in flight: headers sent, body not yet, so the server is waiting on it when the signal comes.
    const body = JSON.stringify({ question: "How long do you keep my data?", site: "acme" });
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let reply = "";
    socket.on("data", (data) => (reply += data.toString()));
    const replied = new Promise<void>((resolve) => socket.once("end", () => resolve()));
    socket.write(
      `POST /api/ask HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const signalled = Date.now();
    process.kill(server.child.pid!, "SIGTERM");
    await server.waitFor(/^shutdown: no new connections/, 5_000);
    const refused = await fetch(`${url.origin}/api/health`).then(
      () => "answered",
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );
    expect(refused).toBe("ECONNREFUSED");

    socket.end(body.slice(10));
    await replied;
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(
      JSON.parse(
        reply
          .slice(reply.indexOf("\r\n\r\n") + 4)
          .trim()
          .replace(/^[0-9a-f]+\r\n|\r\n0$/gi, ""),
      ),
    ).toMatchObject({
      kind: expect.any(String),
    });

    const { code, at } = await server.exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
    const messages = server.lines.map((entry) => String(entry.msg ?? ""));
    expect(messages).toContain("SIGTERM: shutting down");
    expect(messages.some((msg) => /^shutdown: done in [\d.]+ s/.test(msg))).toBe(true);
    expect(server.lines.find((entry) => entry.route === "/api/ask")).toMatchObject({ status: 200 });
    expect(existsSync(path.join(dataDir, "rights-db.lock"))).toBe(false);
    expect(server.lines.filter((entry) => "notJson" in entry)).toEqual([]);
  }, 180_000);

  it("refuses a second server on the same DATA_DIR before it loads any model", async () => {
    server = start(process.execPath, ["--import", "tsx", "server/main.ts"]);
    await server.waitFor(/^listening on /);
    const second = start(process.execPath, ["--import", "tsx", "server/main.ts"]);
    const began = Date.now();
    const { code } = await second.exited;
    expect(code).toBe(1);
    const fatal = second.lines.find((entry) => entry.level === "fatal");
    expect(String(fatal?.msg)).toMatch(/is in use by process \d+; one server per folder/);
    expect(second.lines.some((entry) => String(entry.msg ?? "").startsWith("embedder"))).toBe(false);
    expect(Date.now() - began).toBeLessThan(15_000);
    process.kill(server.child.pid!, "SIGINT");
    expect((await server.exited).code).toBe(0);
  }, 180_000);
});

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchBrowser, openGuardedPage, ROOT, saveScreenshot, startTestServer, type TestServer } from "./harness.js";

const run = promisify(execFile);

/** The README's sign-in steps, read from the README itself: the commands, the address, the field and the button. */
async function readmeSignIn() {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("To sign in to the staff console:"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const commands = block
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter(Boolean);
  const step = /Open (http:\/\/127\.0\.0\.1:3000\/\S+?), paste the printed token into "([^"]+)" and press "([^"]+)"/.exec(section);
  return { commands, address: step?.[1] ?? "", field: step?.[2] ?? "", button: step?.[3] ?? "" };
}

describe.skipIf(!chromiumPath)("signing in to the staff console by following the README", () => {
  let dataDir: string;
  let server: TestServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "sign-in-"));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("npm run staff-token prints a token once, npm start picks it up, and the console signs in with it", async () => {
    const steps = await readmeSignIn();
    expect(steps.commands).toEqual(["npm run staff-token", "npm start"]);

    const { STAFF_TOKEN: _ignored, ...environment } = process.env;
    const [npm, ...args] = steps.commands[0]!.split(" ");
    const { stdout } = await run(npm!, args, { cwd: ROOT, env: { ...environment, DATA_DIR: dataDir } });
    const token = /^ {2}(\S{16,})$/m.exec(stdout)?.[1];
    expect(token, `a token on its own line in:\n${stdout}`).toBeDefined();

    // `npm start` is scripts/start.ts -> startServer(); the harness starts the same server on a free port.
    server = await startTestServer({ env: { DATA_DIR: dataDir } });
    const { context, page, outside, errors } = await openGuardedPage(browser, server.url);
    await page.goto(steps.address.replace("http://127.0.0.1:3000", server.url));
    await page.getByLabel(steps.field).fill(token!);
    await page.getByRole("button", { name: steps.button }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await saveScreenshot(page, "console-signed-in-from-readme");
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

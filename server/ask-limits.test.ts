import { describe, expect, it } from "vitest";
import { findingNothing } from "../tests/rights-support/knowledge.js";
import { createApp } from "./app.js";
import type { Knowledge } from "./knowledge/types.js";

const ask = (app: ReturnType<typeof createApp>, body: string, client = "198.51.100.1") =>
  app.request("/api/ask", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": client }, body });

const question = JSON.stringify({ question: "Do you sell my data?", site: "acme" });
const limits = (overrides: Partial<{ ask: number; maxInFlight: number }>) => ({
  askPerClient: { limit: overrides.ask ?? 1000, windowMs: 60_000 },
  searchPerClient: { limit: 1000, windowMs: 60_000 },
  maxInFlight: overrides.maxInFlight ?? 1000,
});

describe("/api/ask bounds", () => {
  it("refuses a body past 32 KB with 413 before reading it", async () => {
    const app = createApp({ knowledge: findingNothing(), log: () => {}, trustProxy: 1, askLimits: limits({}) });
    const response = await ask(app, JSON.stringify({ question: "x".repeat(2_000_000), site: "acme" }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("gives each client its own budget: past it 429 with Retry-After, other clients unaffected", async () => {
    const app = createApp({ knowledge: findingNothing(), log: () => {}, trustProxy: 1, askLimits: limits({ ask: 3 }) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(app, question)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await ask(app, question);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await ask(app, question, "203.0.113.5")).status).toBe(200);
  });

  it("sheds load: past the questions in flight, a new one is refused at once with 503 OVERLOADED and Retry-After", async () => {
    // Questions that take as long as the test says, so "in flight" is exact.
    const release: Array<() => void> = [];
    const base = findingNothing();
    const slow: Knowledge = {
      ...base,
      consult: async (q, site) => {
        await new Promise<void>((resolve) => release.push(resolve));
        return base.consult(q, site);
      },
    };
    const app = createApp({ knowledge: slow, log: () => {}, trustProxy: 1, askLimits: limits({ maxInFlight: 2 }) });
    const first = [ask(app, question, "192.0.2.1"), ask(app, question, "192.0.2.2")];
    await expect.poll(() => release.length).toBe(2);
    const began = performance.now();
    const shed = await ask(app, question, "192.0.2.3");
    expect(performance.now() - began).toBeLessThan(100);
    expect(shed.status).toBe(503);
    expect(((await shed.json()) as { error: { code: string } }).error.code).toBe("OVERLOADED");
    expect(Number(shed.headers.get("retry-after"))).toBeGreaterThan(0);
    for (const done of release) done();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    release.length = 0;
    const after = ask(app, question, "192.0.2.3");
    await expect.poll(() => release.length).toBe(1);
    release[0]?.();
    expect((await after).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, rightsApp } from "../../tests/rights-support/app.js";

let built: Awaited<ReturnType<typeof rightsApp>>;
beforeAll(async () => {
  built = await rightsApp();
});
afterAll(() => built.close());

describe("POST /api/feedback", () => {
  it("stores a verdict with its citations and no identity", async () => {
    const response = await postJson(built.app, "/api/feedback", {
      site: "acme",
      verdict: "up",
      kind: "answer",
      citations: [{ title: "Acme privacy policy", section: "Your rights", url: "https://acme.example/privacy#rights" }],
      email: "someone@example.com",
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    const [row] = await built.rights.db.query<Record<string, unknown>>("SELECT * FROM feedback WHERE id = $1", [id]);
    expect(row).toMatchObject({ site: "acme", verdict: "up", kind: "answer" });
    expect(JSON.stringify(row)).not.toContain("someone@example.com");
  });

  it("refuses an unknown site or verdict", async () => {
    const unknown = await postJson(built.app, "/api/feedback", { site: "nope", verdict: "up", kind: "answer", citations: [] });
    expect(unknown.status).toBe(404);
    const sideways = await postJson(built.app, "/api/feedback", { site: "acme", verdict: "sideways", kind: "answer" });
    expect(sideways.status).toBe(400);
  });
});

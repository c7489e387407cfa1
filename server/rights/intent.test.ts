import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RIGHTS, type Right } from "../knowledge/types.js";
import { classifyRightsIntent, negatedRights, RIGHT_LABELS, type RightsIntent } from "./intent.js";

interface HeldOutCase {
  message: string;
  kind: RightsIntent["kind"];
  rights?: Right[];
}

const heldOut: HeldOutCase[] = JSON.parse(readFileSync(new URL("../../tests/fixtures/intent-heldout.json", import.meta.url), "utf8")).cases;

/** Requests must match exactly (order included); questions must mention the same set of rights. */
function agrees(expected: HeldOutCase, actual: RightsIntent): boolean {
  if (actual.kind !== expected.kind) return false;
  if (actual.kind === "none") return true;
  const want = expected.rights ?? [];
  if (actual.kind === "request") return JSON.stringify(actual.rights) === JSON.stringify(want);
  return actual.rights.length === want.length && want.every((right) => actual.rights.includes(right));
}

describe("classifyRightsIntent on the held-out set", () => {
  it("has a varied set of at least 60 messages covering every right and every kind", () => {
    expect(heldOut.length).toBeGreaterThanOrEqual(60);
    for (const kind of ["request", "question", "none"] as const) {
      expect(heldOut.some((c) => c.kind === kind)).toBe(true);
    }
    for (const right of RIGHTS) {
      expect(heldOut.some((c) => c.kind === "request" && c.rights?.[0] === right)).toBe(true);
    }
  });

  it.each(heldOut.map((c) => [c.message, c] as const))("%s", (_message, c) => {
    const actual = classifyRightsIntent(c.message);
    expect(agrees(c, actual), `got ${JSON.stringify(actual)}`).toBe(true);
  });
});

describe("classifyRightsIntent rules", () => {
  it("reads an order inside foreign-language greetings", () => {
    expect(classifyRightsIntent("Salut ! Please send me a copy of my data. Merci !")).toEqual({ kind: "request", rights: ["access"] });
  });

  it("normalises curly quotes, full-width letters and case", () => {
    expect(classifyRightsIntent("I DON\u2019T want my account deleted")).toEqual({ kind: "none" });
    expect(classifyRightsIntent("\uFF24elete my data")).toEqual({ kind: "request", rights: ["erasure"] });
  });

  it("treats the same verb as an order, a question or a practice question by its frame", () => {
    expect(classifyRightsIntent("Erase my profile").kind).toBe("request");
    expect(classifyRightsIntent("How would I erase my profile?").kind).toBe("question");
    expect(classifyRightsIntent("Do you erase profiles of inactive users?").kind).toBe("none");
  });

  it("keeps negation local to its clause", () => {
    expect(classifyRightsIntent("I don't use the app any more, so please delete my account")).toEqual({
      kind: "request",
      rights: ["erasure"],
    });
    expect(classifyRightsIntent("Please do not delete my account")).toEqual({ kind: "none" });
  });

  it("does not mistake a leading time or condition clause for a question", () => {
    expect(classifyRightsIntent("When you get this, please delete my data")).toEqual({ kind: "request", rights: ["erasure"] });
    expect(classifyRightsIntent("If I delete my account, is my data gone?")).toEqual({ kind: "question", rights: ["erasure"] });
  });

  it("routes opt-outs by what they opt out of", () => {
    expect(classifyRightsIntent("Opt me out of marketing emails")).toEqual({ kind: "request", rights: ["objection"] });
    expect(classifyRightsIntent("Opt me out of sharing")).toEqual({ kind: "request", rights: ["opt_out_sale"] });
    expect(classifyRightsIntent("Opt me out of all processing of my data")).toEqual({ kind: "request", rights: ["withdraw_consent"] });
  });

  it("lists several rights most prominent (earliest) first", () => {
    expect(classifyRightsIntent("Stop selling my data, then delete it and send me a copy first")).toEqual({
      kind: "request",
      rights: ["opt_out_sale", "erasure", "access"],
    });
  });

  it("returns none for empty and unrelated input", () => {
    expect(classifyRightsIntent("")).toEqual({ kind: "none" });
    expect(classifyRightsIntent("   ")).toEqual({ kind: "none" });
    expect(classifyRightsIntent("What is your refund policy?")).toEqual({ kind: "none" });
  });

  it("has a human label for every right", () => {
    for (const right of RIGHTS) expect(RIGHT_LABELS[right]).toMatch(/\w/);
    expect(RIGHT_LABELS.erasure).toBe("Deletion (erasure)");
  });

  it("classifies a message in well under a millisecond", () => {
    const messages = heldOut.map((c) => c.message);
    const rounds = 20;
    const started = performance.now();
    for (let round = 0; round < rounds; round++) for (const message of messages) classifyRightsIntent(message);
    const perMessageMs = (performance.now() - started) / (rounds * messages.length);
    expect(perMessageMs).toBeLessThan(1);
  });
});

describe("negatedRights", () => {
  it("finds the right a negation names, and none where it names none", () => {
    expect([...negatedRights("please dont erase my profile, i still need it")]).toEqual(["erasure"]);
    expect([...negatedRights("i don't want a copy of my data, just correct my address")]).toEqual(["access"]);
    expect([...negatedRights("no need to delete anything, my surname is misspelt")]).toEqual(["erasure"]);
    expect([...negatedRights("never want to hear from you again")]).toEqual([]);
    expect([...negatedRights("delete my account")]).toEqual([]);
  });
});

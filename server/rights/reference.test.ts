import { describe, expect, it } from "vitest";
import { codeMatches, hashCode, newReference, newVerificationCode, normalizeReference, REFERENCE_PATTERN } from "./reference.js";

describe("public references and codes", () => {
  it("makes short Crockford references that do not repeat", () => {
    const references = Array.from({ length: 5000 }, newReference);
    for (const reference of references) expect(reference).toMatch(REFERENCE_PATTERN);
    expect(new Set(references).size).toBe(references.length);
  });
  it("reads references as people type them", () => {
    expect(normalizeReference("pr-7k4m-q2xd")).toBe("PR-7K4M-Q2XD");
    expect(normalizeReference("7K4M Q2XD")).toBe("PR-7K4M-Q2XD");
    expect(normalizeReference("PR-OOIL-Q2XD")).toBe("PR-0011-Q2XD");
    expect(normalizeReference("PR-7K4M-Q2X")).toBeNull();
    expect(normalizeReference("PR-7K4M-Q2XU")).toBeNull();
    expect(normalizeReference("../../etc")).toBeNull();
  });
  it("makes 6-digit codes and checks them against the salted hash only", () => {
    const code = newVerificationCode();
    expect(code).toMatch(/^\d{6}$/);
    const stored = hashCode("PR-AAAA-BBBB", code);
    expect(codeMatches("PR-AAAA-BBBB", code, stored)).toBe(true);
    expect(codeMatches("PR-AAAA-BBBC", code, stored)).toBe(false);
    expect(codeMatches("PR-AAAA-BBBB", code, null)).toBe(false);
  });
});

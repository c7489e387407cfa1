import { describe, expect, it } from "vitest";
import { LINK_TOKEN_PATTERN, newLinkToken, newReference, newVerificationCode, normalizeReference, REFERENCE_PATTERN } from "./reference.js";

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
  it("makes 6-digit codes and 256-bit link tokens that do not repeat", () => {
    expect(newVerificationCode()).toMatch(/^\d{6}$/);
    const tokens = Array.from({ length: 1000 }, newLinkToken);
    for (const token of tokens) expect(token).toMatch(LINK_TOKEN_PATTERN);
    expect(Buffer.from(tokens[0]!, "base64url")).toHaveLength(32);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

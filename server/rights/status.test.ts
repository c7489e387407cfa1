import { describe, expect, it } from "vitest";
import type { AppError } from "../errors.js";
import { allowedTransitions, guardTransition, STATUSES, TRANSITIONS } from "./status.js";

describe("request status machine", () => {
  it("only the requester verifies, only the system closes unverified requests, and end states are final", () => {
    expect(allowedTransitions("identity_unverified", "staff")).toEqual(["canceled"]);
    expect(allowedTransitions("identity_unverified", "requester")).toEqual(["pending"]);
    expect(allowedTransitions("pending", "staff")).toEqual(["in_progress", "denied", "canceled"]);
    for (const end of ["completed", "denied", "canceled", "closed_unverified"] as const) {
      expect(TRANSITIONS.filter((t) => (t.from as string) === end)).toEqual([]);
    }
    expect(new Set(TRANSITIONS.flatMap((t) => [t.from, t.to]))).toEqual(new Set(STATUSES));
  });

  it("stamps actor, time and note; refuses unknown moves and denials without a reason", () => {
    const at = new Date("2025-01-01T00:00:00Z");
    expect(guardTransition("pending", "denied", "staff", "staff", at, " unfounded ")).toEqual({
      from: "pending",
      to: "denied",
      actor: "staff",
      at,
      note: "unfounded",
    });
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as AppError).code;
      }
      return "none";
    };
    expect(codeOf(() => guardTransition("pending", "denied", "staff", "staff", at))).toBe("NOTE_REQUIRED");
    expect(codeOf(() => guardTransition("pending", "completed", "staff", "staff", at))).toBe("INVALID_TRANSITION");
    expect(codeOf(() => guardTransition("identity_unverified", "pending", "staff", "staff", at))).toBe("INVALID_TRANSITION");
  });
});

import { describe, expect, it } from "vitest";
import { newestFirst, verificationCodes } from "./outbox.js";

describe("verificationCodes", () => {
  it("finds six-digit codes, once each, keeping leading zeros", () => {
    expect(verificationCodes("Your code is 042917.\nAgain: 042917. Reference PR-2025-000123.")).toEqual(["042917"]);
  });

  it("ignores longer numbers, dates and references", () => {
    expect(verificationCodes("Call 0123456789 before 2025-03-01; ref PR-123456-7")).toEqual([]);
  });
});

describe("newestFirst", () => {
  it("orders by creation time, newest first, stable for ties", () => {
    const message = (id: number, createdAt: string) => ({ id, to: "x", subject: "s", text: "", createdAt });
    const sorted = newestFirst([
      message(1, "2025-03-01T10:00:00Z"),
      message(2, "2025-03-01T12:00:00Z"),
      message(3, "2025-03-01T10:00:00Z"),
    ]);
    expect(sorted.map((m) => m.id)).toEqual([2, 1, 3]);
  });
});

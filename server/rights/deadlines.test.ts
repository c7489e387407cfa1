import { describe, expect, it } from "vitest";
import { addPeriod, dueDate, extendedDueDate, jurisdictionOf } from "./deadlines.js";

describe("jurisdiction from the country field", () => {
  it.each([
    ["DE", "GDPR"],
    ["de", "GDPR"],
    ["Germany", "GDPR"],
    ["NO", "GDPR"],
    ["Iceland", "GDPR"],
    ["The Netherlands", "GDPR"],
    ["GB", "UK_GDPR"],
    ["UK", "UK_GDPR"],
    ["United Kingdom", "UK_GDPR"],
    ["US-CA", "CCPA"],
    ["us-ca", "CCPA"],
    ["California", "CCPA"],
    ["California, USA", "CCPA"],
    ["BR", "LGPD"],
    ["Brasil", "LGPD"],
    ["CA", "DEFAULT"],
    ["US", "DEFAULT"],
    ["CH", "DEFAULT"],
    ["", "DEFAULT"],
    [null, "DEFAULT"],
  ])("%s -> %s", (country, expected) => {
    expect(jurisdictionOf(country)).toBe(expected);
  });
});

describe("due dates", () => {
  const at = (iso: string) => new Date(iso);
  it("adds calendar months, clamping to the end of a shorter month", () => {
    expect(addPeriod(at("2025-01-31T12:00:00Z"), { months: 1 }).toISOString()).toBe("2025-02-28T12:00:00.000Z");
    expect(addPeriod(at("2024-01-31T12:00:00Z"), { months: 1 }).toISOString()).toBe("2024-02-29T12:00:00.000Z");
    expect(addPeriod(at("2025-03-15T08:00:00Z"), { months: 1 }).toISOString()).toBe("2025-04-15T08:00:00.000Z");
    expect(addPeriod(at("2025-12-31T08:00:00Z"), { months: 2 }).toISOString()).toBe("2026-02-28T08:00:00.000Z");
  });
  it("uses each regime's period and the configured default", () => {
    const received = at("2025-03-01T09:00:00Z");
    expect(dueDate(received, "GDPR", { defaultDueDays: 30 }).toISOString()).toBe("2025-04-01T09:00:00.000Z");
    expect(dueDate(received, "CCPA", { defaultDueDays: 30 }).toISOString()).toBe("2025-04-15T09:00:00.000Z");
    expect(dueDate(received, "LGPD", { defaultDueDays: 30 }).toISOString()).toBe("2025-03-16T09:00:00.000Z");
    expect(dueDate(received, "DEFAULT", { defaultDueDays: 10 }).toISOString()).toBe("2025-03-11T09:00:00.000Z");
  });
  it("extends GDPR by two months and CCPA by 45 days, and not LGPD or the default", () => {
    const due = at("2025-04-01T09:00:00Z");
    expect(extendedDueDate(due, "UK_GDPR")!.toISOString()).toBe("2025-06-01T09:00:00.000Z");
    expect(extendedDueDate(due, "CCPA")!.toISOString()).toBe("2025-05-16T09:00:00.000Z");
    expect(extendedDueDate(due, "LGPD")).toBeNull();
    expect(extendedDueDate(due, "DEFAULT")).toBeNull();
  });
});

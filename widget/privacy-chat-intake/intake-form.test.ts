import { describe, expect, it } from "vitest";
import {
  FIELD_LIMITS,
  emptyIntake,
  formatDueDate,
  normaliseCode,
  requestBody,
  secondsUntil,
  validateIntake,
  withCountryCode,
  type IntakeValues,
} from "./intake-form.js";
import { countries, countryCode } from "./countries.js";
import { DEFAULT_STRINGS } from "../privacy-chat/strings.js";

const filled: IntakeValues = { right: "erasure", email: " visitor@example.com ", name: "", country: "Norway", details: "" };

describe("intake form", () => {
  it("starts empty with the offered right and a fresh idempotency key", () => {
    let n = 0;
    const state = emptyIntake("altoros", "access", () => `key-${++n}`);
    expect(state).toEqual({
      step: "form",
      site: "altoros",
      values: { right: "access", email: "", name: "", country: "", details: "" },
      idempotencyKey: "key-1",
    });
  });

  it("needs an e-mail address that looks like one", () => {
    expect(validateIntake(filled, DEFAULT_STRINGS)).toEqual({});
    expect(validateIntake({ ...filled, email: "visitor@" }, DEFAULT_STRINGS).email).toBe(DEFAULT_STRINGS.errorEmail);
    expect(validateIntake({ ...filled, email: "" }, DEFAULT_STRINGS).email).toBeDefined();
  });

  it("names the limit of an over-long field", () => {
    const errors = validateIntake({ ...filled, details: "x".repeat(FIELD_LIMITS.details + 1) }, DEFAULT_STRINGS);
    expect(errors.details).toBe(`This is longer than ${FIELD_LIMITS.details} characters.`);
  });

  it("sends trimmed values and leaves empty optional fields out", () => {
    expect(requestBody("altoros", filled)).toEqual({
      site: "altoros",
      right: "erasure",
      email: "visitor@example.com",
      country: "Norway",
      source: "chat",
    });
  });
});

describe("code step", () => {
  it("accepts six digits as typed or pasted", () => {
    expect(normaliseCode("123456")).toBe("123456");
    expect(normaliseCode(" 123 456 ")).toBe("123456");
    expect(normaliseCode("123-456")).toBe("123456");
    expect(normaliseCode("12345")).toBeUndefined();
    expect(normaliseCode("12345a")).toBeUndefined();
  });

  it("counts down to the next allowed resend", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(secondsUntil("2026-01-01T00:00:30Z", now)).toBe(30);
    expect(secondsUntil("2026-01-01T00:00:00.200Z", now)).toBe(1);
    expect(secondsUntil("2025-12-31T23:59:00Z", now)).toBe(0);
    expect(secondsUntil("not a date", now)).toBe(0);
  });

  it("formats the due date for the reader's language", () => {
    expect(formatDueDate("2026-12-23T10:00:00Z", "en-GB")).toBe("23 December 2026");
    expect(formatDueDate("2026-12-23T10:00:00Z", "de")).toBe("23. Dezember 2026");
    expect(formatDueDate("soon", "en")).toBe("soon");
  });
});

describe("country and state", () => {
  it("sends the ISO code for a name in the visitor's language, with the state for US residents", () => {
    expect(withCountryCode({ ...filled, country: "norway" }, countries("en")).country).toBe("NO");
    expect(withCountryCode({ ...filled, country: "Deutschland" }, countries("de")).country).toBe("DE");
    expect(withCountryCode({ ...filled, country: "États-Unis", state: "CA" }, countries("fr")).country).toBe("US-CA");
    expect(withCountryCode({ ...filled, country: "United States" }, countries("en")).country).toBe("US");
  });

  it("lists all 249 ISO 3166-1 countries and refuses a name not on the list", () => {
    const list = countries("en");
    expect(list).toHaveLength(249);
    expect(new Set(list.map((c) => c.code)).size).toBe(249);
    expect(countryCode("GB", list)).toBe("GB");
    expect(validateIntake({ ...filled, country: "Atlantis" }, DEFAULT_STRINGS, list).country).toBe(DEFAULT_STRINGS.errorCountry);
    expect(validateIntake({ ...filled, country: "" }, DEFAULT_STRINGS, list).country).toBeUndefined();
  });

  it("starts an enquiry with the visitor's question as its details", () => {
    const state = emptyIntake("altoros", "enquiry", () => "k", "Do you train models on my chats?");
    expect(state.step === "form" && state.values).toMatchObject({ right: "enquiry", details: "Do you train models on my chats?" });
  });
});

import { FIELD_LIMITS as WIRE_LIMITS, type RequestKind } from "../../server/contract/constants.js";
import { fill, type ChatStrings } from "../privacy-chat/strings.js";
import { countryCode, type Country } from "./countries.js";

export interface IntakeValues {
  /** A right, or "enquiry" for a question handed to the privacy team. */
  right: RequestKind;
  email: string;
  name: string;
  /** As typed or picked from the list, in the visitor's language. */
  country: string;
  /** ISO 3166-2 subdivision code (without "US-") for US residents. */
  state?: string;
  details: string;
}

export type IntakeField = "email" | "name" | "country" | "details";
export type IntakeErrors = Partial<Record<IntakeField, string>>;

/** The server's own limits (the wire contract), checked before sending so the visitor hears of them at the field. */
export const FIELD_LIMITS: Record<IntakeField, number> = {
  email: WIRE_LIMITS.email,
  name: WIRE_LIMITS.name,
  country: WIRE_LIMITS.country,
  details: WIRE_LIMITS.details,
};

/** The form's steps as data: filling in, then the code, then done. */
export type IntakeState =
  | { step: "form"; site: string; values: IntakeValues; idempotencyKey: string }
  | {
      step: "code";
      site: string;
      values: IntakeValues;
      idempotencyKey: string;
      reference: string;
      dueAt: string;
      resendAvailableAt: string;
      code: string;
    }
  | { step: "done"; site: string; right: RequestKind; reference: string; dueAt: string };

/** A fresh form; an enquiry starts with the visitor's unanswered question as its details. */
export function emptyIntake(site: string, right: RequestKind, newKey: () => string, details = ""): IntakeState {
  return { step: "form", site, values: { right, email: "", name: "", country: "", details }, idempotencyKey: newKey() };
}

/**
 * The messages to show beside each field; an empty object means the form can be sent.
 * @example validateIntake({ right: "access", email: "x", name: "", country: "", details: "" }, strings).email
 */
export function validateIntake(values: IntakeValues, strings: ChatStrings, countries?: readonly Country[]): IntakeErrors {
  const errors: IntakeErrors = {};
  const email = values.email.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = strings.errorEmail;
  if (countries && values.country.trim() && !countryCode(values.country, countries)) errors.country = strings.errorCountry;
  for (const field of Object.keys(FIELD_LIMITS) as IntakeField[]) {
    if (!errors[field] && values[field].trim().length > FIELD_LIMITS[field]) {
      errors[field] = fill(strings.errorTooLong, FIELD_LIMITS[field]);
    }
  }
  return errors;
}

/** The body of POST /api/requests; empty optional fields are left out rather than sent blank. */
export function requestBody(site: string, values: IntakeValues) {
  const body: {
    site: string;
    right: RequestKind;
    email: string;
    source: "chat";
    name?: string;
    country?: string;
    details?: string;
  } = { site, right: values.right, email: values.email.trim(), source: "chat" };
  for (const field of ["name", "country", "details"] as const) {
    const value = values[field].trim();
    if (value) body[field] = value;
  }
  return body;
}

/**
 * The country as the server reads it: the ISO code ("DE"), with the state for US residents ("US-CA"), so the
 * legal deadline never depends on how a name is spelt in the visitor's language.
 * @example withCountryCode({ ...values, country: "Vereinigte Staaten", state: "CA" }, countries("de")).country === "US-CA"
 */
export function withCountryCode(values: IntakeValues, countries: readonly Country[]): IntakeValues {
  const code = countryCode(values.country, countries);
  if (!code) return values;
  return { ...values, country: code === "US" && values.state ? `US-${values.state}` : code };
}

/** Accepts the code as typed or pasted ("123 456", "123-456"); undefined until it is six digits. */
export function normaliseCode(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? digits : undefined;
}

/** Whole seconds until the server lets the visitor ask for another code. */
export function secondsUntil(isoTime: string, now: number = Date.now()): number {
  const at = Date.parse(isoTime);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A due date as a reader expects it in their language, e.g. "23 December 2026". */
export function formatDueDate(isoTime: string, locale?: string): string {
  const at = new Date(isoTime);
  if (Number.isNaN(at.getTime())) return isoTime;
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric" }).format(at);
}

import { randomBytes, randomInt } from "node:crypto";

/** Crockford's base32: no I, L, O or U, so a reference read aloud or typed from paper survives. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const REFERENCE_PATTERN = /^PR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** A public reference such as "PR-7K4M-Q2XD": 40 random bits, unrelated to any database id. */
export function newReference(): string {
  const chars = Array.from({ length: 8 }, () => CROCKFORD[randomInt(CROCKFORD.length)]).join("");
  return `PR-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Accepts what a person might type: lower case, spaces, O for 0 and I/L for 1. */
export function normalizeReference(input: string): string | null {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  const body = cleaned.startsWith("PR") ? cleaned.slice(2) : cleaned;
  const reference = `PR-${body.slice(0, 4)}-${body.slice(4)}`;
  return body.length === 8 && REFERENCE_PATTERN.test(reference) ? reference : null;
}

export const CODE_DIGITS = 6;

/** A 6-digit verification code; only its HMAC is stored (./secret.ts). */
export function newVerificationCode(): string {
  return String(randomInt(10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
}

/** The one-time link's token: 256 random bits, base64url; only its HMAC is stored (./secret.ts). */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

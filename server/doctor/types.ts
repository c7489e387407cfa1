/** A check's verdict: ok, warn (works, but probably not as meant) or fail (the server would not work). */
export const STATUSES = ["ok", "warn", "fail"] as const;
export type Status = (typeof STATUSES)[number];

/** One line of `npm run doctor`: what was checked, the verdict, and what was found or what to do. */
export interface CheckResult {
  check: string;
  status: Status;
  message: string;
}

export const ok = (check: string, message: string): CheckResult => ({ check, status: "ok", message });
export const warn = (check: string, message: string): CheckResult => ({ check, status: "warn", message });
export const fail = (check: string, message: string): CheckResult => ({ check, status: "fail", message });

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.split("\n")[0]!.trim();
}

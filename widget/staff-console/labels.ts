import { REQUEST_KIND_LABELS } from "../../server/contract/constants.js";
import type { RequestKind, Status } from "./types.js";

const STATUS_LABELS: Record<Status, string> = {
  identity_unverified: "Awaiting verification",
  pending: "Pending",
  in_progress: "In progress",
  completed: "Completed",
  denied: "Denied",
  canceled: "Canceled",
  closed_unverified: "Closed (unverified)",
};

/** Words for a status code; an unknown code is shown with its underscores as spaces. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status as Status] ?? humanize(status);
}

/** A right (or the general enquiry) in the wording the widget offers it under; an unknown code is humanised. */
export function rightLabel(kind: string): string {
  return Object.hasOwn(REQUEST_KIND_LABELS, kind) ? REQUEST_KIND_LABELS[kind as RequestKind] : humanize(kind);
}

/** The button text for moving a request to `to`. */
export function transitionLabel(to: string): string {
  const verbs: Record<string, string> = {
    in_progress: "Start work",
    completed: "Mark completed",
    denied: "Deny…",
    canceled: "Cancel request",
    pending: "Move back to pending",
    closed_unverified: "Close as unverified",
  };
  return verbs[to] ?? `Move to ${statusLabel(to).toLowerCase()}`;
}

/** "withdraw_consent" -> "Withdraw consent". */
export function humanize(code: string): string {
  const words = code.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A date as a reader in the console's locale expects it, in UTC so that a due date never shifts by a day.
 * @example formatDate("2025-03-01T12:00:00.000Z") // "1 Mar 2025" (en-GB)
 */
export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

/**
 * A note with the ISO timestamps the server writes (an extension's "due 2027-01-03T18:27:03.801Z -> …") as dates.
 * @example datesInWords("due 2027-01-03T18:27:03.801Z -> 2027-03-03T18:27:03.801Z") // "due 3 Jan 2027 → 3 Mar 2027" (en-GB)
 */
export function datesInWords(note: string, locale?: string): string {
  return note.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (iso) => formatDate(iso, locale)).replace(/ -> /g, " → ");
}

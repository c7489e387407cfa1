import { OPEN_STATUSES } from "./types.js";
import type { QueueSummary, RequestView } from "./types.js";

/**
 * The queue's filters, as the console keeps them in its address. `status` "" means the open requests (the default
 * view), "all" any status; the other filters are empty when not set.
 */
export interface RequestFilters {
  status: string;
  site: string;
  right: string;
  overdue: boolean;
  /** Part of a reference or of the requester's e-mail. */
  q?: string | undefined;
  /** 1-based page of the table. */
  page?: number | undefined;
}

export const NO_FILTERS: RequestFilters = { status: "", site: "", right: "", overdue: false };

/** Requests per page of the queue table. */
export const PAGE_SIZE = 25;

/** The status filter that shows every request, open or closed. */
export const ANY_STATUS = "all";

export type SortDirection = "ascending" | "descending";

/**
 * The query string for a filter, without the "?": only the filters that are set, in a fixed order.
 * @example filterQuery({ status: "pending", site: "", right: "erasure", overdue: true }) // "status=pending&right=erasure&overdue=true"
 */
export function filterQuery(filters: RequestFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.site) params.set("site", filters.site);
  if (filters.right) params.set("right", filters.right);
  if (filters.overdue) params.set("overdue", "true");
  if (filters.q) params.set("q", filters.q);
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  return params.toString();
}

/** Reads filters back from a query string (the console keeps them in its address so a view can be shared). */
export function parseFilters(query: string | URLSearchParams): RequestFilters {
  const params = typeof query === "string" ? new URLSearchParams(query.replace(/^\?/, "")) : query;
  const page = Number.parseInt(params.get("page") ?? "", 10);
  return {
    status: params.get("status") ?? "",
    site: params.get("site") ?? "",
    right: params.get("right") ?? "",
    overdue: params.get("overdue") === "true",
    q: params.get("q")?.trim() || undefined,
    page: page > 1 ? page : undefined,
  };
}

/** "Showing 26–50 of 60": which rows of the whole filter a page holds. */
export function pageSummary(page: number, shown: number, total: number): string {
  if (total === 0) return "No requests";
  const first = (page - 1) * PAGE_SIZE + 1;
  if (shown === total) return total === 1 ? "1 request" : `${total} requests`;
  return `Showing ${first}–${first + shown - 1} of ${total} requests`;
}

/** How many pages a filter's total fills. */
export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** The file name a CSV download is saved under, e.g. "requests-pending-2025-03-01.csv". */
export function csvFileName(filters: RequestFilters, now: Date): string {
  const parts = [filters.site, filters.status, filters.right, filters.overdue ? "overdue" : ""].filter(Boolean);
  return `requests-${[...parts, now.toISOString().slice(0, 10)].join("-")}.csv`;
}

/** Requests ordered by due date (ties by reference, so the order is stable); the input is not changed. */
export function sortByDue(requests: readonly RequestView[], direction: SortDirection = "ascending"): RequestView[] {
  const sign = direction === "ascending" ? 1 : -1;
  return [...requests].sort((a, b) => sign * (Date.parse(a.dueAt) - Date.parse(b.dueAt)) || a.reference.localeCompare(b.reference));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days until the due date, counted down: 0 means due within the next 24 hours, negative means overdue. */
export function daysLeft(dueAt: string, now: Date): number {
  return Math.floor((Date.parse(dueAt) - now.getTime()) / DAY_MS);
}

/**
 * How a request stands against its deadline, in words for the queue: "12 days", "Due today", "Overdue by 3 days".
 * Closed requests have no deadline left to show.
 */
export function deadlineText(request: Pick<RequestView, "dueAt" | "overdue" | "status">, now: Date): { text: string; overdue: boolean } {
  if (!isOpen(request)) return { text: "—", overdue: false };
  const days = daysLeft(request.dueAt, now);
  if (request.overdue || days < 0) {
    const late = Math.floor((now.getTime() - Date.parse(request.dueAt)) / DAY_MS);
    return { text: late >= 1 ? `Overdue by ${plural(late, "day")}` : "Overdue", overdue: true };
  }
  return { text: days === 0 ? "Due today" : plural(days, "day"), overdue: false };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export const DAYS_LEFT_BUCKETS = [
  { id: "overdue", label: "Overdue" },
  { id: "week", label: "0–7 days" },
  { id: "fortnight", label: "8–14 days" },
  { id: "month", label: "15–30 days" },
  { id: "later", label: "Over 30 days" },
] as const;
export type DaysLeftBucket = (typeof DAYS_LEFT_BUCKETS)[number]["id"];

/** Which days-left bar a request falls in; the server's overdue flag wins over the local clock. */
export function daysLeftBucket(request: Pick<RequestView, "dueAt" | "overdue">, now: Date): DaysLeftBucket {
  const days = daysLeft(request.dueAt, now);
  if (request.overdue || days < 0) return "overdue";
  if (days <= 7) return "week";
  if (days <= 14) return "fortnight";
  if (days <= 30) return "month";
  return "later";
}

export interface ChartBar {
  id: string;
  label: string;
  count: number;
}

export function isOpen(request: Pick<RequestView, "status">): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(request.status);
}

/** The server's counts of open requests (GET /api/staff/summary) as the two charts' bars, in the server's order. */
export function summaryBars(summary: QueueSummary, labelOf: (status: string) => string): { byStatus: ChartBar[]; byDaysLeft: ChartBar[] } {
  const bucketLabel = new Map<string, string>(DAYS_LEFT_BUCKETS.map(({ id, label }) => [id, label]));
  return {
    byStatus: summary.byStatus.map(({ status, count }) => ({ id: status, label: labelOf(status), count })),
    byDaysLeft: summary.byDaysLeft.map(({ bucket, count }) => ({ id: bucket, label: bucketLabel.get(bucket) ?? bucket, count })),
  };
}

/** One sentence that says what a bar chart shows, for its aria-label. */
export function chartSummary(title: string, bars: readonly ChartBar[]): string {
  return `${title}: ${bars.map((bar) => `${bar.label} ${bar.count}`).join(", ")}.`;
}

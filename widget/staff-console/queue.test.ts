import { describe, expect, it } from "vitest";
import { statusLabel } from "./labels.js";
import {
  NO_FILTERS,
  chartSummary,
  csvFileName,
  daysLeft,
  daysLeftBucket,
  deadlineText,
  filterQuery,
  pageCount,
  pageSummary,
  parseFilters,
  sortByDue,
  summaryBars,
} from "./queue.js";
import type { RequestView, Status } from "./types.js";

const now = new Date("2025-03-01T12:00:00.000Z");
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();

function request(reference: string, status: Status, dueAt: string, overdue = false): RequestView {
  return {
    reference,
    site: "altexsoft",
    right: "access",
    status,
    email: "a@example.test",
    name: null,
    country: null,
    details: null,
    source: "form",
    jurisdiction: "DEFAULT",
    receivedAt: now.toISOString(),
    dueAt,
    verifiedAt: null,
    extended: false,
    extensionReason: null,
    closedAt: null,
    closeReason: null,
    anonymisedAt: null,
    allowedTransitions: [],
    overdue,
  };
}

describe("filters in the query string", () => {
  it("keeps only the set filters, in a fixed order", () => {
    expect(filterQuery({ status: "pending", site: "", right: "erasure", overdue: true })).toBe("status=pending&right=erasure&overdue=true");
    expect(filterQuery(NO_FILTERS)).toBe("");
  });

  it("round-trips through parseFilters, encoding odd characters", () => {
    const filters = { status: "in_progress", site: "a&b c", right: "opt_out_sale", overdue: false };
    expect(parseFilters(filterQuery(filters))).toEqual(filters);
    expect(parseFilters("?overdue=yes")).toEqual(NO_FILTERS);
  });

  it("keeps the search and the page in the address, page 1 left out", () => {
    const filters = { ...NO_FILTERS, q: "PR-7K4M", page: 2 };
    expect(filterQuery(filters)).toBe("q=PR-7K4M&page=2");
    expect(parseFilters(filterQuery(filters))).toEqual(filters);
    expect(filterQuery({ ...NO_FILTERS, page: 1 })).toBe("");
    expect(parseFilters("?page=-4&q=%20%20")).toEqual(NO_FILTERS);
  });

  it("says which rows of how many a page shows", () => {
    expect(pageSummary(1, 0, 0)).toBe("No requests");
    expect(pageSummary(1, 1, 1)).toBe("1 request");
    expect(pageSummary(1, 7, 7)).toBe("7 requests");
    expect(pageSummary(2, 25, 60)).toBe("Showing 26–50 of 60 requests");
    expect(pageSummary(3, 10, 60)).toBe("Showing 51–60 of 60 requests");
    expect([pageCount(0), pageCount(25), pageCount(26)]).toEqual([1, 1, 2]);
  });

  it("names the CSV file after the filter and the day", () => {
    expect(csvFileName({ ...NO_FILTERS, site: "altexsoft", status: "pending" }, now)).toBe("requests-altexsoft-pending-2025-03-01.csv");
    expect(csvFileName(NO_FILTERS, now)).toBe("requests-2025-03-01.csv");
  });
});

describe("sortByDue", () => {
  const list = [request("B", "pending", inDays(3)), request("A", "pending", inDays(3)), request("C", "pending", inDays(-1))];

  it("orders by due date, ties by reference, without changing the input", () => {
    expect(sortByDue(list).map((r) => r.reference)).toEqual(["C", "A", "B"]);
    expect(sortByDue(list, "descending").map((r) => r.reference)).toEqual(["A", "B", "C"]);
    expect(list.map((r) => r.reference)).toEqual(["B", "A", "C"]);
  });
});

describe("days left", () => {
  it("counts whole days down, negative once past due", () => {
    expect(daysLeft(inDays(30), now)).toBe(30);
    expect(daysLeft(inDays(0.5), now)).toBe(0);
    expect(daysLeft(inDays(-0.1), now)).toBe(-1);
  });

  it("puts each request in one bucket at the edges", () => {
    const bucket = (days: number, overdue = false) => daysLeftBucket({ dueAt: inDays(days), overdue }, now);
    expect([bucket(-0.01), bucket(0), bucket(7.9), bucket(8), bucket(14.9), bucket(15), bucket(30.9), bucket(31)]).toEqual([
      "overdue",
      "week",
      "week",
      "fortnight",
      "fortnight",
      "month",
      "month",
      "later",
    ]);
    expect(bucket(10, true)).toBe("overdue");
  });
});

describe("deadlineText", () => {
  const text = (days: number, status: Status = "pending", overdue = false) => deadlineText({ dueAt: inDays(days), overdue, status }, now);

  it("says how many days are left, or how late, in words", () => {
    expect(text(12.5)).toEqual({ text: "12 days", overdue: false });
    expect(text(1.2)).toEqual({ text: "1 day", overdue: false });
    expect(text(0.3)).toEqual({ text: "Due today", overdue: false });
    expect(text(-0.3)).toEqual({ text: "Overdue", overdue: true });
    expect(text(-1.5)).toEqual({ text: "Overdue by 1 day", overdue: true });
    expect(text(-10.0001)).toEqual({ text: "Overdue by 10 days", overdue: true });
    expect(text(5, "in_progress", true)).toEqual({ text: "Overdue", overdue: true });
  });

  it("shows no deadline for a closed request", () => {
    expect(text(-5, "completed")).toEqual({ text: "—", overdue: false });
  });
});

describe("chart data", () => {
  // The server counts (GET /api/staff/summary, tested in server/routes/staff-requests.test.ts); the console names the bars.
  const summary = {
    byStatus: [
      { status: "identity_unverified" as const, count: 1 },
      { status: "pending" as const, count: 2 },
      { status: "in_progress" as const, count: 1 },
    ],
    byDaysLeft: [
      { bucket: "overdue" as const, count: 1 },
      { bucket: "week" as const, count: 1 },
      { bucket: "fortnight" as const, count: 0 },
      { bucket: "month" as const, count: 1 },
      { bucket: "later" as const, count: 1 },
    ],
  };

  it("names the server's counts, in the server's order", () => {
    const { byStatus, byDaysLeft } = summaryBars(summary, statusLabel);
    expect(byStatus).toEqual([
      { id: "identity_unverified", label: "Awaiting verification", count: 1 },
      { id: "pending", label: "Pending", count: 2 },
      { id: "in_progress", label: "In progress", count: 1 },
    ]);
    expect(byDaysLeft.map((bar) => [bar.label, bar.count])).toEqual([
      ["Overdue", 1],
      ["0–7 days", 1],
      ["8–14 days", 0],
      ["15–30 days", 1],
      ["Over 30 days", 1],
    ]);
  });

  it("summarises a chart in one sentence", () => {
    expect(chartSummary("Open requests by status", summaryBars(summary, statusLabel).byStatus)).toBe(
      "Open requests by status: Awaiting verification 1, Pending 2, In progress 1.",
    );
  });
});

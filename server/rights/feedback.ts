import type { FeedbackRequest } from "../contract/schemas.js";
import type { Queryable } from "./db.js";

/** Thumbs up or down on answers, stored with the passages cited and nothing about who gave it. */
export class FeedbackStore {
  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores one verdict; returns its id. */
  async record(feedback: Required<Pick<FeedbackRequest, "site" | "verdict" | "kind" | "citations">>): Promise<number> {
    const [row] = await this.db.query<{ id: number }>(
      "INSERT INTO feedback (site, verdict, kind, citations, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [feedback.site, feedback.verdict, feedback.kind, JSON.stringify(feedback.citations), this.now()],
    );
    return row!.id;
  }
}

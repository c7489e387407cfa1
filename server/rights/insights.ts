import type { AskKind } from "../contract/constants.js";
import type { Insights } from "../contract/schemas.js";
import type { Queryable } from "./db.js";

export interface InsightsOptions {
  /** Keep the visitor's question text (INSIGHTS_KEEP_QUESTIONS); off by default. */
  keepQuestions: boolean;
  /** Days a kept question lives before it is blanked (INSIGHTS_QUESTION_DAYS). */
  keepDays: number;
}

/** One question as insights keep it: its site, ISO week, outcome and topic; its words only when the operator opted in. */
export interface AskedQuestion {
  site: string;
  kind: AskKind;
  /** The language layer's topic for the question when it was sure of one. */
  topic: string | null;
  question: string;
}

const OUTCOME_COLUMNS = {
  answer: "answered",
  no_answer: "refused",
  rights_request: "handedOff",
} as const satisfies Record<AskKind, string>;

/** The Monday (UTC) of a date's ISO week, as "YYYY-MM-DD": the one time stamp a question keeps. */
export function weekOf(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day)).toISOString().slice(0, 10);
}

/** SQL for the Monday of a timestamp column's ISO week, as weekOf writes it. */
const weekSql = (column: string) => `to_char(date_trunc('week', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;

const BATCH_MS = 1000;
const BATCH_SIZE = 200;

interface QuestionBatch {
  rows: unknown[][];
  /** Starts the INSERT. */
  write: () => void;
  written: Promise<void>;
  timer: NodeJS.Timeout;
}

/**
 * What staff can learn from the chat without watching anyone: per site and week, how many questions were asked,
 * answered, refused and handed off, by topic, and the thumbs given; the thumbs-down answers with the passages they
 * cited. A question keeps no time finer than its week and no words unless the operator opted in, and then only for
 * `keepDays`.
 */
export class InsightsStore {
  /** The questions waiting for the next write, each as its row of `question_events`. */
  private batch: QuestionBatch | undefined;
  /** Batches being written; a report waits for them too (on PostgreSQL they may be on another connection). */
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly db: Queryable,
    readonly options: InsightsOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Counts a question. Questions are written in batches, one INSERT per second (or per 200 questions) rather than
   * one per question, which keeps the database off the busy ask path; resolves when the question's batch is written.
   */
  record({ site, kind, topic, question }: AskedQuestion): Promise<void> {
    const now = this.now();
    const keep = this.options.keepQuestions;
    this.batch ??= this.startBatch();
    const batch = this.batch;
    batch.rows.push([
      site,
      weekOf(now),
      kind,
      topic,
      keep ? question : null,
      keep ? new Date(now.getTime() + this.options.keepDays * 86_400_000) : null,
    ]);
    if (batch.rows.length >= BATCH_SIZE) this.writeBatch();
    return batch.written;
  }

  /** Writes the waiting questions now and resolves when every batch begun is written (before a report, at shutdown). */
  flush(): Promise<void> {
    this.writeBatch();
    return Promise.all([...this.writing]).then(() => {});
  }

  /** Starts writing the waiting batch; its outcome reaches whoever recorded into it. */
  private writeBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    clearTimeout(batch.timer);
    batch.write();
  }

  private startBatch(): QuestionBatch {
    let write = () => {};
    const due = new Promise<void>((resolve) => {
      write = resolve;
    });
    const rows: unknown[][] = [];
    const timer = setTimeout(() => this.writeBatch(), BATCH_MS);
    timer.unref();
    const written = due.then(() =>
      this.db
        .query(
          `INSERT INTO question_events (site, week, outcome, topic, question, forget_at) VALUES ${rows
            .map((_, row) => `(${[1, 2, 3, 4, 5, 6].map((column) => `$${row * 6 + column}`).join(", ")})`)
            .join(", ")}`,
          rows.flat(),
        )
        .then(() => {}),
    );
    this.writing.add(written);
    // Its failure reaches whoever recorded into it; here it only leaves the set.
    written.then(
      () => this.writing.delete(written),
      () => this.writing.delete(written),
    );
    return { rows, write, written, timer };
  }

  /** Blanks kept questions whose time is up; returns how many. */
  async forgetExpired(): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      "UPDATE question_events SET question = NULL, forget_at = NULL WHERE forget_at <= $1 RETURNING id",
      [this.now()],
    );
    return rows.length;
  }

  /** A site's last `weeks` weeks, newest first; `labelOf` names a topic id. */
  async report(site: string, weeks: number, labelOf: (topic: string) => string): Promise<Insights> {
    // A batch that failed to write was logged by the ask route; the report shows what is stored.
    await this.flush().catch(() => {});
    await this.forgetExpired();
    const since = weekOf(new Date(this.now().getTime() - (weeks - 1) * 7 * 86_400_000));
    const questions = await this.db.query<{ week: string; outcome: AskKind; topic: string | null; count: string | number }>(
      `SELECT week, outcome, topic, count(*) AS count FROM question_events WHERE site = $1 AND week >= $2
       GROUP BY week, outcome, topic`,
      [site, since],
    );
    const enquiries = await this.db.query<{ week: string; count: string | number }>(
      `SELECT ${weekSql("received_at")} AS week, count(*) AS count FROM requests
       WHERE site = $1 AND right_kind = 'enquiry' AND received_at >= $2 GROUP BY 1`,
      [site, `${since}T00:00:00Z`],
    );
    const thumbs = await this.db.query<{ week: string; verdict: string; count: string | number }>(
      `SELECT ${weekSql("created_at")} AS week, verdict, count(*) AS count FROM feedback
       WHERE site = $1 AND created_at >= $2 GROUP BY 1, 2`,
      [site, `${since}T00:00:00Z`],
    );
    const down = await this.db.query<{ week: string; kind: string; citations: string }>(
      `SELECT ${weekSql("created_at")} AS week, kind, citations FROM feedback
       WHERE site = $1 AND verdict = 'down' AND created_at >= $2 ORDER BY id DESC LIMIT 50`,
      [site, `${since}T00:00:00Z`],
    );
    const kept = this.options.keepQuestions
      ? await this.db.query<{ week: string; outcome: AskKind; topic: string | null; question: string }>(
          `SELECT week, outcome, topic, question FROM question_events
           WHERE site = $1 AND week >= $2 AND question IS NOT NULL ORDER BY id DESC LIMIT 200`,
          [site, since],
        )
      : [];

    const byWeek = new Map<string, Insights["weeks"][number]>();
    const weekRow = (week: string) => {
      let row = byWeek.get(week);
      if (!row) {
        row = { week, asked: 0, answered: 0, refused: 0, handedOff: 0, thumbsUp: 0, thumbsDown: 0 };
        byWeek.set(week, row);
      }
      return row;
    };
    const byTopic = new Map<string, Insights["topics"][number]>();
    for (const { week, outcome, topic, count } of questions) {
      const n = Number(count);
      const row = weekRow(week);
      row.asked += n;
      row[OUTCOME_COLUMNS[outcome]] += n;
      const key = topic ?? "";
      let t = byTopic.get(key);
      if (!t) {
        t = { topic, label: topic ? labelOf(topic) : "No clear topic", asked: 0, answered: 0, refused: 0, handedOff: 0 };
        byTopic.set(key, t);
      }
      t.asked += n;
      t[OUTCOME_COLUMNS[outcome]] += n;
    }
    for (const { week, count } of enquiries) weekRow(week).handedOff += Number(count);
    for (const { week, verdict, count } of thumbs) weekRow(week)[verdict === "up" ? "thumbsUp" : "thumbsDown"] += Number(count);
    const topics = [...byTopic.values()].sort((a, b) => b.asked - a.asked || a.label.localeCompare(b.label));
    return {
      site,
      since,
      groupedBy: topics.some((t) => t.topic !== null) ? "topic" : "outcome",
      keepsQuestions: this.options.keepQuestions,
      keepDays: this.options.keepQuestions ? this.options.keepDays : 0,
      weeks: [...byWeek.values()].sort((a, b) => b.week.localeCompare(a.week)),
      topics,
      thumbsDown: down.map((row) => ({ week: row.week, kind: row.kind, citations: citedPassages(row.citations) })),
      questions: kept.map((row) => ({ week: row.week, outcome: row.outcome, topic: row.topic, question: row.question })),
    };
  }
}

/** The stored citations, each with the passage it pointed at: its own text, or the words its text fragment names. */
function citedPassages(stored: string): Insights["thumbsDown"][number]["citations"] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.map((item: { title?: unknown; section?: unknown; url?: unknown; text?: unknown }) => {
    const url = typeof item.url === "string" ? item.url : "";
    const text = typeof item.text === "string" && item.text ? item.text : fragmentText(url);
    return { title: String(item.title ?? ""), section: String(item.section ?? ""), url, passage: text };
  });
}

/** "#:~:text=The%20right,forgotten" -> "The right … forgotten". */
function fragmentText(url: string): string {
  const fragment = url.split("#:~:text=")[1];
  if (!fragment) return "";
  try {
    return fragment
      .split("&")[0]!
      .split(",")
      .map((part) => decodeURIComponent(part))
      .join(" … ");
  } catch {
    return "";
  }
}

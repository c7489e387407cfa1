import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { webHref } from "../../server/contract/html.js";
import type { Insights } from "../../server/contract/index.js";
import { formatDate } from "./labels.js";
import { routeHash } from "./route.js";
import { themeStyles } from "./theme.styles.js";
import { StaffView } from "./view.js";

const OUTCOMES = { answer: "Answered", no_answer: "Not in the policy", rights_request: "Handed off" } as const;

/**
 * Insights: for one site, per week, how many questions visitors asked and how they went (answered, not in the policy,
 * handed to a person), the thumbs they gave, the same counts by topic, and the thumbs-down answers with the passages
 * they cited, for review. Nothing here names a visitor; question text appears only when the operator keeps it.
 */
export class StaffInsights extends StaffView {
  static override properties = { ...StaffView.properties, site: {} };
  declare site: string;

  static override styles = [
    themeStyles,
    css`
      section {
        margin-bottom: 1.75rem;
      }
      h3 {
        margin: 0 0 0.5rem;
      }
      td.n,
      th.n {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .privacy {
        border-left: 4px solid var(--staff-accent);
        padding: 0.25rem 0.75rem;
        background: var(--staff-surface);
      }
      ol.reviews {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.75rem;
      }
      ol.reviews > li {
        border: 1px solid var(--staff-border);
        border-radius: 8px;
        padding: 0.75rem 1rem;
      }
      ol.reviews > li > p:first-child {
        margin-top: 0;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        padding: 0.25rem 0;
      }
      blockquote {
        margin: 0.25rem 0 0.5rem;
        padding-left: 0.75rem;
        border-left: 3px solid var(--staff-border);
      }
      /* Under 600 px each week or topic is a card of label and number, so no column hides off to the right. */
      @media (max-width: 600px) {
        table.counts thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
        }
        table.counts tr {
          display: block;
          margin-bottom: 0.75rem;
          border: 1px solid var(--staff-border);
          border-radius: 8px;
          padding: 0.25rem 0.75rem;
        }
        table.counts th[scope="row"] {
          display: block;
          border: 0;
          padding: 0.25rem 0;
        }
        table.counts td {
          display: flex;
          justify-content: space-between;
          border: 0;
          padding: 0.15rem 0;
        }
        table.counts td::before {
          content: attr(data-label);
        }
      }
    `,
  ];

  constructor() {
    super();
    this.site = "";
  }

  #insights = new Task(this, {
    task: async ([api, site], { signal }) => (api && site ? await api.insights(site, signal) : undefined),
    args: () => [this.api, this.site || this.sites[0]?.site || ""] as const,
  });

  override render() {
    const current = this.site || this.sites[0]?.site || "";
    return html`
      <h2 tabindex="-1">Insights</h2>
      <p class="muted">What visitors asked the assistant and how it went, week by week.</p>
      <label for="insights-site">Site</label>
      <select id="insights-site" @change=${(event: Event) => this.#choose((event.target as HTMLSelectElement).value)}>
        ${this.sites.map((s) => html`<option value=${s.site} ?selected=${s.site === current}>${s.organization || s.title}</option>`)}
      </select>
      ${this.#insights.render({
        pending: () => html`<p class="muted" aria-busy="true">Loading…</p>`,
        error: (error) => html`<p class="error" role="alert">Could not load the insights: ${this.errorText(error)}</p>`,
        complete: (insights) => (insights ? this.#report(insights) : nothing),
      })}
    `;
  }

  #report(insights: Insights) {
    return html`
      <p class="privacy">
        ${
          insights.keepsQuestions
            ? `Question text is kept for ${insights.keepDays} days (INSIGHTS_KEEP_QUESTIONS), then erased.`
            : "No question text is stored: only the week, the outcome and the topic of each question."
        }
      </p>
      ${this.#weeks(insights)} ${this.#topics(insights)} ${this.#reviews(insights)} ${this.#questions(insights)}
    `;
  }

  #weeks(insights: Insights) {
    return html`
      <section aria-labelledby="weeks">
        <h3 id="weeks">By week</h3>
        ${
          insights.weeks.length === 0
            ? html`<p>No questions since ${formatDate(insights.since)}.</p>`
            : html`
              <div class="table-wrap" role="region" aria-labelledby="weeks" tabindex="0">
                <table class="counts">
                  <thead>
                    <tr>
                      <th scope="col">Week of</th>
                      <th scope="col" class="n">Asked</th>
                      <th scope="col" class="n">Answered</th>
                      <th scope="col" class="n">Not in the policy</th>
                      <th scope="col" class="n">Handed off</th>
                      <th scope="col" class="n">Thumbs up</th>
                      <th scope="col" class="n">Thumbs down</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${insights.weeks.map(
                      (w) => html`<tr>
                        <th scope="row">${formatDate(w.week)}</th>
                        <td class="n" data-label="Asked">${w.asked}</td>
                        <td class="n" data-label="Answered">${w.answered}</td>
                        <td class="n" data-label="Not in the policy">${w.refused}</td>
                        <td class="n" data-label="Handed off">${w.handedOff}</td>
                        <td class="n" data-label="Thumbs up">${w.thumbsUp}</td>
                        <td class="n" data-label="Thumbs down">${w.thumbsDown}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            `
        }
      </section>
    `;
  }

  #topics(insights: Insights) {
    if (insights.topics.length === 0) return nothing;
    const heading = insights.groupedBy === "topic" ? "By topic" : "By outcome (no topics known)";
    return html`
      <section aria-labelledby="topics">
        <h3 id="topics">${heading}</h3>
        <div class="table-wrap" role="region" aria-labelledby="topics" tabindex="0">
          <table class="counts">
            <thead>
              <tr>
                <th scope="col">${insights.groupedBy === "topic" ? "Topic" : "Questions"}</th>
                <th scope="col" class="n">Asked</th>
                <th scope="col" class="n">Answered</th>
                <th scope="col" class="n">Not in the policy</th>
                <th scope="col" class="n">Handed off</th>
              </tr>
            </thead>
            <tbody>
              ${insights.topics.map(
                (t) => html`<tr>
                  <th scope="row">${t.label}</th>
                  <td class="n" data-label="Asked">${t.asked}</td>
                  <td class="n" data-label="Answered">${t.answered}</td>
                  <td class="n" data-label="Not in the policy">${t.refused}</td>
                  <td class="n" data-label="Handed off">${t.handedOff}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
    `;
  }

  #reviews(insights: Insights) {
    return html`
      <section aria-labelledby="reviews">
        <h3 id="reviews">Thumbs down, to review (${insights.thumbsDown.length})</h3>
        ${
          insights.thumbsDown.length === 0
            ? html`<p>No answer got a thumbs down in these weeks.</p>`
            : html`<ol class="reviews">
              ${insights.thumbsDown.map(
                (review) => html`<li>
                  <p class="muted">Week of ${formatDate(review.week)} · ${OUTCOMES[review.kind as keyof typeof OUTCOMES] ?? review.kind}</p>
                  ${
                    review.citations.length === 0
                      ? html`<p>The answer cited no passage.</p>`
                      : html`
                        ${this.#citation(review.citations[0]!)}
                        ${
                          review.citations.length > 1
                            ? html`<details>
                              <summary>${review.citations.length - 1} more cited ${review.citations.length === 2 ? "passage" : "passages"}</summary>
                              ${review.citations.slice(1).map((citation) => this.#citation(citation))}
                            </details>`
                            : nothing
                        }
                      `
                  }
                </li>`,
              )}
            </ol>`
        }
      </section>
    `;
  }

  #citation(citation: Insights["thumbsDown"][number]["citations"][number]) {
    return html`
      <p><a href=${webHref(citation.url) ?? nothing} rel="noreferrer noopener" target="_blank">${citation.title} — ${citation.section}</a></p>
      ${citation.passage ? html`<blockquote>${citation.passage}</blockquote>` : nothing}
    `;
  }

  #questions(insights: Insights) {
    if (!insights.keepsQuestions) return nothing;
    return html`
      <section aria-labelledby="questions">
        <h3 id="questions">Questions kept (${insights.questions.length})</h3>
        <ul>
          ${insights.questions.map(
            (q) => html`<li>${q.question} <span class="muted">(${OUTCOMES[q.outcome]}, week of ${formatDate(q.week)})</span></li>`,
          )}
        </ul>
      </section>
    `;
  }

  #choose(site: string) {
    window.location.hash = routeHash({ view: "insights", site });
  }
}

/** Only http(s) links are followed; anything else stays text-safe as "#". */
customElements.define("staff-insights", StaffInsights);

declare global {
  interface HTMLElementTagNameMap {
    "staff-insights": StaffInsights;
  }
}

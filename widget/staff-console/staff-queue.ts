import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { formatDate, rightLabel, statusLabel } from "./labels.js";
import { ANY_STATUS, NO_FILTERS, PAGE_SIZE, deadlineText, pageCount, pageSummary, summaryBars } from "./queue.js";
import type { RequestFilters, SortDirection } from "./queue.js";
import { routeHash } from "./route.js";
import { themeStyles } from "./theme.styles.js";
import { REQUEST_KINDS, STATUSES } from "./types.js";
import type { RequestView } from "./types.js";
import { StaffView } from "./view.js";
import "./staff-chart.js";

/**
 * The request queue: open requests by default, filters and a search by reference or e-mail kept in the address, a
 * table paged and sorted by due date on the server with overdue requests marked, the CSV export of the same filter,
 * and charts of the open requests.
 */
export class StaffQueue extends StaffView {
  static override properties = {
    ...StaffView.properties,
    filters: { attribute: false },
    _direction: { state: true },
    _exportError: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
        align-items: stretch;
        gap: 1rem;
        margin-bottom: 1.5rem;
      }
      /* Under 600 px each request is a card: label and value side by side, nothing cut off to the right. */
      @media (max-width: 600px) {
        .queue thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
        }
        .queue tr {
          display: block;
          margin-bottom: 0.75rem;
          border: 1px solid var(--staff-border);
          border-radius: 8px;
          padding: 0.25rem 0.75rem;
        }
        .queue td {
          display: grid;
          grid-template-columns: 7rem 1fr;
          gap: 0.5rem;
          border: 0;
          padding: 0.25rem 0;
        }
        .queue td::before {
          content: attr(data-label);
          font-weight: 600;
        }
        .queue td > * {
          justify-self: start;
        }
      }
      fieldset {
        border: 1px solid var(--staff-border);
        border-radius: 8px;
        padding: 0.75rem 1rem 1rem;
        margin: 0 0 1rem;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .check {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        min-height: 2.5rem;
        font-weight: 600;
      }
      .check input {
        width: 1.25rem;
        height: 1.25rem;
        margin: 0;
      }
      .filters {
        display: grid;
        grid-template-columns: minmax(14rem, 2fr) repeat(3, minmax(9rem, 1fr)) auto;
        gap: 0.75rem 1rem;
        align-items: end;
      }
      .filters select,
      .filters input[type="search"] {
        width: 100%;
      }
      .filters .check {
        white-space: nowrap;
      }
      .search-row {
        display: flex;
        gap: 0.5rem;
      }
      .search-row input {
        flex: 1;
        min-width: 0;
      }
      @media (max-width: 900px) {
        .filters {
          grid-template-columns: 1fr 1fr;
        }
        .filters .search {
          grid-column: 1 / -1;
        }
      }
      @media (max-width: 600px) {
        .filters {
          grid-template-columns: 1fr;
        }
      }
      .pager {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        margin-top: 1rem;
      }
      .pager a {
        font-weight: 600;
        padding: 0.4rem 0;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
        justify-content: space-between;
        margin-bottom: 0.5rem;
      }
      th button {
        border: none;
        background: none;
        padding: 0;
        min-height: 0;
        color: inherit;
        font-weight: 600;
        text-decoration: underline;
      }
      tr.is-overdue td:first-child {
        box-shadow: inset 4px 0 0 var(--staff-danger);
      }
      td a {
        font-weight: 600;
        white-space: nowrap;
      }
      td.date {
        white-space: nowrap;
      }
    `,
  ];

  declare filters: RequestFilters;
  declare _direction: SortDirection;
  declare _exportError: string;

  constructor() {
    super();
    this.filters = { ...NO_FILTERS };
    this._direction = "ascending";
    this._exportError = "";
  }

  #list = new Task(this, {
    task: async ([api, filters, direction], { signal }): Promise<{ requests: RequestView[]; total: number }> =>
      api ? await api.requests(filters, signal, { pageSize: PAGE_SIZE, direction }) : { requests: [], total: 0 },
    args: () => [this.api, this.filters, this._direction] as const,
  });

  /** The charts count every open request on the server, whatever the table's filter. */
  #summary = new Task(this, {
    task: async ([api], { signal }) => (api ? await api.summary(signal) : undefined),
    args: () => [this.api] as const,
  });

  override render() {
    return html`
      <h2 tabindex="-1">Requests</h2>
      ${this.#charts()} ${this.#filterForm()}
      ${this.#list.render({
        pending: () => html`<p class="muted" aria-busy="true">Loading requests…</p>`,
        error: (error) => html`<p class="error" role="alert">Could not load requests: ${this.errorText(error)}</p>`,
        complete: ({ requests, total }) => this.#table(requests, total),
      })}
    `;
  }

  #charts() {
    return this.#summary.render({
      complete: (summary) => {
        if (!summary) return nothing;
        const { byStatus, byDaysLeft } = summaryBars(summary, statusLabel);
        return html`
          <section class="charts" aria-label="Open requests at a glance">
            <staff-chart heading="Open requests by status" .bars=${byStatus}></staff-chart>
            <staff-chart heading="Open requests by days left" .bars=${byDaysLeft} .alertIds=${["overdue"]}></staff-chart>
          </section>
        `;
      },
    });
  }

  #filterForm() {
    const f = this.filters;
    const option = (value: string, label: string, current: string) =>
      html`<option value=${value} ?selected=${value === current}>${label}</option>`;
    return html`
      <form @change=${this.#applyFilters} @submit=${this.#applyFilters}>
        <fieldset>
          <legend>Filter</legend>
          <div class="filters">
            <div class="search">
              <label for="q">Reference or e-mail</label>
              <div class="search-row">
                <input id="q" name="q" type="search" autocomplete="off" spellcheck="false" .value=${f.q ?? ""} />
                <button type="submit">Search</button>
              </div>
            </div>
            <div>
              <label for="status">Status</label>
              <select id="status" name="status">
                ${option("", "Open requests", f.status)} ${option(ANY_STATUS, "Any status", f.status)}
                ${STATUSES.map((s) => option(s, statusLabel(s), f.status))}
              </select>
            </div>
            <div>
              <label for="site">Site</label>
              <select id="site" name="site">
                ${option("", "Any site", f.site)} ${this.sites.map((s) => option(s.site, s.organization || s.site, f.site))}
                ${f.site && !this.sites.some((s) => s.site === f.site) ? option(f.site, f.site, f.site) : nothing}
              </select>
            </div>
            <div>
              <label for="right">Right</label>
              <select id="right" name="right">
                ${option("", "Any right", f.right)} ${REQUEST_KINDS.map((r) => option(r, rightLabel(r), f.right))}
              </select>
            </div>
            <label class="check"><input type="checkbox" name="overdue" ?checked=${f.overdue} /> Overdue only</label>
          </div>
        </fieldset>
      </form>
    `;
  }

  #table(requests: RequestView[], total: number) {
    const now = new Date();
    const nextDirection = this._direction === "ascending" ? "descending" : "ascending";
    const page = this.filters.page ?? 1;
    return html`
      <div class="toolbar">
        <p id="queue-count" aria-live="polite">${pageSummary(page, requests.length, total)}</p>
        <div class="export">
          <button type="button" ?disabled=${total === 0} @click=${this.#exportCsv}>Export CSV</button>
          ${this._exportError ? html`<span class="error" role="alert">${this._exportError}</span>` : nothing}
        </div>
      </div>
      ${
        requests.length === 0
          ? html`<p>${total === 0 ? "No request matches this filter." : "This page is past the last request."}</p>`
          : html`
            <div class="table-wrap" role="region" aria-label="Request table" tabindex="0">
              <table class="queue" aria-describedby="queue-count">
                <caption class="visually-hidden">Requests, sorted by due date (${this._direction})</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Site</th>
                    <th scope="col">Right</th>
                    <th scope="col">Status</th>
                    <th scope="col">Received</th>
                    <th scope="col" aria-sort=${this._direction}>
                      <button type="button" @click=${() => (this._direction = nextDirection)}>
                        Due date <span aria-hidden="true">${this._direction === "ascending" ? "▲" : "▼"}</span
                        ><span class="visually-hidden">, sort ${nextDirection}</span>
                      </button>
                    </th>
                    <th scope="col">Days left</th>
                  </tr>
                </thead>
                <tbody>
                  ${requests.map((request) => this.#row(request, now))}
                </tbody>
              </table>
            </div>
          `
      }
      ${this.#pager(page, total)}
    `;
  }

  #pager(page: number, total: number) {
    const pages = pageCount(total);
    if (pages <= 1 && page <= 1) return nothing;
    const to = (target: number) => routeHash({ view: "requests", filters: { ...this.filters, page: target } });
    return html`
      <nav class="pager" aria-label="Pages of requests">
        ${page > 1 ? html`<a href=${to(Math.min(page - 1, pages))} rel="prev">← Previous</a>` : html`<span></span>`}
        <span>Page ${page} of ${pages}</span>
        ${page < pages ? html`<a href=${to(page + 1)} rel="next">Next →</a>` : html`<span></span>`}
      </nav>
    `;
  }

  #row(request: RequestView, now: Date) {
    const { text, overdue } = deadlineText(request, now);
    return html`
      <tr class=${overdue ? "is-overdue" : ""}>
        <td data-label="Reference"><a href=${routeHash({ view: "request", reference: request.reference })}>${request.reference}</a></td>
        <td data-label="Site">${this.sites.find((s) => s.site === request.site)?.organization || request.site}</td>
        <td data-label="Right">${rightLabel(request.right)}</td>
        <td data-label="Status"><span class="badge" data-status=${request.status}>${statusLabel(request.status)}</span></td>
        <td class="date" data-label="Received">${formatDate(request.receivedAt)}</td>
        <td class="date" data-label="Due"><span>${formatDate(request.dueAt)}${request.extended ? html` <span class="muted">(extended)</span>` : nothing}</span></td>
        <td data-label="Days left">
          ${overdue ? html`<span class="overdue"><span aria-hidden="true">⚠ </span>${text}</span>` : text}
        </td>
      </tr>
    `;
  }

  #applyFilters(event: Event) {
    event.preventDefault();
    const form = new FormData(this.renderRoot.querySelector("form") ?? undefined);
    const filters: RequestFilters = {
      status: form.get("status")?.toString() ?? "",
      site: form.get("site")?.toString() ?? "",
      right: form.get("right")?.toString() ?? "",
      overdue: form.get("overdue") !== null,
      q: form.get("q")?.toString().trim() || undefined,
    };
    location.hash = routeHash({ view: "requests", filters });
  }

  async #exportCsv() {
    if (!this.api) return;
    this._exportError = "";
    try {
      const { blob, fileName } = await this.api.csv(this.filters);
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      link.hidden = true;
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.announce(`Downloading ${fileName}.`);
    } catch (error) {
      this._exportError = `Export failed: ${this.errorText(error)}`;
    }
  }
}

customElements.define("staff-queue", StaffQueue);

declare global {
  interface HTMLElementTagNameMap {
    "staff-queue": StaffQueue;
  }
}

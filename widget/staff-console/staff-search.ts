import { Task } from "@lit/task";
import { MAX_QUESTION_LENGTH } from "../../server/contract/constants.js";
import { webHref } from "../../server/contract/html.js";
import { css, html, nothing } from "lit";
import { highlightSegments } from "./highlight.js";
import { routeHash } from "./route.js";
import { themeStyles } from "./theme.styles.js";
import { StaffView } from "./view.js";

/**
 * Policy search: a query and a site, answered with ranked passages whose matching words are marked.
 * The query lives in the address, so a search can be bookmarked and the back button returns to it.
 */
export class StaffSearch extends StaffView {
  static override properties = {
    ...StaffView.properties,
    q: {},
    site: {},
  };

  static override styles = [
    themeStyles,
    css`
      form .query {
        flex: 1 1 18rem;
      }
      form .query input {
        width: 100%;
      }
      ol {
        padding-left: 1.5rem;
      }
      li {
        margin-bottom: 1.25rem;
      }
      li h3 {
        margin: 0 0 0.25rem;
        font-size: 1rem;
      }
      blockquote {
        margin: 0.25rem 0 0;
        padding: 0.5rem 0.75rem;
        border-left: 4px solid var(--staff-border);
        background: var(--staff-surface);
        white-space: pre-line;
      }
      mark {
        background: var(--staff-mark-bg);
        color: var(--staff-mark-text);
        font-weight: 600;
        padding: 0 0.1em;
        border-radius: 2px;
      }
      .score {
        font-size: 0.875rem;
      }
    `,
  ];

  declare q: string;
  declare site: string;

  constructor() {
    super();
    this.q = "";
    this.site = "";
  }

  #search = new Task(this, {
    task: async ([api, q, site], { signal }) => {
      if (!api || !q || !site) return undefined;
      const reply = await api.search(q, site, 10, signal);
      this.announce(`${reply.results.length} passages found.`);
      return reply;
    },
    args: () => [this.api, this.q, this.#effectiveSite] as const,
  });

  /** The site in the address, else the first known site, so the form is ready to use. */
  get #effectiveSite(): string {
    return this.site || this.sites[0]?.site || "";
  }

  override render() {
    return html`
      <h2 tabindex="-1">Policy search</h2>
      <form class="row" role="search" @submit=${this.#submit}>
        <div class="query">
          <label for="q">Words to find</label>
          <input id="q" name="q" type="search" .value=${this.q} required maxlength=${MAX_QUESTION_LENGTH} autocomplete="off" />
        </div>
        <div>
          <label for="site">Site</label>
          ${
            this.sites.length > 0
              ? html`<select id="site" name="site" required>
                ${this.sites.map(
                  (s) => html`<option value=${s.site} ?selected=${s.site === this.#effectiveSite}>${s.organization || s.site}</option>`,
                )}
              </select>`
              : html`<input id="site" name="site" type="text" .value=${this.site} required autocomplete="off" />`
          }
        </div>
        <button class="primary" type="submit">Search</button>
      </form>
      ${this.#search.render({
        initial: () => html`<p class="muted">Search a site's policies; the passages that match best come first.</p>`,
        pending: () => html`<p class="muted" aria-busy="true">Searching…</p>`,
        error: (error) => html`<p class="error" role="alert">Search failed: ${this.errorText(error)}</p>`,
        complete: (reply) => {
          if (!reply) return html`<p class="muted">Search a site's policies; the passages that match best come first.</p>`;
          if (reply.results.length === 0) return html`<p>No passage matches “${reply.query}”.</p>`;
          return html`
            <h3 id="results-heading">${reply.results.length} passages for “${reply.query}”</h3>
            <ol aria-labelledby="results-heading">
              ${reply.results.map(
                (citation) => html`
                  <li>
                    <h3>
                      <a href=${webHref(citation.url) ?? nothing} target="_blank" rel="noopener noreferrer" referrerpolicy="no-referrer"
                        >${citation.title}${citation.section ? html` — ${citation.section}` : ""}</a
                      >
                    </h3>
                    <span class="score muted">score ${citation.score.toFixed(2)}</span>
                    <blockquote>${highlightSegments(citation.text, reply.query).map((segment) =>
                      segment.match ? html`<mark>${segment.text}</mark>` : segment.text,
                    )}</blockquote>
                  </li>
                `,
              )}
            </ol>
          `;
        },
      })}
    `;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const q = form.get("q")?.toString().trim() ?? "";
    const site = form.get("site")?.toString() ?? "";
    if (!q) return;
    const hash = routeHash({ view: "search", q, site });
    if (location.hash === hash) void this.#search.run();
    else location.hash = hash;
  }
}

customElements.define("staff-search", StaffSearch);

declare global {
  interface HTMLElementTagNameMap {
    "staff-search": StaffSearch;
  }
}

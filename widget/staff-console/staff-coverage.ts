import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { webHref } from "../../server/contract/html.js";
import { routeHash } from "./route.js";
import { themeStyles } from "./theme.styles.js";
import { StaffView } from "./view.js";

/**
 * Policy coverage: for one site, the privacy topics visitors commonly ask about that its policy does not address
 * (no passage carries them), the topics it does address, and passages that carry no topic. A company fixes its
 * policy here before visitors hit the gap.
 */
export class StaffCoverage extends StaffView {
  static override properties = { ...StaffView.properties, site: {} };
  declare site: string;

  static override styles = [
    themeStyles,
    css`
      section {
        border: 1px solid var(--staff-border);
        border-radius: 8px;
        padding: 0.75rem 1rem;
        margin-bottom: 1rem;
      }
      h3 {
        margin: 0 0 0.5rem;
      }
      ul {
        margin: 0;
        padding-left: 1.25rem;
      }
    `,
  ];

  constructor() {
    super();
    this.site = "";
  }

  #coverage = new Task(this, {
    task: async ([api, site], { signal }) => (api && site ? await api.coverage(site, signal) : undefined),
    args: () => [this.api, this.site || this.sites[0]?.site || ""] as const,
  });

  override render() {
    const current = this.site || this.sites[0]?.site || "";
    return html`
      <h2 tabindex="-1">Policy coverage</h2>
      <p class="muted">Privacy topics visitors commonly ask about, and whether the policy addresses them.</p>
      <label>Site
        <select @change=${(event: Event) => this.#choose((event.target as HTMLSelectElement).value)}>
          ${this.sites.map((s) => html`<option value=${s.site} ?selected=${s.site === current}>${s.title}</option>`)}
        </select>
      </label>
      ${this.#coverage.render({
        pending: () => html`<p class="muted" aria-busy="true">Loading…</p>`,
        error: (error) => html`<p class="error" role="alert">Could not load the coverage: ${this.errorText(error)}</p>`,
        complete: (coverage) => {
          if (!coverage) return nothing;
          if (!coverage.available) return html`<p>This server runs without the privacy-language layer, so coverage is not known.</p>`;
          const label = new Map(coverage.topics.map((topic) => [topic.id, topic.label]));
          const addressed = coverage.topics.filter((topic) => topic.passages > 0);
          return html`
            <section aria-labelledby="missing">
              <h3 id="missing">Not addressed (${coverage.missing.length})</h3>
              <ul aria-label="Topics the policy does not address">
                ${coverage.missing.map((id) => html`<li>${label.get(id) ?? id}</li>`)}
              </ul>
            </section>
            <section aria-labelledby="addressed">
              <h3 id="addressed">Addressed (${addressed.length})</h3>
              <ul aria-label="Topics the policy addresses">
                ${addressed.map((topic) => html`<li>${topic.label} <span class="muted">(${topic.passages} passages)</span></li>`)}
              </ul>
            </section>
            <section aria-labelledby="untagged">
              <h3 id="untagged">Passages about no privacy topic (${coverage.untagged.length})</h3>
              <ul aria-label="Passages about no privacy topic">
                ${coverage.untagged.map(
                  (passage) =>
                    html`<li><a href=${webHref(passage.url) ?? nothing} rel="noreferrer">${passage.section}</a>: ${passage.excerpt}…</li>`,
                )}
              </ul>
            </section>
          `;
        },
      })}
    `;
  }

  #choose(site: string) {
    window.location.hash = routeHash({ view: "coverage", site });
  }
}

customElements.define("staff-coverage", StaffCoverage);

declare global {
  interface HTMLElementTagNameMap {
    "staff-coverage": StaffCoverage;
  }
}

import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { webHref } from "../../server/contract/html.js";
import { themeStyles } from "./theme.styles.js";
import { StaffView } from "./view.js";

/**
 * What `npm run fetch-policies` noticed in each site's policy pages: one list per site, newest change first
 * ("changed on 2026-04-15: sections Payment information, How long we keep your data").
 */
export class StaffChangelog extends StaffView {
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
      ol {
        margin: 0;
        padding-left: 1.25rem;
      }
      li {
        margin-bottom: 0.25rem;
      }
    `,
  ];

  #changes = new Task(this, {
    task: async ([api], { signal }) => (api ? (await api.changelog(signal)).sites : []),
    args: () => [this.api] as const,
  });

  override render() {
    return html`
      <h2 tabindex="-1">Policy changes</h2>
      <p class="muted">Changes <code>npm run fetch-policies</code> found in the policy pages named by <code>source:</code>, newest first.</p>
      <p><button type="button" @click=${() => this.#refresh()}>Refresh</button></p>
      ${this.#changes.render({
        pending: () => html`<p class="muted" aria-busy="true">Loading…</p>`,
        error: (error) => html`<p class="error" role="alert">Could not load the changes: ${this.errorText(error)}</p>`,
        complete: (sites) =>
          sites.length === 0
            ? html`<p>No policy page has been fetched yet.</p>`
            : sites.map(
                ({ site, entries }) => html`<section aria-labelledby="site-${site}">
                  <h3 id="site-${site}">${this.sites.find((s) => s.site === site)?.title ?? site}</h3>
                  <ol aria-label="Changes to ${site}, newest first">
                    ${entries.map(
                      (entry) =>
                        html`<li>
                          ${entry.summary}
                          <span class="muted"
                            >(${entry.document}${
                              webHref(entry.source) ? html`, <a href=${webHref(entry.source)} rel="noreferrer">source</a>` : nothing
                            })</span
                          >
                        </li>`,
                    )}
                  </ol>
                </section>`,
              ),
      })}
    `;
  }

  async #refresh() {
    await this.#changes.run();
    this.announce("Policy changes refreshed.");
  }
}

customElements.define("staff-changelog", StaffChangelog);

declare global {
  interface HTMLElementTagNameMap {
    "staff-changelog": StaffChangelog;
  }
}

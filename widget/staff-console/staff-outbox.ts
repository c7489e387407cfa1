import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { formatDateTime } from "./labels.js";
import { newestFirst, verificationCodes } from "./outbox.js";
import { themeStyles } from "./theme.styles.js";
import { StaffView } from "./view.js";

/**
 * The e-mails the server kept instead of sending (no SMTP_URL configured), newest first, with any verification
 * code pulled out so a demo can go on without a mailbox.
 */
export class StaffOutbox extends StaffView {
  static override styles = [
    themeStyles,
    css`
      ol {
        list-style: none;
        padding: 0;
      }
      article {
        border: 1px solid var(--staff-border);
        border-radius: 8px;
        padding: 0.75rem 1rem;
        margin-bottom: 1rem;
      }
      article h3 {
        margin: 0 0 0.25rem;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font: inherit;
        background: var(--staff-surface);
        padding: 0.5rem 0.75rem;
        border-radius: 6px;
        margin: 0.5rem 0 0;
      }
      .code {
        font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
        font-size: 1.25rem;
        font-weight: 700;
        letter-spacing: 0.1em;
      }
    `,
  ];

  #outbox = new Task(this, {
    task: async ([api], { signal }) => (api ? newestFirst((await api.outbox(signal)).messages) : []),
    args: () => [this.api] as const,
  });

  override render() {
    return html`
      <h2 tabindex="-1">Outbox</h2>
      <p class="muted">
        E-mails the server would have sent. They are kept here only when no SMTP server is configured (SMTP_URL unset),
        so verification codes can be read during a demo.
      </p>
      <p><button type="button" @click=${() => this.#refresh()}>Refresh</button></p>
      ${this.#outbox.render({
        pending: () => html`<p class="muted" aria-busy="true">Loading…</p>`,
        error: (error) => html`<p class="error" role="alert">Could not load the outbox: ${this.errorText(error)}</p>`,
        complete: (messages) =>
          messages.length === 0
            ? html`<p>The outbox is empty.</p>`
            : html`<ol aria-label="E-mails, newest first">
                ${messages.map((message) => {
                  const codes = verificationCodes(message.text);
                  return html`<li>
                    <article aria-labelledby="subject-${message.id}">
                      <h3 id="subject-${message.id}">${message.subject}</h3>
                      <div class="muted">To ${message.to} · ${formatDateTime(message.createdAt)}</div>
                      ${codes.length > 0 ? html`<p>Verification code: <span class="code">${codes.join(", ")}</span></p>` : nothing}
                      <pre>${message.text}</pre>
                    </article>
                  </li>`;
                })}
              </ol>`,
      })}
    `;
  }

  async #refresh() {
    await this.#outbox.run();
    this.announce("Outbox refreshed.");
  }
}

customElements.define("staff-outbox", StaffOutbox);

declare global {
  interface HTMLElementTagNameMap {
    "staff-outbox": StaffOutbox;
  }
}

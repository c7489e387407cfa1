import { MAX_NOTE_LENGTH } from "../../server/contract/constants.js";
import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { datesInWords, formatDate, formatDateTime, humanize, rightLabel, statusLabel, transitionLabel } from "./labels.js";
import { deadlineText } from "./queue.js";
import { routeHash } from "./route.js";
import { themeStyles } from "./theme.styles.js";
import type { RequestDetail, Status } from "./types.js";
import { StaffView } from "./view.js";

/** Which small form is open under the actions: a denial, an extension or an erasure, each asking for a reason. */
type ReasonForm = "" | "denied" | "extend" | "erase";

const REASON_FORMS = {
  denied: { label: "Reason for the denial (sent to the requester)", submit: "Deny request", cancel: "Don't deny", danger: true },
  extend: { label: "Reason for the extension (sent to the requester)", submit: "Extend deadline", cancel: "Don't extend", danger: false },
  erase: {
    label: "Reason for erasing now (kept in the audit log; do not name the requester)",
    submit: "Erase personal data",
    cancel: "Don't erase",
    danger: true,
  },
} as const;

/**
 * One request: its fields, the actions its status allows, the extension, erasure of a closed one's requester, notes and
 * the audit log.
 */
export class StaffRequest extends StaffView {
  static override properties = {
    ...StaffView.properties,
    reference: {},
    _reasonFor: { state: true },
    _busy: { state: true },
    _actionError: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      .title {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: baseline;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.35rem 1.25rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .details {
        white-space: pre-wrap;
      }
      .panel h3 {
        margin-top: 0;
      }
      .panel {
        border: 1px solid var(--staff-border);
        border-radius: 8px;
        padding: 1rem;
        margin: 1rem 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .reason {
        margin-top: 1rem;
        max-width: 36rem;
      }
      .reason .row {
        margin-top: 0.5rem;
      }
      ol.notes {
        list-style: none;
        padding: 0;
      }
      ol.notes li {
        border-left: 4px solid var(--staff-border);
        padding: 0.25rem 0.75rem;
        margin-bottom: 0.75rem;
        white-space: pre-wrap;
      }
      .banner {
        background: var(--staff-warning-bg);
        padding: 0.5rem 0.75rem;
        border-radius: 6px;
      }
    `,
  ];

  declare reference: string;
  declare _reasonFor: ReasonForm;
  declare _busy: boolean;
  declare _actionError: string;

  constructor() {
    super();
    this.reference = "";
    this._reasonFor = "";
    this._busy = false;
    this._actionError = "";
  }

  #detail = new Task(this, {
    task: async ([api, reference], { signal }) => (api && reference ? api.request(reference, signal) : undefined),
    args: () => [this.api, this.reference] as const,
  });

  override render() {
    return html`
      <p><a href=${routeHash({ view: "requests", filters: { status: "", site: "", right: "", overdue: false } })}>← All requests</a></p>
      <h2 tabindex="-1">Request ${this.reference}</h2>
      ${this.#detail.render({
        pending: () => (this.#detail.value ? this.#page(this.#detail.value) : html`<p class="muted" aria-busy="true">Loading…</p>`),
        error: (error) => html`<p class="error" role="alert">Could not load the request: ${this.errorText(error)}</p>`,
        complete: (detail) => (detail ? this.#page(detail) : nothing),
      })}
    `;
  }

  #page({ request, audit, notes }: RequestDetail) {
    const deadline = deadlineText(request, new Date());
    const overdue = deadline.overdue;
    const canExtend = !request.extended && !request.closedAt && request.allowedTransitions.length > 0;
    const canErase = request.closedAt !== null && request.anonymisedAt === null;
    return html`
      <div class="title">
        <span class="badge" data-status=${request.status}>${statusLabel(request.status)}</span>
        ${overdue ? html`<span class="overdue"><span aria-hidden="true">⚠ </span>Overdue</span>` : nothing}
      </div>
      ${this._actionError ? html`<p class="error" role="alert">${this._actionError}</p>` : nothing}

      <section class="panel" aria-labelledby="actions-heading">
        <h3 id="actions-heading">Actions</h3>
        ${
          request.anonymisedAt
            ? html`<p class="banner">The requester's personal data was erased on ${formatDateTime(request.anonymisedAt)}; the record and its audit log remain.</p>`
            : canErase
              ? html`<p class="muted">This request is closed. Its requester's personal data is kept for the retention period, then erased; you can erase it now.</p>`
              : nothing
        }
        <div class="actions">
          ${request.allowedTransitions.map(
            (to) => html`
              <button
                type="button"
                class=${to === "denied" || to === "canceled" ? "danger" : "primary"}
                ?disabled=${this._busy}
                aria-expanded=${to === "denied" ? String(this._reasonFor === "denied") : nothing}
                @click=${() => (to === "denied" ? this.#openReason("denied") : this.#transition(to))}
              >
                ${transitionLabel(to)}
              </button>
            `,
          )}
          ${
            canExtend
              ? html`<button
                type="button"
                ?disabled=${this._busy}
                aria-expanded=${String(this._reasonFor === "extend")}
                @click=${() => this.#openReason("extend")}
              >
                Extend deadline…
              </button>`
              : nothing
          }
          ${
            canErase
              ? html`<button
                type="button"
                class="danger"
                ?disabled=${this._busy}
                aria-expanded=${String(this._reasonFor === "erase")}
                @click=${() => this.#openReason("erase")}
              >
                Erase personal data…
              </button>`
              : nothing
          }
        </div>
        ${this._reasonFor ? this.#reasonForm() : nothing}
      </section>

      <section aria-labelledby="fields-heading">
        <h3 id="fields-heading">Request</h3>
        <dl>
          <dt>Reference</dt><dd>${request.reference}</dd>
          <dt>Site</dt><dd>${this.sites.find((s) => s.site === request.site)?.organization || request.site}</dd>
          <dt>Right</dt><dd>${rightLabel(request.right)}</dd>
          <dt>Status</dt><dd>${statusLabel(request.status)}</dd>
          <dt>E-mail</dt><dd>${request.email || "—"}</dd>
          <dt>Name</dt><dd>${request.name || "—"}</dd>
          <dt>Country</dt><dd>${request.country || "—"}</dd>
          <dt>Jurisdiction</dt><dd>${request.jurisdiction || "—"}</dd>
          <dt>Source</dt><dd>${humanize(request.source)}</dd>
          <dt>Received</dt><dd>${formatDateTime(request.receivedAt)}</dd>
          <dt>Identity verified</dt><dd>${formatDateTime(request.verifiedAt)}</dd>
          <dt>Due</dt>
          <dd>
            ${formatDate(request.dueAt)}
            ${deadline.text === "—" ? nothing : html`<span class=${overdue ? "overdue" : "muted"}>(${deadline.text}${overdue || deadline.text === "Due today" ? "" : " left"})</span>`}
            ${request.extended ? html`<br /><span class="muted">Extended: ${request.extensionReason ?? ""}</span>` : nothing}
          </dd>
          <dt>Closed</dt>
          <dd>${formatDateTime(request.closedAt)}${request.closeReason ? html`<br /><span class="muted">Reason: ${request.closeReason}</span>` : nothing}</dd>
          <dt>Details</dt><dd class="details">${request.details || "—"}</dd>
        </dl>
      </section>

      <section aria-labelledby="notes-heading">
        <h3 id="notes-heading">Notes</h3>
        ${
          notes.length === 0
            ? html`<p class="muted">No notes yet.</p>`
            : html`<ol class="notes">
              ${notes.map(
                (note) =>
                  html`<li><span class="muted">${formatDateTime(note.at)} · ${note.author}</span><br />${note.text || html`<span class="muted">(text erased)</span>`}</li>`,
              )}
            </ol>`
        }
        <form @submit=${this.#addNote}>
          <label for="note">Add a note</label>
          <textarea id="note" name="text" required maxlength=${MAX_NOTE_LENGTH}></textarea>
          <p><button type="submit" ?disabled=${this._busy}>Add note</button></p>
        </form>
      </section>

      <section aria-labelledby="audit-heading">
        <h3 id="audit-heading">Audit log</h3>
        <div class="table-wrap" role="region" aria-labelledby="audit-heading" tabindex="0">
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Change</th><th scope="col">Note</th></tr>
            </thead>
            <tbody>
              ${audit.map(
                (entry) => html`<tr>
                  <td>${formatDateTime(entry.at)}</td>
                  <td>${entry.actor}</td>
                  <td>${humanize(entry.action)}</td>
                  <td>${entry.from || entry.to ? `${entry.from ? statusLabel(entry.from) : "—"} → ${entry.to ? statusLabel(entry.to) : "—"}` : "—"}</td>
                  <td>${datesInWords(entry.note ?? "")}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
    `;
  }

  #reasonForm() {
    if (!this._reasonFor) return nothing;
    const form = REASON_FORMS[this._reasonFor];
    return html`
      <form class="reason" @submit=${this.#submitReason}>
        <label for="reason">${form.label}</label>
        ${
          this._reasonFor === "erase"
            ? html`<p class="muted">E-mail, name, country, details and the text of notes are erased for good; this cannot be undone.</p>`
            : nothing
        }
        <textarea id="reason" name="reason" required maxlength=${MAX_NOTE_LENGTH}></textarea>
        <div class="row">
          <button type="submit" class=${form.danger ? "danger" : "primary"} ?disabled=${this._busy}>${form.submit}</button>
          <button type="button" @click=${() => (this._reasonFor = "")}>${form.cancel}</button>
        </div>
      </form>
    `;
  }

  async #openReason(kind: ReasonForm) {
    this._reasonFor = this._reasonFor === kind ? "" : kind;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>("#reason")?.focus();
  }

  async #submitReason(event: SubmitEvent) {
    event.preventDefault();
    const reason = new FormData(event.target as HTMLFormElement).get("reason")?.toString().trim() ?? "";
    if (!reason) return;
    if (this._reasonFor === "denied") await this.#transition("denied", reason);
    else if (this._reasonFor === "erase") {
      if (await this.#act(() => this.api!.erase(this.reference, reason), "Personal data erased.")) await this.focusHeading();
    } else if (await this.#act(() => this.api!.extend(this.reference, reason), "Deadline extended.")) await this.focusHeading();
  }

  /** After a move the pressed button is gone, so focus goes back to the heading rather than the page's top. */
  async #transition(to: Status, note?: string) {
    const moved = await this.#act(() => this.api!.transition(this.reference, to, note), `Moved to ${statusLabel(to).toLowerCase()}.`);
    if (moved) await this.focusHeading();
  }

  async #addNote(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = new FormData(form).get("text")?.toString().trim() ?? "";
    if (!text) return;
    if (await this.#act(() => this.api!.addNote(this.reference, text), "Note added.")) form.reset();
  }

  /** Runs one action, then reloads the request; the typed text stays if the action fails. */
  async #act(action: () => Promise<unknown>, done: string): Promise<boolean> {
    if (!this.api) return false;
    this._busy = true;
    this._actionError = "";
    try {
      await action();
      this._reasonFor = "";
      await this.#detail.run();
      this.announce(done);
      return true;
    } catch (error) {
      this._actionError = this.errorText(error);
      return false;
    } finally {
      this._busy = false;
    }
  }
}

customElements.define("staff-request", StaffRequest);

declare global {
  interface HTMLElementTagNameMap {
    "staff-request": StaffRequest;
  }
}

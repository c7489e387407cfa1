import { LitElement, css, html } from "lit";
import { themeStyles } from "./theme.styles.js";

/**
 * The sign-in form: one field for the staff token.
 * @fires staff-sign-in - detail `{ token }` when the form is sent.
 */
export class StaffSignIn extends LitElement {
  static override properties = {
    error: {},
    busy: { type: Boolean },
  };

  static override styles = [
    themeStyles,
    css`
      form {
        max-width: 28rem;
        margin: 4rem auto;
        padding: 1.5rem;
        border: 1px solid var(--staff-border);
        border-radius: 10px;
        background: var(--staff-surface);
      }
      input {
        width: 100%;
        margin-bottom: 0.75rem;
      }
      p {
        margin-top: 0;
      }
    `,
  ];

  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.error = "";
    this.busy = false;
  }

  override render() {
    return html`
      <form @submit=${this.#submit} aria-describedby="sign-in-help">
        <h2>Sign in</h2>
        <p id="sign-in-help" class="muted">
          Enter the staff token (the server's <code>STAFF_TOKEN</code>). It stays in this tab only and is forgotten when
          the tab closes.
        </p>
        <input type="text" name="username" autocomplete="username" value="staff" hidden />
        <label for="token">Staff token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          aria-invalid=${this.error ? "true" : "false"}
          aria-describedby="token-error"
        />
        <p id="token-error" class="error" role="alert">${this.error}</p>
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? "Checking…" : "Sign in"}</button>
      </form>
    `;
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has("error") && this.error) this.renderRoot.querySelector("input")?.focus();
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const token = new FormData(event.target as HTMLFormElement).get("token")?.toString().trim() ?? "";
    if (!token) return;
    this.dispatchEvent(new CustomEvent("staff-sign-in", { detail: { token }, bubbles: true, composed: true }));
  }
}

customElements.define("staff-sign-in", StaffSignIn);

declare global {
  interface HTMLElementTagNameMap {
    "staff-sign-in": StaffSignIn;
  }
}

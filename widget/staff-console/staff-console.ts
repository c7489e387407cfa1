import { LitElement, html, nothing } from "lit";
import { ApiError, StaffApi } from "./api.js";
import { NO_FILTERS } from "./queue.js";
import { parseRoute, routeHash } from "./route.js";
import type { Route } from "./route.js";
import { consoleStyles } from "./staff-console.styles.js";
import { themeStyles } from "./theme.styles.js";
import { tokenStore } from "./token.js";
import type { SiteSummary } from "./types.js";
import type { StaffView } from "./view.js";
import "./staff-sign-in.js";
import "./staff-search.js";
import "./staff-queue.js";
import "./staff-request.js";
import "./staff-outbox.js";
import "./staff-changelog.js";
import "./staff-coverage.js";
import "./staff-insights.js";

/**
 * The staff console: asks for the staff token, then shows the request queue, a request, policy search or the
 * outbox, chosen by the address after "#".
 * @attr api - origin of the API when it is not the console's own.
 */
export class StaffConsole extends LitElement {
  static override properties = {
    api: {},
    _token: { state: true },
    _route: { state: true },
    _sites: { state: true },
    _signInError: { state: true },
    _checking: { state: true },
    _announcement: { state: true },
  };

  static override styles = [themeStyles, consoleStyles];

  declare api: string;
  declare _token: string | null;
  declare _route: Route;
  declare _sites: SiteSummary[];
  declare _signInError: string;
  declare _checking: boolean;
  declare _announcement: string;

  #store = tokenStore(globalThis.sessionStorage);
  #client: StaffApi | undefined;
  #navigated = false;

  constructor() {
    super();
    this.api = "";
    this._token = this.#store.read();
    this._route = parseRoute(location.hash);
    this._sites = [];
    this._signInError = "";
    this._checking = false;
    this._announcement = "";
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("hashchange", this.#onHashChange);
    if (this._token) void this.#loadSites();
  }

  override disconnectedCallback() {
    window.removeEventListener("hashchange", this.#onHashChange);
    super.disconnectedCallback();
  }

  get #apiClient(): StaffApi | undefined {
    if (!this._token) return undefined;
    this.#client ??= new StaffApi({ token: this._token, base: this.api });
    return this.#client;
  }

  override render() {
    if (!this._token) {
      return html`
        <header><div class="bar"><h1>Privacy requests · staff console</h1></div></header>
        <main id="main">
          <staff-sign-in
            .error=${this._signInError}
            .busy=${this._checking}
            @staff-sign-in=${this.#signIn}
          ></staff-sign-in>
        </main>
        ${this.#liveRegion()}
      `;
    }
    const view = this._route.view === "request" ? "requests" : this._route.view;
    const link = (target: Route, label: string, name: string) =>
      html`<li><a href=${routeHash(target)} aria-current=${view === name ? "page" : nothing}>${label}</a></li>`;
    return html`
      <a class="skip" href="#main" @click=${this.#skipToMain}>Skip to content</a>
      <header>
        <div class="bar">
        <h1>Privacy requests · staff console</h1>
        <nav aria-label="Console">
          <ul>
            ${link({ view: "requests", filters: NO_FILTERS }, "Requests", "requests")}
            ${link({ view: "search", q: "", site: "" }, "Policy search", "search")}
            ${link({ view: "outbox" }, "Outbox", "outbox")}
            ${link({ view: "changes" }, "Policy changes", "changes")}
            ${link({ view: "coverage", site: "" }, "Policy coverage", "coverage")}
            ${link({ view: "insights", site: "" }, "Insights", "insights")}
          </ul>
        </nav>
        <button class="sign-out" type="button" @click=${this.#signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" @staff-announce=${this.#onAnnounce} @staff-unauthorized=${this.#onUnauthorized}>
        ${this.#view()}
      </main>
      ${this.#liveRegion()}
    `;
  }

  #view() {
    const api = this.#apiClient;
    const route = this._route;
    switch (route.view) {
      case "search":
        return html`<staff-search .api=${api} .sites=${this._sites} .q=${route.q} .site=${route.site}></staff-search>`;
      case "request":
        return html`<staff-request .api=${api} .sites=${this._sites} .reference=${route.reference}></staff-request>`;
      case "outbox":
        return html`<staff-outbox .api=${api} .sites=${this._sites}></staff-outbox>`;
      case "changes":
        return html`<staff-changelog .api=${api} .sites=${this._sites}></staff-changelog>`;
      case "coverage":
        return html`<staff-coverage .api=${api} .sites=${this._sites} .site=${route.site}></staff-coverage>`;
      case "insights":
        return html`<staff-insights .api=${api} .sites=${this._sites} .site=${route.site}></staff-insights>`;
      case "requests":
        return html`<staff-queue .api=${api} .sites=${this._sites} .filters=${route.filters}></staff-queue>`;
    }
  }

  #liveRegion() {
    return html`<div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>`;
  }

  override async updated() {
    this.#showCurrentLink();
    if (!this.#navigated) return;
    this.#navigated = false;
    await (this.renderRoot.querySelector("main > *") as StaffView | null)?.focusHeading?.();
  }

  /** On a phone the menu scrolls sideways; the current view's link is brought into it without moving the page. */
  #showCurrentLink() {
    const list = this.renderRoot.querySelector<HTMLElement>("nav ul");
    const current = list?.querySelector<HTMLElement>('a[aria-current="page"]');
    if (!list || !current || list.scrollWidth <= list.clientWidth) return;
    const left = current.offsetLeft - list.offsetLeft;
    if (left < list.scrollLeft || left + current.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = left - (list.clientWidth - current.offsetWidth) / 2;
    }
  }

  #onHashChange = () => {
    const previous = this._route;
    this._route = parseRoute(location.hash);
    // A new filter or query keeps focus where it is; a new view moves it to that view's heading.
    this.#navigated =
      previous.view !== this._route.view ||
      (previous.view === "request" && this._route.view === "request" && previous.reference !== this._route.reference);
  };

  #skipToMain(event: Event) {
    event.preventDefault();
    void (this.renderRoot.querySelector("main > *") as StaffView | null)?.focusHeading?.();
  }

  async #signIn(event: CustomEvent<{ token: string }>) {
    const candidate = new StaffApi({ token: event.detail.token, base: this.api });
    this._checking = true;
    this._signInError = "";
    try {
      await candidate.requests({ ...NO_FILTERS, status: "pending" });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this._signInError = "That token was not accepted. Check it and try again.";
        return;
      }
      if (error instanceof ApiError && error.status === 0) {
        this._signInError = error.message;
        return;
      }
    } finally {
      this._checking = false;
    }
    this.#store.write(event.detail.token);
    this.#client = candidate;
    this._token = event.detail.token;
    this._announcement = "Signed in.";
    this.#navigated = true;
    void this.#loadSites();
  }

  #signOut() {
    this.#store.clear();
    this.#client = undefined;
    this._token = null;
    this._signInError = "";
    this._announcement = "Signed out.";
  }

  #onUnauthorized() {
    this.#signOut();
    this._signInError = "The server refused the staff token. Sign in again.";
  }

  #onAnnounce(event: CustomEvent<{ message: string }>) {
    // Clearing first makes a repeated message be read again.
    this._announcement = "";
    requestAnimationFrame(() => (this._announcement = event.detail.message));
  }

  async #loadSites() {
    try {
      this._sites = (await this.#apiClient?.sites())?.sites ?? [];
    } catch {
      this._sites = [];
    }
  }
}

customElements.define("staff-console", StaffConsole);

declare global {
  interface HTMLElementTagNameMap {
    "staff-console": StaffConsole;
  }
}

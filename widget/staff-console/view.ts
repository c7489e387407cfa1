import { LitElement } from "lit";
import { ApiError } from "./api.js";
import type { StaffApi } from "./api.js";
import type { SiteSummary } from "./types.js";

/**
 * What every console view shares: the API client and the sites given by <staff-console>, focus on the view's
 * heading after navigation, and the events that tell the console to announce something or to sign out.
 * @fires staff-announce - detail `{ message }`: words for the console's live region.
 * @fires staff-unauthorized - the token was refused; the console asks for it again.
 */
export class StaffView extends LitElement {
  static override properties = {
    api: { attribute: false },
    sites: { attribute: false },
  };

  declare api: StaffApi | undefined;
  declare sites: SiteSummary[];

  constructor() {
    super();
    this.sites = [];
  }

  /** Moves focus to the view's heading so a screen reader user hears where they landed. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("h2[tabindex]")?.focus();
  }

  protected announce(message: string): void {
    this.dispatchEvent(new CustomEvent("staff-announce", { detail: { message }, bubbles: true, composed: true }));
  }

  /** Words for a failed call; a refused token also signs the console out. */
  protected errorText(error: unknown): string {
    if (error instanceof ApiError && error.status === 401) {
      this.dispatchEvent(new CustomEvent("staff-unauthorized", { bubbles: true, composed: true }));
    }
    return error instanceof Error ? error.message : String(error);
  }
}

import { Task, TaskStatus } from "@lit/task";
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import type { RequestKind, Right } from "../../server/contract/constants.js";
import type { CodeResent, RequestCreated, RequestVerified } from "../../server/contract/index.js";
import { apiClient, parseResponse } from "../api/client.js";
import { ApiError, describeError } from "../privacy-chat/api.js";
import { DEFAULT_STRINGS, fill, type ChatStrings } from "../privacy-chat/strings.js";
import { countries, countryCode, US_STATES, type Country } from "./countries.js";
import {
  emptyIntake,
  formatDueDate,
  normaliseCode,
  requestBody,
  secondsUntil,
  validateIntake,
  withCountryCode,
  type IntakeErrors,
  type IntakeField,
  type IntakeState,
} from "./intake-form.js";
import { styles } from "./privacy-chat-intake.styles.js";

export interface PrivacyChatRequestCreatedDetail {
  reference: string;
  site: string;
  right: RequestKind;
  dueAt: string;
}

type FormStep = Extract<IntakeState, { step: "form" }>;
type CodeStep = Extract<IntakeState, { step: "code" }>;

/**
 * The rights-request form inside `<privacy-chat>`: the request, then the e-mailed code, then the
 * confirmation with the reference and due date. Each step's call is a `@lit/task` with an abort signal.
 *
 * @fires privacy-chat-request-created - A request was created (before the e-mail is verified). Bubbles out of the widget. detail: {reference, site, right, dueAt}
 * @fires privacy-chat-intake-announce - Text for the widget's live region. detail: string
 * @fires privacy-chat-intake-close - The visitor cancelled or finished; the widget removes the form.
 *
 * @csspart intake - The form, code step and confirmation.
 */
export class PrivacyChatIntake extends LitElement {
  static override styles = styles;

  static override properties = {
    site: { type: String },
    api: { type: String },
    right: { type: String },
    question: { type: String },
    locale: { type: String },
    strings: { attribute: false },
    intake: { state: true },
    errors: { state: true },
    codeError: { state: true },
    message: { state: true },
    now: { state: true },
  };

  /** The policy folder the request is for. */
  declare site: string;
  /** Base URL of the API. */
  declare api: string;
  /** The right the form opens with, or "enquiry" to hand a question to the privacy team. */
  declare right: RequestKind;
  /** An enquiry's question, filled in for the visitor. */
  declare question: string;
  /** Language for the due date, e.g. "de". */
  declare locale: string | undefined;
  declare strings: ChatStrings;

  declare private intake: IntakeState | undefined;
  declare private errors: IntakeErrors;
  declare private codeError: string;
  declare private message: string;
  declare private now: number;

  private clock: ReturnType<typeof setInterval> | undefined;
  private focusAfterUpdate: string | undefined;
  private countryList: Country[] = [];
  private countriesFor: string | undefined = "\u0000";

  /** The typed API client for the `api` origin this element was given. */
  private get client() {
    return apiClient({ base: this.api });
  }

  private readonly createTask = new Task(this, {
    autoRun: false,
    task: ([form]: readonly [FormStep], { signal }) =>
      parseResponse(
        this.client.api.requests.$post(
          {
            header: { "idempotency-key": form.idempotencyKey },
            json: requestBody(form.site, withCountryCode(form.values, this.countryList)),
          },
          { init: { signal } },
        ),
      ),
    onComplete: (created) => this.onCreated(created),
    onError: (error) => this.onStepError(error, undefined),
  });

  private readonly verifyTask = new Task(this, {
    autoRun: false,
    task: ([reference, code]: readonly [string, string], { signal }) =>
      parseResponse(
        this.client.api.requests[":reference"].verify.$post(
          { param: { reference: encodeURIComponent(reference) }, json: { code } },
          { init: { signal } },
        ),
      ),
    onComplete: (verified) => this.onVerified(verified),
    onError: (error) => this.onStepError(error, "#intake-code"),
  });

  private readonly resendTask = new Task(this, {
    autoRun: false,
    task: ([reference]: readonly [string], { signal }) =>
      parseResponse(
        this.client.api.requests[":reference"].resend.$post(
          { param: { reference: encodeURIComponent(reference) }, json: {} },
          { init: { signal } },
        ),
      ),
    onComplete: (sent: CodeResent) => {
      if (this.intake?.step === "code") this.intake = { ...this.intake, resendAvailableAt: sent.resendAvailableAt };
      this.message = this.strings.codeResent;
      this.now = Date.now();
      this.focusAfterUpdate = "#intake-code";
    },
    onError: (error) => {
      if (isAbort(error)) return;
      this.message = describeError(error, this.strings);
      if (error instanceof ApiError && error.retryAfterSeconds && this.intake?.step === "code") {
        this.intake = { ...this.intake, resendAvailableAt: new Date(Date.now() + error.retryAfterSeconds * 1000).toISOString() };
      }
      this.focusAfterUpdate = "#intake-code";
    },
  });

  constructor() {
    super();
    this.site = "";
    this.api = "";
    this.right = "access";
    this.question = "";
    this.locale = undefined;
    this.strings = DEFAULT_STRINGS;
    this.intake = undefined;
    this.errors = {};
    this.codeError = "";
    this.message = "";
    this.now = Date.now();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const task of [this.createTask, this.verifyTask, this.resendTask]) task.abort();
    this.stopClock();
  }

  /**
   * Offers a right: fills it into an open form, keeps a code step as it is, and starts afresh after a confirmation.
   * @example intake.offer("erasure")
   */
  offer(right: RequestKind, question = ""): void {
    const current = this.intake;
    if (current?.step === "form" && (current.values.right === "enquiry") === (right === "enquiry")) {
      this.intake = { ...current, values: { ...current.values, right } };
    } else if (current?.step !== "code") {
      this.intake = emptyIntake(this.site, right, newIdempotencyKey, question);
      this.errors = {};
      this.message = "";
    }
  }

  /** Moves focus to the step's heading, so a screen reader starts reading the form from the top. */
  override focus(): void {
    void this.updateComplete.then(() => {
      const heading = this.renderRoot.querySelector<HTMLElement>("h3");
      heading?.focus();
      heading?.closest(".intake")?.scrollIntoView({ block: "nearest" });
    });
  }

  private get busy(): boolean {
    return [this.createTask, this.verifyTask, this.resendTask].some((task) => task.status === TaskStatus.PENDING);
  }

  protected override willUpdate(): void {
    if (!this.intake) this.intake = emptyIntake(this.site, this.right, newIdempotencyKey, this.question);
    if (this.countriesFor !== this.locale) {
      this.countriesFor = this.locale;
      this.countryList = countries(this.locale);
    }
  }

  protected override updated(_changed: PropertyValues): void {
    if (!this.focusAfterUpdate) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.focusAfterUpdate);
    this.focusAfterUpdate = undefined;
    target?.focus();
    target?.closest(".intake")?.scrollIntoView({ block: "nearest" });
  }

  override render(): TemplateResult {
    const intake = this.intake ?? emptyIntake(this.site, this.right, newIdempotencyKey);
    if (intake.step === "done") return this.renderDone(intake);
    if (intake.step === "code") return this.renderCode(intake);
    return this.renderForm(intake);
  }

  private renderMessage(): TemplateResult {
    return html`<p class="form-error" role="alert">${this.message}</p>`;
  }

  private renderDone(intake: Extract<IntakeState, { step: "done" }>): TemplateResult {
    const t = this.strings;
    return html`<section part="intake" class="intake" aria-labelledby="intake-heading">
      <h3 id="intake-heading" tabindex="-1">${t.doneHeading}</h3>
      <p>${fill(t.doneText, intake.reference, formatDueDate(intake.dueAt, this.locale))}</p>
      <button class="secondary" type="button" @click=${this.close}>${t.doneClose}</button>
    </section>`;
  }

  private renderCode(intake: CodeStep): TemplateResult {
    const t = this.strings;
    const busy = this.busy;
    const wait = secondsUntil(intake.resendAvailableAt, this.now);
    return html`<form part="intake" class="intake" aria-labelledby="intake-heading" novalidate @submit=${this.onCodeSubmit}>
      <h3 id="intake-heading" tabindex="-1">${t.codeHeading}</h3>
      <p>${fill(t.codeSent, intake.values.email)}</p>
      <div class="field">
        <label for="intake-code">${t.codeLabel}</label>
        <input
          id="intake-code"
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength="9"
          required
          .value=${intake.code}
          aria-invalid=${this.codeError ? "true" : "false"}
          aria-describedby="intake-code-error"
          @input=${(event: Event) => this.updateCode((event.target as HTMLInputElement).value)}
        />
        <span class="field-error" id="intake-code-error">${this.codeError}</span>
      </div>
      ${this.renderMessage()}
      <div class="row actions code-actions">
        <button class="primary" type="submit" aria-disabled=${busy ? "true" : "false"}>${t.codeSubmit}</button>
        <button class="secondary" type="button" aria-disabled=${busy || wait > 0 ? "true" : "false"} @click=${this.resendCode}>
          ${wait > 0 ? fill(t.codeResendIn, wait) : t.codeResend}
        </button>
        <button class="secondary" type="button" @click=${this.close}>${t.intakeCancel}</button>
      </div>
    </form>`;
  }

  private renderForm(intake: FormStep): TemplateResult {
    const t = this.strings;
    const values = intake.values;
    const field = (name: IntakeField, label: string, control: TemplateResult) => html`<div class="field">
      <label for=${`intake-${name}`}>${label}</label>
      ${control}
      <span class="field-error" id=${`intake-${name}-error`}>${this.errors[name] ?? ""}</span>
    </div>`;
    const invalid = (name: IntakeField) => (this.errors[name] ? "true" : "false");
    const onInput = (name: IntakeField) => (event: Event) =>
      this.updateValue(name, (event.target as HTMLInputElement | HTMLTextAreaElement).value);
    const enquiry = values.right === "enquiry";
    const inUs = countryCode(values.country, this.countryList) === "US";
    return html`<form part="intake" class="intake" aria-labelledby="intake-heading" novalidate @submit=${this.onFormSubmit}>
      <h3 id="intake-heading" tabindex="-1">${values.right === "enquiry" ? t.enquiryHeading : fill(t.intakeHeading, t.rights[values.right])}</h3>
      ${
        values.right === "enquiry"
          ? nothing
          : html`<div class="field">
            <label for="intake-right">${t.intakeRight}</label>
            <select id="intake-right" name="right" @change=${this.onRightChange}>
              ${(Object.keys(t.rights) as Right[]).map(
                (right) => html`<option value=${right} ?selected=${right === values.right}>${t.rights[right]}</option>`,
              )}
            </select>
          </div>`
      }
      ${field(
        "email",
        t.intakeEmail,
        html`<input
          id="intake-email"
          name="email"
          type="email"
          autocomplete="email"
          required
          .value=${values.email}
          aria-invalid=${invalid("email")}
          aria-describedby="intake-email-error"
          @input=${onInput("email")}
        />`,
      )}
      ${field(
        "name",
        t.intakeName,
        html`<input id="intake-name" name="name" autocomplete="name" .value=${values.name} aria-invalid=${invalid("name")}
          aria-describedby="intake-name-error" @input=${onInput("name")} />`,
      )}
      ${
        enquiry
          ? nothing
          : field(
              "country",
              t.intakeCountry,
              html`<input id="intake-country" name="country" list="intake-countries" autocomplete="country-name" .value=${values.country}
                  aria-invalid=${invalid("country")} aria-describedby="intake-country-error" @input=${onInput("country")} />
                <datalist id="intake-countries">${this.countryList.map((country) => html`<option value=${country.name}></option>`)}</datalist>`,
            )
      }
      ${
        inUs && !enquiry
          ? html`<div class="field">
            <label for="intake-state">${t.intakeState}</label>
            <select id="intake-state" name="state" autocomplete="address-level1" @change=${this.onStateChange}>
              <option value="" ?selected=${!values.state}>${t.intakeStateNone}</option>
              ${Object.entries(US_STATES).map(([code, name]) => html`<option value=${code} ?selected=${code === values.state}>${name}</option>`)}
            </select>
          </div>`
          : nothing
      }
      ${field(
        "details",
        enquiry ? t.enquiryQuestion : t.intakeDetails,
        html`<textarea id="intake-details" name="details" rows="3" .value=${values.details} aria-invalid=${invalid("details")}
          aria-describedby="intake-details-error" @input=${onInput("details")}></textarea>`,
      )}
      <p class="notice">${t.intakeNotice}</p>
      ${this.renderMessage()}
      <div class="row actions">
        <button class="primary" type="submit" aria-disabled=${this.busy ? "true" : "false"}>${enquiry ? t.enquirySubmit : t.intakeSubmit}</button>
        <button class="secondary" type="button" @click=${this.close}>${t.intakeCancel}</button>
      </div>
    </form>`;
  }

  private updateValue(name: IntakeField, value: string): void {
    if (this.intake?.step !== "form") return;
    this.intake = { ...this.intake, values: { ...this.intake.values, [name]: value } };
    if (this.errors[name]) this.errors = { ...this.errors, [name]: undefined };
  }

  private onRightChange(event: Event): void {
    const right = (event.target as HTMLSelectElement).value as Right;
    if (this.intake?.step === "form" && right in this.strings.rights) {
      this.intake = { ...this.intake, values: { ...this.intake.values, right } };
    }
  }

  private onStateChange(event: Event): void {
    if (this.intake?.step !== "form") return;
    this.intake = { ...this.intake, values: { ...this.intake.values, state: (event.target as HTMLSelectElement).value } };
  }

  private updateCode(code: string): void {
    if (this.intake?.step !== "code") return;
    this.intake = { ...this.intake, code };
    this.codeError = "";
  }

  private onFormSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const intake = this.intake;
    if (intake?.step !== "form" || this.busy) return;
    const errors = validateIntake(intake.values, this.strings, this.countryList);
    this.errors = errors;
    const firstInvalid = (Object.keys(errors) as IntakeField[])[0];
    if (firstInvalid) {
      this.focusAfterUpdate = `#intake-${firstInvalid}`;
      return;
    }
    this.message = "";
    void this.createTask.run([intake]);
  }

  private onCreated(created: RequestCreated): void {
    const intake = this.intake;
    if (intake?.step !== "form") return;
    const { reference, dueAt, resendAvailableAt } = created;
    this.intake = { ...intake, step: "code", reference, dueAt, resendAvailableAt, code: "" };
    this.announce(fill(this.strings.codeSent, intake.values.email));
    this.focusAfterUpdate = "#intake-code";
    this.startClock();
    this.dispatchEvent(
      new CustomEvent<PrivacyChatRequestCreatedDetail>("privacy-chat-request-created", {
        detail: { reference, site: intake.site, right: intake.values.right, dueAt },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private onCodeSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const intake = this.intake;
    if (intake?.step !== "code" || this.busy) return;
    const code = normaliseCode(intake.code);
    if (!code) {
      this.codeError = this.strings.errorCode;
      this.focusAfterUpdate = "#intake-code";
      return;
    }
    this.message = "";
    void this.verifyTask.run([intake.reference, code]);
  }

  private onVerified(verified: RequestVerified): void {
    const intake = this.intake;
    if (intake?.step !== "code") return;
    this.intake = { step: "done", site: intake.site, right: intake.values.right, reference: verified.reference, dueAt: verified.dueAt };
    this.stopClock();
    this.announce(fill(this.strings.doneText, verified.reference, formatDueDate(verified.dueAt, this.locale)));
    this.focusAfterUpdate = "h3";
  }

  private onStepError(error: unknown, focus: string | undefined): void {
    if (isAbort(error)) return;
    this.message = describeError(error, this.strings);
    this.focusAfterUpdate = focus;
  }

  private resendCode(): void {
    const intake = this.intake;
    if (intake?.step !== "code" || this.busy || secondsUntil(intake.resendAvailableAt) > 0) return;
    this.message = "";
    void this.resendTask.run([intake.reference]);
  }

  private close(): void {
    for (const task of [this.createTask, this.verifyTask, this.resendTask]) task.abort();
    this.stopClock();
    this.dispatchEvent(new CustomEvent("privacy-chat-intake-close"));
  }

  private announce(text: string): void {
    this.dispatchEvent(new CustomEvent<string>("privacy-chat-intake-announce", { detail: text }));
  }

  /** Ticks once a second while a resend countdown is on screen. */
  private startClock(): void {
    this.stopClock();
    this.now = Date.now();
    this.clock = setInterval(() => {
      this.now = Date.now();
    }, 1000);
  }

  private stopClock(): void {
    if (this.clock !== undefined) clearInterval(this.clock);
    this.clock = undefined;
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** crypto.randomUUID exists only in secure contexts; an http:// host page still deserves a unique key. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

declare global {
  interface HTMLElementTagNameMap {
    "privacy-chat-intake": PrivacyChatIntake;
  }
  interface HTMLElementEventMap {
    "privacy-chat-request-created": CustomEvent<PrivacyChatRequestCreatedDetail>;
  }
}

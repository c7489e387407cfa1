import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { MAX_QUESTION_LENGTH, type RequestKind, type Right } from "../../server/contract/constants.js";
import type { Citation } from "../../server/contract/index.js";
import { ApiError, describeError, loadClient } from "./api.js";
import { citationCards, quotedText, type CitationCard } from "./citations.js";
import { renderMarkdown } from "./markdown.js";
import {
  addError,
  addQuestion,
  addReply,
  loadConversation,
  offeredRight,
  parseAskReply,
  saveConversation,
  setFeedback,
  speakable,
  withoutMessage,
  type AssistantMessage,
  type ChatMessage,
  type Verdict,
} from "./messages.js";
import { styles } from "./privacy-chat.styles.js";
import { DEFAULT_STRINGS, fill, loadStrings, mergeStrings, type ChatStrings } from "./strings.js";

export interface PrivacyChatAnswerDetail {
  question: string;
  kind: AssistantMessage["kind"];
  text: string;
  citations: Citation[];
  right?: Right;
}

export type { PrivacyChatRequestCreatedDetail } from "../privacy-chat-intake/privacy-chat-intake.js";

const DEFAULT_SUGGESTIONS = ["How long do you keep my chat data?", "What personal data do you collect?", "How can I get my data deleted?"];

/** The API defaults to the origin that served widget.js, so one script tag works on any host page. */
const SCRIPT_ORIGIN = (() => {
  try {
    const origin = new URL(import.meta.url).origin;
    return origin === "null" ? "" : origin;
  } catch {
    return "";
  }
})();

/** `suggestions` takes a JSON array or a list separated by "|". */
const listConverter = {
  fromAttribute(value: string | null): string[] | undefined {
    if (value === null) return undefined;
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === "string");
    } catch {
      // not JSON: fall through to the "|" form
    }
    return value
      .split("|")
      .map((item) => item.trim())
      .filter(Boolean);
  },
};

const jsonConverter = {
  fromAttribute(value: string | null): unknown {
    try {
      return value ? JSON.parse(value) : undefined;
    } catch {
      return undefined;
    }
  },
};

/**
 * Answers a visitor's questions about a company's privacy policy, quoting the passages it relies on,
 * and takes a data-subject request (access, erasure, ...) through e-mail verification.
 *
 * @example <script type="module" src="https://HOST/widget.js"></script><privacy-chat site="altoros"></privacy-chat>
 *
 * @fires privacy-chat-answer - An answer arrived. detail: {question, kind, text, citations, right?}
 * @fires privacy-chat-request-created - A rights request was created (before the e-mail is verified). detail: {reference, site, right, dueAt}
 *
 * @slot logo - A small logo shown before the title in the panel's header.
 *
 * @csspart launcher - The round button that opens the panel, and closes it while it is open.
 * @csspart panel - The chat panel.
 * @csspart header - The panel's title bar.
 * @csspart close - The close button in the title bar (on a phone, where the panel fills the screen).
 * @csspart log - The list of messages.
 * @csspart message - Each message bubble (also `visitor-message`, `assistant-message`, `error-message`).
 * @csspart citation - Each numbered source card.
 * @csspart suggestion - Each suggested question.
 * @csspart intake - The rights-request form, code step and confirmation.
 * @csspart input - The question field.
 * @csspart send - The send button.
 *
 * @cssprop --privacy-chat-accent - Launcher, header, visitor bubble, buttons, links and focus ring (default #1d4ed8 light, #8ab4ff dark).
 * @cssprop --privacy-chat-accent-text - Text on the accent colour.
 * @cssprop --privacy-chat-background - Panel background.
 * @cssprop --privacy-chat-surface - Answer bubble background.
 * @cssprop --privacy-chat-text - Body text.
 * @cssprop --privacy-chat-muted - Secondary text.
 * @cssprop --privacy-chat-border - Borders of fields and cards.
 * @cssprop --privacy-chat-link - Links (default: the accent).
 * @cssprop --privacy-chat-focus - The focus ring (default: the accent).
 * @cssprop --privacy-chat-error - Error text and borders.
 * @cssprop --privacy-chat-font - Font family.
 * @cssprop --privacy-chat-radius - Corner radius.
 * @cssprop --privacy-chat-width - Panel width on wide screens.
 * @cssprop --privacy-chat-height - Panel height on wide screens.
 * @cssprop --privacy-chat-offset - Distance from the viewport corner.
 * @cssprop --privacy-chat-z-index - Stacking order.
 */
export class PrivacyChat extends LitElement {
  static override styles = styles;

  static override properties = {
    site: { type: String },
    api: { type: String },
    heading: { type: String },
    greeting: { type: String },
    suggestions: { converter: listConverter },
    position: { type: String, reflect: true },
    open: { type: Boolean, reflect: true },
    lang: { type: String },
    strings: { converter: jsonConverter },
    noStorage: { type: Boolean, attribute: "no-storage" },
    messages: { state: true },
    asking: { state: true },
    unfolded: { state: true },
    expandedSources: { state: true },
    intakeRight: { state: true },
    announcement: { state: true },
  };

  /** The policy folder to answer from, e.g. "altoros". */
  declare site: string;
  /** Base URL of the API; defaults to the origin widget.js was loaded from. */
  declare api: string;
  /** Panel title (named `heading` because a `title` attribute would put a tooltip over the whole widget). */
  declare heading: string | undefined;
  /** First message in an empty conversation. */
  declare greeting: string | undefined;
  /** Suggested questions shown at the start. */
  declare suggestions: string[] | undefined;
  /** "bottom-right" (default) or "bottom-left". */
  declare position: "bottom-right" | "bottom-left";
  declare open: boolean;
  /** Overrides for any of the widget's words, as JSON (see DEFAULT_STRINGS). */
  declare strings: unknown;
  /** Keep nothing, not even in sessionStorage. */
  declare noStorage: boolean;

  declare private messages: ChatMessage[];
  declare private asking: boolean;
  /** Long answers the visitor unfolded, by message id. */
  declare private unfolded: ReadonlySet<number>;
  /** Sources whose excerpt is open, by "message-number". */
  declare private expandedSources: ReadonlySet<string>;
  /** The right the request form was opened for; undefined while the form is closed. */
  declare private intakeRight: RequestKind | undefined;
  private intakeQuestion = "";
  declare private announcement: string;

  private text: ChatStrings = DEFAULT_STRINGS;
  /** The UI strings of the page's language, once loaded; undefined for English. */
  private translation: ChatStrings | undefined;
  private languageLoaded: string | undefined = "\u0000";
  private askController: AbortController | undefined;
  private loadedFor: string | undefined;
  /** One rendered element per answer, so re-renders move it rather than parse the Markdown again. */
  private readonly renderedAnswers = new Map<string, HTMLElement>();
  private focusAfterUpdate: string | undefined;
  private scrollAfterUpdate = false;

  constructor() {
    super();
    this.site = "";
    this.api = "";
    this.heading = undefined;
    this.greeting = undefined;
    this.suggestions = undefined;
    this.position = "bottom-right";
    this.open = false;
    this.strings = undefined;
    this.noStorage = false;
    this.messages = [];
    this.asking = false;
    this.unfolded = new Set();
    this.expandedSources = new Set();
    this.intakeRight = undefined;
    this.announcement = "";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.askController?.abort();
  }

  protected override willUpdate(changed: PropertyValues): void {
    const language = this.locale;
    if (language !== this.languageLoaded) {
      this.languageLoaded = language;
      void loadStrings(language).then((translation) => {
        if (this.languageLoaded !== language) return;
        this.translation = translation;
        this.text = mergeStrings(this.strings, translation);
        this.requestUpdate();
      });
    }
    if (changed.has("strings")) this.text = mergeStrings(this.strings, this.translation);
    if ((changed.has("site") || changed.has("noStorage")) && this.loadedFor !== this.site) {
      this.loadedFor = this.site;
      this.messages = loadConversation(this.storage, this.site);
    }
    if (changed.has("messages") && changed.get("messages") !== undefined) {
      saveConversation(this.storage, this.site, this.messages);
      this.scrollAfterUpdate = true;
    }
    if (changed.has("open") && this.open) {
      this.scrollAfterUpdate = true;
      void loadClient().catch(() => {});
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has("open") && changed.get("open") !== undefined) {
      this.focusAfterUpdate ??= this.open ? "#question" : ".launcher";
    }
    if (this.scrollAfterUpdate) {
      this.scrollAfterUpdate = false;
      const body = this.renderRoot.querySelector<HTMLElement>(".body");
      const newest = [...this.renderRoot.querySelectorAll<HTMLElement>("li.visitor")].pop();
      // Show the newest question with the start of its answer, not the end of a long list of sources.
      if (body) {
        body.scrollTop = newest ? newest.offsetTop - 12 : body.scrollHeight;
      }
    }
    if (this.focusAfterUpdate) {
      const target = this.renderRoot.querySelector<HTMLElement>(this.focusAfterUpdate);
      this.focusAfterUpdate = undefined;
      target?.focus();
    }
  }

  /** Opens the panel and moves focus into the question field. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel and returns focus to the launcher. */
  hide(): void {
    this.open = false;
  }

  private get storage(): Storage | undefined {
    if (this.noStorage) return undefined;
    try {
      return window.sessionStorage;
    } catch {
      return undefined;
    }
  }

  private get apiBase(): string {
    return this.api || SCRIPT_ORIGIN;
  }

  override render(): TemplateResult {
    const t = this.text;
    return html`
      <button
        part="launcher"
        class="launcher"
        type="button"
        aria-expanded=${this.open ? "true" : "false"}
        aria-controls="panel"
        aria-label=${this.open ? t.closeLabel : nothing}
        @click=${this.open ? this.hide : this.show}
      >
        <svg class="icon-open" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
          <path d="M4 5h16v11H9l-5 4z" stroke-linejoin="round" />
          <path d="M12 7.5l3 1.2v2c0 1.9-1.3 3.3-3 3.8-1.7-.5-3-1.9-3-3.8v-2z" stroke-linejoin="round" />
        </svg>
        <svg class="icon-close" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.5">
          <path d="M6 6l12 12M18 6L6 18" stroke-linecap="round" />
        </svg>
        <span>${t.openLabel}</span>
      </button>
      <section
        part="panel"
        class="panel"
        id="panel"
        role="dialog"
        aria-labelledby="heading"
        ?hidden=${!this.open}
        @keydown=${this.onPanelKeydown}
      >
        <header part="header">
          <slot name="logo"></slot>
          <h2 id="heading">${this.heading ?? t.heading}</h2>
          <button part="close" class="close" type="button" aria-label=${t.closeLabel} @click=${this.hide}>
            <span aria-hidden="true">×</span>
          </button>
        </header>
        <div class="body">
          <ol part="log" class="log" aria-label=${this.heading ?? t.heading}>
            <li part="message assistant-message" class="bubble assistant">${this.greeting ?? t.greeting}</li>
            ${this.messages.map((message) => this.renderMessage(message))}
            ${this.asking ? html`<li class="bubble assistant spinner" aria-hidden="true">${t.thinking}</li>` : nothing}
          </ol>
          ${this.messages.length === 0 && !this.asking ? this.renderSuggestions() : nothing}
          ${
            this.intakeRight
              ? html`<privacy-chat-intake
                  .site=${this.site}
                  .api=${this.apiBase}
                  .right=${this.intakeRight}
                  .question=${this.intakeQuestion}
                  .locale=${this.locale}
                  .strings=${this.text}
                  exportparts="intake"
                  @privacy-chat-intake-announce=${(event: CustomEvent<string>) => {
                    this.announcement = event.detail;
                  }}
                  @privacy-chat-intake-close=${this.closeIntake}
                ></privacy-chat-intake>`
              : nothing
          }
        </div>
        <form class="composer" ?hidden=${this.intakeRight !== undefined} @submit=${this.onAskSubmit}>
          <label class="visually-hidden" for="question">${t.inputLabel}</label>
          <textarea
            part="input"
            id="question"
            name="question"
            rows="1"
            maxlength=${MAX_QUESTION_LENGTH}
            autocomplete="off"
            placeholder=${t.inputPlaceholder}
            @keydown=${this.onQuestionKeydown}
          ></textarea>
          <button part="send" class="primary" type="submit" aria-disabled=${this.asking ? "true" : "false"}>${t.send}</button>
        </form>
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      </section>
    `;
  }

  private renderSuggestions(): TemplateResult {
    const suggestions = this.suggestions ?? DEFAULT_SUGGESTIONS;
    return html`
      <div class="suggestions-block" role="group" aria-label=${this.text.suggestionsLabel}>
        <ul class="suggestions">
          ${suggestions.map(
            (question) => html`<li>
              <button part="suggestion" class="secondary" type="button" @click=${() => this.ask(question)}>${question}</button>
            </li>`,
          )}
        </ul>
      </div>
    `;
  }

  private renderMessage(message: ChatMessage): TemplateResult {
    const t = this.text;
    if (message.role === "visitor") {
      return html`<li part="message visitor-message" class="bubble visitor">${message.text}</li>`;
    }
    if (message.role === "error") {
      return html`<li part="message error-message" class="bubble error-message">
        <p>${message.text}</p>
        <button class="secondary" type="button" @click=${() => this.ask(message.question, message.id)}>${t.retry}</button>
      </li>`;
    }
    const cards = citationCards(message.citations, quotedText(message.text));
    const right = offeredRight(message);
    const long = message.text.length > LONG_ANSWER;
    const unfolded = this.unfolded.has(message.id);
    return html`<li part="message assistant-message" class="bubble assistant" data-kind=${message.kind}>
      <div class=${long && !unfolded ? "answer-wrap folded" : "answer-wrap"} id=${`answer-${message.id}`}>
        ${this.answerElement(message)}
      </div>
      ${
        long
          ? html`<button class="link-button" type="button" aria-expanded=${unfolded ? "true" : "false"}
              aria-controls=${`answer-${message.id}`} @click=${() => this.toggle("unfolded", message.id)}>
              ${unfolded ? t.showLess : t.showMore}
            </button>`
          : nothing
      }
      ${
        cards.length > 0
          ? html`<p class="citations-label" id=${`sources-${message.id}`}>${t.sourcesLabel}</p>
            <ol class="citations" aria-labelledby=${`sources-${message.id}`}>
              ${cards.map((card) => {
                const key = `${message.id}-${card.number}`;
                const expanded = this.expandedSources.has(key);
                return html`<li part="citation" class="citation">
                  <div class="citation-head">
                    <span class="citation-number" aria-hidden="true">${card.number}</span>
                    <span class="citation-name">
                      ${
                        card.href
                          ? html`<a class="citation-title" href=${card.href} target="_blank" rel="noopener noreferrer"
                            ><span class="visually-hidden">${card.number}. </span>${card.title}<span class="visually-hidden">
                              (${t.openSource})</span
                            ></a
                          >`
                          : html`<span class="citation-title">${card.title}</span>`
                      }
                      ${card.section ? html`<span class="citation-section">${card.section}</span>` : nothing}
                    </span>
                    <button
                      class="excerpt-toggle"
                      type="button"
                      aria-expanded=${expanded ? "true" : "false"}
                      aria-controls=${`excerpt-${key}`}
                      aria-label=${fill(t.showExcerpt, card.number)}
                      @click=${() => this.toggle("expandedSources", key)}
                    >
                      <span class="chevron" aria-hidden="true"></span>
                    </button>
                  </div>
                  <blockquote id=${`excerpt-${key}`} ?hidden=${!expanded}>${excerptContent(card)}</blockquote>
                </li>`;
              })}
            </ol>`
          : nothing
      }
      ${
        message.kind === "no_answer" && !this.intakeRight
          ? html`<div class="row">
            <button class="secondary" type="button" @click=${() => this.openIntake("enquiry", true, questionBefore(this.messages, message.id))}>
              ${t.askTeam}
            </button>
          </div>`
          : nothing
      }
      ${
        right && !(message.kind === "rights_request" && this.intakeRight)
          ? html`<div class="row">
            <button class="secondary" type="button" @click=${() => this.openIntake(right)}>
              ${fill(t.startRequest, t.rights[right])}
            </button>
          </div>`
          : nothing
      }
      ${message.kind === "answer" ? this.renderFeedback(message) : nothing}
    </li>`;
  }

  private renderFeedback(message: AssistantMessage): TemplateResult {
    const t = this.text;
    const button = (verdict: Verdict, label: string) =>
      html`<button
        class="icon-button"
        type="button"
        aria-label=${label}
        aria-pressed=${message.feedback === verdict ? "true" : "false"}
        aria-disabled=${message.feedback !== undefined ? "true" : "false"}
        @click=${() => this.sendFeedback(message, verdict)}
      >
        <svg class=${`thumb ${verdict}`} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"
          stroke-linecap="round" stroke-linejoin="round">
          <path d="M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.3a2 2 0 0 0 2-1.7l1.4-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3" />
        </svg>
      </button>`;
    return html`<div class="row feedback" role="group" aria-label=${t.feedbackQuestion}>
      ${message.feedback ? html`<span>${t.feedbackThanks}</span>` : html`<span aria-hidden="true">${t.feedbackQuestion}</span>`}
      ${button("up", t.feedbackUp)} ${button("down", t.feedbackDown)}
    </div>`;
  }

  /** The widget's `lang` attribute, else the page's language. */
  private get locale(): string | undefined {
    return this.closest("[lang]")?.getAttribute("lang") || undefined;
  }

  private answerElement(message: AssistantMessage): HTMLElement {
    const key = `${message.id}\u0000${message.text}`;
    let rendered = this.renderedAnswers.get(key);
    if (!rendered) {
      rendered = renderMarkdown(message.text);
      // A no-answer reply is the contact block: the privacy contact appears there and nowhere else.
      rendered.className = message.kind === "no_answer" ? "answer contact" : "answer";
      this.renderedAnswers.set(key, rendered);
    }
    return rendered;
  }

  private onPanelKeydown(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      event.stopPropagation();
      this.hide();
    }
  }

  private onQuestionKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  private onAskSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>("#question");
    if (!input || this.asking || !input.value.trim()) return;
    const question = input.value;
    input.value = "";
    void this.ask(question);
  }

  private async ask(rawQuestion: string, retryOf?: number): Promise<void> {
    const question = rawQuestion.trim();
    if (!question || this.asking) return;
    this.messages = retryOf === undefined ? addQuestion(this.messages, question) : withoutMessage(this.messages, retryOf);
    this.asking = true;
    this.announcement = "";
    this.askController?.abort();
    const controller = new AbortController();
    this.askController = controller;
    try {
      // The reply is typed by the contract, and still checked before it is trusted: the server may be another version.
      const { apiClient, parseResponse } = await loadClient();
      const reply = parseAskReply(
        await parseResponse(
          apiClient({ base: this.apiBase }).api.ask.$post({ json: { question, site: this.site } }, { init: { signal: controller.signal } }),
        ),
      );
      if (!reply) throw new ApiError(502, "BAD_REPLY", "");
      this.messages = addReply(this.messages, reply);
      this.announcement = `${this.text.answerAnnouncement} ${speakable(reply.text)}`;
      const right = reply.intake?.right ?? reply.right;
      if (reply.kind === "rights_request" && right) this.openIntake(right, false);
      this.emit<PrivacyChatAnswerDetail>("privacy-chat-answer", {
        question,
        kind: reply.kind,
        text: reply.text,
        citations: reply.citations,
        ...(right ? { right } : {}),
      });
    } catch (error) {
      if (controller.signal.aborted) return;
      const text = describeError(error, this.text);
      this.messages = addError(this.messages, text, question);
      this.announcement = text;
    } finally {
      if (this.askController === controller) {
        this.askController = undefined;
        this.asking = false;
      }
    }
  }

  private toggle<T>(key: "unfolded" | "expandedSources", item: T): void {
    const next = new Set<unknown>(this[key]);
    if (!next.delete(item)) next.add(item);
    this[key] = next as Set<never>;
  }

  private async sendFeedback(message: AssistantMessage, verdict: Verdict): Promise<void> {
    const current = this.messages.find((m) => m.id === message.id);
    if (current?.role !== "assistant" || current.feedback) return;
    this.messages = setFeedback(this.messages, message.id, verdict);
    try {
      const { apiClient } = await loadClient();
      await apiClient({ base: this.apiBase }).api.feedback.$post({
        json: {
          site: this.site,
          verdict,
          kind: message.kind,
          // The passage as the visitor saw it, so staff review a thumbs down against what was shown.
          citations: message.citations.map(({ title, section, url, text }) => ({ title, section, url, text: text.slice(0, 2000) })),
        },
      });
    } catch {
      // Feedback is a courtesy; a lost vote is not worth interrupting the visitor for.
    }
  }

  private openIntake(right: RequestKind, moveFocus = true, question = ""): void {
    const focus = moveFocus || this.open;
    // The form is loaded on demand (most visitors only ask questions); it is usable once its element is defined.
    void import("../privacy-chat-intake/index.js").then(async () => {
      const open = this.renderRoot.querySelector("privacy-chat-intake");
      if (open) open.offer(right, question);
      else {
        this.intakeRight = right;
        this.intakeQuestion = question;
        await this.updateComplete;
      }
      if (focus) this.renderRoot.querySelector("privacy-chat-intake")?.focus();
    });
  }

  private closeIntake(): void {
    this.intakeRight = undefined;
    this.focusAfterUpdate = "#question";
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

/** Answers longer than this fold behind "Show more". */
const LONG_ANSWER = 480;

/** The excerpt with the answer's quote marked, as text nodes (never HTML). */
function excerptContent(card: CitationCard): TemplateResult | string {
  if (!card.highlight) return card.quote;
  const [start, end] = card.highlight;
  return html`${card.quote.slice(0, start)}<mark>${card.quote.slice(start, end)}</mark>${card.quote.slice(end)}`;
}

/** The visitor's question an assistant message answers. */
function questionBefore(messages: readonly ChatMessage[], id: number): string {
  const index = messages.findIndex((message) => message.id === id);
  const question = messages
    .slice(0, index)
    .reverse()
    .find((message) => message.role === "visitor");
  return question?.text ?? "";
}

declare global {
  interface HTMLElementTagNameMap {
    "privacy-chat": PrivacyChat;
  }
  interface HTMLElementEventMap {
    "privacy-chat-answer": CustomEvent<PrivacyChatAnswerDetail>;
  }
}

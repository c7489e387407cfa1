import { css } from "lit";
import { controls, tokens } from "./controls.styles.js";

/**
 * Colours are chosen for at least 4.5:1 contrast in both schemes; a host page that overrides the
 * --privacy-chat-* properties takes that responsibility over.
 */
export const styles = [
  tokens,
  controls,
  css`
  :host {
    display: flex;
    flex-direction: column-reverse;
    align-items: flex-end;
    gap: 12px;
    position: fixed;
    z-index: var(--privacy-chat-z-index, 2147483000);
    bottom: var(--_offset);
    right: var(--_offset);
    font-family: var(--privacy-chat-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    font-size: 15px;
    line-height: 1.5;
    color: var(--_text);
  }
  :host([position="bottom-left"]) {
    align-items: flex-start;
    right: auto;
    left: var(--_offset);
  }
  .launcher {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 52px;
    padding: 0 20px 0 16px;
    border: 2px solid transparent;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.25);
  }
  .launcher svg {
    width: 22px;
    height: 22px;
    flex: none;
  }
  /* While the panel is open the launcher is its close button: a round × under the panel. */
  :host([open]) .launcher {
    width: 52px;
    padding: 0;
    justify-content: center;
  }
  .launcher .icon-close,
  :host([open]) .launcher .icon-open,
  :host([open]) .launcher span {
    display: none;
  }
  :host([open]) .launcher .icon-close {
    display: block;
  }
  .panel {
    display: flex;
    flex-direction: column;
    width: min(var(--_width), calc(100vw - 2 * var(--_offset)));
    height: min(var(--_height), calc(100vh - 2 * var(--_offset) - 64px));
    height: min(var(--_height), calc(100dvh - 2 * var(--_offset) - 64px));
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.3);
    overflow: hidden;
  }
  @media (prefers-reduced-motion: no-preference) {
    .panel {
      animation: rise 160ms ease-out;
    }
    @keyframes rise {
      from {
        opacity: 0;
        transform: translateY(12px);
      }
    }
  }
  @media (max-width: 520px) {
    :host([open]) {
      inset: 0;
    }
    :host([open]) .launcher {
      display: none;
    }
    :host([open]) .panel {
      width: 100vw;
      height: 100vh;
      height: 100dvh;
      border: 0;
      border-radius: 0;
    }
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 10px 10px 10px 18px;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  header ::slotted([slot="logo"]) {
    flex: none;
    max-height: 32px;
    max-width: 96px;
  }
  h2 {
    flex: 1;
    min-width: 0;
    margin: 0;
    font-size: 1.05rem;
    overflow-wrap: anywhere;
  }
  .close {
    flex: none;
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    border: 0;
    border-radius: 8px;
    background: transparent;
    color: inherit;
    font-size: 26px;
    line-height: 1;
  }
  /* On a wide screen the launcher below the panel closes it; a full-screen panel on a phone needs its own button. */
  @media (min-width: 521px) {
    .close {
      display: none;
    }
  }
  .close:focus-visible {
    outline-color: var(--_accent-text);
    outline-offset: -4px;
  }
  .body {
    position: relative;
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .log {
    padding: 16px;
    margin: 0;
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  .suggestions-block {
    padding: 0 16px 16px;
  }
  .bubble {
    max-width: 92%;
    padding: 10px 14px;
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  .visitor {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_accent-text);
    white-space: pre-wrap;
  }
  .assistant,
  .error-message {
    align-self: flex-start;
    background: var(--_surface);
  }
  .error-message {
    border-left: 4px solid var(--_error);
  }
  .answer > :first-child {
    margin-top: 0;
  }
  .answer > :last-child {
    margin-bottom: 0;
  }
  .answer p,
  .answer ul,
  .answer ol {
    margin: 0 0 8px;
  }
  .answer h3,
  .answer h4,
  .answer h5,
  .answer h6 {
    font-size: 1rem;
    margin: 8px 0 4px;
  }
  .answer blockquote {
    margin: 0 0 8px;
    padding-left: 10px;
    border-left: 3px solid var(--_border);
  }
  .answer pre {
    white-space: pre-wrap;
  }
  a {
    color: var(--_link);
    text-underline-offset: 2px;
  }
  .assistant a {
    color: var(--_link);
  }
  .citations {
    list-style: none;
    margin: 4px 0 0;
    padding: 0;
    display: grid;
    /* minmax(0, …): a long title is cut with an ellipsis instead of widening the bubble. */
    grid-template-columns: minmax(0, 1fr);
    gap: 4px;
  }
  .citations-label {
    margin: 10px 0 0;
    font-size: 0.85rem;
    font-weight: 600;
    color: var(--_muted);
  }
  .citation {
    padding: 2px 4px 2px 8px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    font-size: 0.9rem;
  }
  .citation-head {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  /* Title over section, one line each, cut with an ellipsis: a source takes two short lines. */
  .citation-name {
    flex: 1;
    min-width: 0;
    display: grid;
    line-height: 1.35;
  }
  .citation-name > * {
    display: block;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  /* An answer with sources takes the bubble's full width, so titles and sections have room. */
  li.assistant[data-kind="answer"],
  li.assistant[data-kind="rights_request"] {
    width: 92%;
  }
  .citation-number {
    flex: none;
    min-width: 1.6em;
    padding: 0 4px;
    border-radius: 4px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 700;
    text-align: center;
    font-size: 0.8rem;
  }
  .citation-title {
    font-weight: 600;
  }
  .citation-section {
    color: var(--_muted);
    font-size: 0.85rem;
  }
  .excerpt-toggle {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border: 0;
    border-radius: 6px;
    background: transparent;
    color: var(--_link);
  }
  /* Drawn with borders: a source card holds no SVG, so the hostile-policy test can tell policy text from icons. */
  .chevron {
    width: 9px;
    height: 9px;
    margin-top: -4px;
    border-right: 2.5px solid currentColor;
    border-bottom: 2.5px solid currentColor;
    transform: rotate(45deg);
  }
  .excerpt-toggle[aria-expanded="true"] .chevron {
    margin-top: 4px;
    transform: rotate(225deg);
  }
  .citation blockquote mark {
    background: color-mix(in srgb, var(--_accent) 22%, transparent);
    color: inherit;
    font-weight: 600;
  }
  .answer-wrap.folded {
    max-height: 11em;
    overflow: hidden;
    mask-image: linear-gradient(to bottom, #000 70%, transparent);
  }
  .link-button {
    margin-top: 4px;
    padding: 4px 0;
    border: 0;
    background: none;
    color: var(--_link);
    font-weight: 600;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .citation blockquote {
    margin: 4px 0 6px;
    padding-left: 8px;
    border-left: 3px solid var(--_border);
    color: var(--_text);
  }
  .feedback {
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .icon-button {
    min-width: 44px;
    min-height: 36px;
    padding: 2px 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    font-size: 1rem;
  }
  .thumb {
    width: 18px;
    height: 18px;
    vertical-align: middle;
  }
  /* Emoji fonts are missing on many systems; a drawn thumb turned over reads the same everywhere. */
  .thumb.down {
    transform: rotate(180deg);
  }
  .icon-button[aria-pressed="true"] {
    background: var(--_accent);
    color: var(--_accent-text);
    border-color: var(--_accent);
  }
  .suggestions {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 8px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .suggestions .secondary {
    text-align: left;
    font-weight: 500;
  }
  .muted {
    color: var(--_muted);
    font-size: 0.9rem;
  }
  .composer {
    display: flex;
    gap: 8px;
    padding: 12px;
    border-top: 1px solid var(--_border);
    background: var(--_bg);
  }
  .composer textarea {
    flex: 1;
    resize: none;
    max-height: 120px;
  }
  .spinner {
    font-style: italic;
    color: var(--_muted);
  }

  `,
];

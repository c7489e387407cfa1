import { css } from "lit";

/**
 * The colour tokens, read from the --privacy-chat-* properties a host page may set. Custom properties
 * inherit through shadow roots, so the widget's inner elements repeat this block and resolve the same values.
 * Colours are chosen for at least 4.5:1 contrast in both schemes; a host page that overrides the
 * --privacy-chat-* properties takes that responsibility over.
 */
export const tokens = css`
  :host {
    --_bg: var(--privacy-chat-background, #ffffff);
    --_text: var(--privacy-chat-text, #1b1d21);
    --_muted: var(--privacy-chat-muted, #4d5562);
    --_surface: var(--privacy-chat-surface, #f1f3f6);
    --_border: var(--privacy-chat-border, #8a93a0);
    --_accent: var(--privacy-chat-accent, #1d4ed8);
    --_accent-text: var(--privacy-chat-accent-text, #ffffff);
    --_link: var(--privacy-chat-link, var(--privacy-chat-accent, #1d4ed8));
    --_focus: var(--privacy-chat-focus, var(--privacy-chat-accent, #1d4ed8));
    --_error: var(--privacy-chat-error, #b91c1c);
    --_radius: var(--privacy-chat-radius, 12px);
    --_width: var(--privacy-chat-width, 400px);
    --_height: var(--privacy-chat-height, 640px);
    --_offset: var(--privacy-chat-offset, 20px);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--privacy-chat-background, #16181d);
      --_text: var(--privacy-chat-text, #eef0f3);
      --_muted: var(--privacy-chat-muted, #b3bac5);
      --_surface: var(--privacy-chat-surface, #242830);
      --_border: var(--privacy-chat-border, #7d8694);
      --_accent: var(--privacy-chat-accent, #8ab4ff);
      --_accent-text: var(--privacy-chat-accent-text, #0b1020);
      --_link: var(--privacy-chat-link, var(--privacy-chat-accent, #9cc2ff));
      --_focus: var(--privacy-chat-focus, var(--privacy-chat-accent, #8ab4ff));
      --_error: var(--privacy-chat-error, #fca5a5);
    }
  }
`;

/** Buttons, fields and focus rings shared by the chat panel and the request form. */
export const controls = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  /* Busy buttons stay focusable (aria-disabled, not disabled) so keyboard focus is never dropped. */
  button[aria-disabled="true"] {
    cursor: not-allowed;
    opacity: 0.7;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-top: 10px;
  }
  .secondary {
    min-height: 40px;
    padding: 6px 14px;
    border: 1px solid var(--_accent);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_link);
    font-weight: 600;
  }
  .primary {
    min-height: 44px;
    padding: 8px 18px;
    border: 2px solid var(--_accent);
    border-radius: 8px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 600;
  }
  input,
  textarea,
  select {
    width: 100%;
    min-height: 44px;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    /* 16px keeps iOS Safari from zooming into a field. */
    font-size: 16px;
  }
  ::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
`;

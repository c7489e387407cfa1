import { css } from "lit";
import { controls, tokens } from "../privacy-chat/controls.styles.js";

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
    }
  .intake {
    margin: 0 16px 16px;
    padding: 14px;
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  .intake h3 {
    margin: 0 0 8px;
    font-size: 1rem;
  }
  .intake h3:focus {
    outline: none;
  }
  /* The primary action stays in view at the bottom of the panel however long the form is. */
  .actions {
    position: sticky;
    bottom: 0;
    padding: 8px 0 2px;
    background: var(--_bg);
  }
  /* The code step's three actions: one row of equal buttons, full width each on a phone. */
  .code-actions {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    align-items: stretch;
  }
  .code-actions button {
    padding: 6px 8px;
    font-size: 0.9rem;
    line-height: 1.25;
  }
  @media (max-width: 520px) {
    .code-actions {
      grid-template-columns: 1fr;
    }
  }
  .field {
    display: grid;
    gap: 4px;
    margin-bottom: 10px;
  }
  .field label {
    font-weight: 600;
    font-size: 0.9rem;
  }
  .field-error,
  .form-error {
    color: var(--_error);
    font-size: 0.9rem;
  }
  .form-error:empty {
    display: none;
  }
  [aria-invalid="true"] {
    border: 2px solid var(--_error);
  }
  .notice {
    margin: 0 0 10px;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  `,
];

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

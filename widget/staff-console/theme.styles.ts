import { css } from "lit";

/** What every console element shares: type, controls, tables, focus ring, badges, the visually hidden helper. */
export const themeStyles = css`
  :host {
    display: block;
    color: var(--staff-text);
    font-family: var(--staff-font);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h2 {
    font-size: 1.375rem;
    margin: 0 0 1rem;
  }
  h3 {
    font-size: 1.0625rem;
    margin: 1.5rem 0 0.5rem;
  }
  a {
    color: var(--staff-accent);
  }
  :focus-visible {
    outline: 3px solid var(--staff-focus);
    outline-offset: 2px;
  }
  [tabindex="-1"]:focus {
    outline: none;
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  input,
  select,
  textarea,
  button {
    font: inherit;
    font-size: 1rem;
    color: inherit;
  }
  input[type="text"],
  input[type="search"],
  input[type="password"],
  select,
  textarea {
    background: var(--staff-bg);
    border: 1px solid var(--staff-border);
    border-radius: 6px;
    padding: 0.45rem 0.6rem;
    min-height: 2.5rem;
  }
  textarea {
    width: 100%;
    min-height: 5rem;
    resize: vertical;
  }
  button {
    cursor: pointer;
    border-radius: 6px;
    padding: 0.45rem 0.9rem;
    min-height: 2.5rem;
    border: 1px solid var(--staff-accent);
    background: var(--staff-bg);
    color: var(--staff-accent);
    font-weight: 600;
  }
  button.primary {
    background: var(--staff-accent);
    color: var(--staff-accent-text);
  }
  button.danger {
    border-color: var(--staff-danger);
    color: var(--staff-danger);
  }
  button[disabled] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  /* Wide tables scroll inside their box; "relative" keeps hidden captions inside it too. */
  .table-wrap {
    position: relative;
    overflow-x: auto;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem 0.6rem;
    border-bottom: 1px solid var(--staff-border);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    white-space: nowrap;
  }
  .muted {
    color: var(--staff-muted);
  }
  .error {
    color: var(--staff-danger);
    font-weight: 600;
  }
  .badge {
    --status: var(--staff-border);
    display: inline-block;
    padding: 0 0.5rem;
    border: 1px solid var(--status);
    border-left-width: 6px;
    border-radius: 999px;
    font-size: 0.875rem;
    white-space: nowrap;
  }
  /* Statuses differ by colour and by a glyph as well as by their words, never by colour alone. */
  .badge::before {
    color: var(--status);
    font-weight: 700;
    margin-right: 0.3em;
  }
  .badge[data-status="identity_unverified"] {
    --status: #a16207;
  }
  .badge[data-status="identity_unverified"]::before {
    content: "?";
  }
  .badge[data-status="pending"] {
    --status: #1d4ed8;
  }
  .badge[data-status="pending"]::before {
    content: "○";
  }
  .badge[data-status="in_progress"] {
    --status: #7c3aed;
  }
  .badge[data-status="in_progress"]::before {
    content: "▶";
  }
  .badge[data-status="completed"] {
    --status: #15803d;
  }
  .badge[data-status="completed"]::before {
    content: "✓";
  }
  .badge[data-status="denied"] {
    --status: #b91c1c;
  }
  .badge[data-status="denied"]::before {
    content: "✕";
  }
  .badge[data-status="canceled"]::before,
  .badge[data-status="closed_unverified"]::before {
    content: "–";
  }
  @media (prefers-color-scheme: dark) {
    .badge[data-status="identity_unverified"] {
      --status: #facc15;
    }
    .badge[data-status="pending"] {
      --status: #93c5fd;
    }
    .badge[data-status="in_progress"] {
      --status: #c4b5fd;
    }
    .badge[data-status="completed"] {
      --status: #86efac;
    }
    .badge[data-status="denied"] {
      --status: #fca5a5;
    }
  }
  .overdue {
    color: var(--staff-danger);
    font-weight: 700;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: flex-end;
  }
`;

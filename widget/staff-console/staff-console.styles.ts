import { css } from "lit";

export const consoleStyles = css`
  :host {
    min-height: 100vh;
  }
  .skip {
    position: absolute;
    left: 0.5rem;
    top: -3rem;
    background: var(--staff-bg);
    padding: 0.5rem 0.75rem;
    z-index: 1;
  }
  .skip:focus {
    top: 0.5rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1.5rem;
    padding: 0.75rem 1.5rem;
    border-bottom: 1px solid var(--staff-border);
    background: var(--staff-surface);
  }
  header h1 {
    font-size: 1.125rem;
    margin: 0;
  }
  nav ul {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  nav a {
    display: inline-block;
    padding: 0.4rem 0.75rem;
    border-radius: 6px;
    text-decoration: none;
    color: var(--staff-text);
    font-weight: 600;
  }
  nav a[aria-current="page"] {
    background: var(--staff-accent);
    color: var(--staff-accent-text);
  }
  header .sign-out {
    margin-left: auto;
  }
  main {
    padding: 1.25rem 1.5rem 3rem;
    max-width: 75rem;
  }
`;

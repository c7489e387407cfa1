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
    border-bottom: 1px solid var(--staff-border);
    background: var(--staff-surface);
  }
  /* The header's content and the page's share one column, so their edges line up at every width. */
  header .bar,
  main {
    max-width: 75rem;
    margin: 0 auto;
    padding-left: 1.5rem;
    padding-right: 1.5rem;
  }
  /* Title and sign-out on the first line, the views under them: one layout from desk to phone, never ragged. */
  header .bar {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: center;
    gap: 0.5rem 1.5rem;
    padding-top: 0.75rem;
    padding-bottom: 0.5rem;
  }
  header nav {
    grid-column: 1 / -1;
    grid-row: 2;
    min-width: 0;
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
  main {
    padding-top: 1.25rem;
    padding-bottom: 3rem;
  }
  /* On a phone the views stay on one line that scrolls sideways on its own; the page never does. */
  @media (max-width: 600px) {
    header .bar,
    main {
      padding-left: 1rem;
      padding-right: 1rem;
    }
    header h1 {
      font-size: 1rem;
    }
    nav ul {
      flex-wrap: nowrap;
      overflow-x: auto;
      scrollbar-width: thin;
      padding-bottom: 0.25rem;
    }
    nav a {
      display: block;
      white-space: nowrap;
      padding: 0.4rem 0.6rem;
    }
  }
`;

import { escapeHtml } from "../contract/html.js";
import type { SiteInfo } from "../knowledge/types.js";

type DemoSite = Pick<SiteInfo, "site" | "title" | "organization" | "url" | "contact">;

export interface DemoPageOptions {
  sites: DemoSite[];
  current: DemoSite | undefined;
  /** Allows the page's one inline <style> under the Content-Security-Policy. */
  nonce: string;
}

/**
 * A plain mock company page with the widget on it, as a host site would embed it, plus links that
 * show the same page for every other site in the corpus.
 */
export function demoPage({ sites, current, nonce }: DemoPageOptions): string {
  const name = current?.organization || current?.site || "Example Company";
  const otherSites = sites
    .map((entry) =>
      entry.site === current?.site
        ? `<li><strong aria-current="page">${escapeHtml(entry.organization || entry.site)}</strong></li>`
        : `<li><a href="/?site=${encodeURIComponent(entry.site)}">${escapeHtml(entry.organization || entry.site)}</a></li>`,
    )
    .join("\n          ");
  const widget = current
    ? `<privacy-chat site="${escapeHtml(current.site)}" heading="${escapeHtml(`${name} privacy assistant`)}"></privacy-chat>`
    : "";
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <link rel="icon" href="data:," />
    <title>${escapeHtml(name)} · privacy assistant demo</title>
    <style nonce="${nonce}">
      :root { color-scheme: light dark; --ink: #1b1d21; --paper: #ffffff; --soft: #f1f3f6; --line: #c9ced6; --link: #1d4ed8; }
      @media (prefers-color-scheme: dark) { :root { --ink: #eef0f3; --paper: #111318; --soft: #1c1f26; --line: #3a404b; --link: #9cc2ff; } }
      body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--paper); }
      a { color: var(--link); }
      header, main, footer { max-width: 960px; margin: 0 auto; padding: 0 24px; }
      header { display: flex; align-items: center; justify-content: space-between; gap: 16px; flex-wrap: wrap; padding-block: 18px; border-bottom: 1px solid var(--line); }
      .brand { font-weight: 700; font-size: 1.2rem; }
      nav ul { display: flex; gap: 18px; list-style: none; margin: 0; padding: 0; }
      .hero { padding-block: 48px 24px; }
      .hero h1 { font-size: clamp(1.8rem, 4vw, 2.6rem); line-height: 1.2; margin: 0 0 12px; }
      .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 16px; padding-bottom: 32px; }
      .card { background: var(--soft); border-radius: 12px; padding: 18px; }
      .card h2 { font-size: 1.05rem; margin: 0 0 6px; }
      .note { border-left: 4px solid var(--link); background: var(--soft); padding: 12px 16px; border-radius: 4px; }
      footer { border-top: 1px solid var(--line); padding-block: 24px 120px; font-size: 0.95rem; }
      footer ul { padding-left: 20px; }
    </style>
  </head>
  <body>
    <header>
      <span class="brand">${escapeHtml(name)}</span>
      <nav aria-label="Main">
        <ul><li><a href="#services">Services</a></li><li><a href="#about">About</a></li><li><a href="#contact">Contact</a></li></ul>
      </nav>
    </header>
    <main>
      <section class="hero">
        <h1>Software that works for people</h1>
        <p>This is a mock company page. It exists to show the privacy assistant the way a visitor meets it: open the
          <strong>Ask about privacy</strong> button in the corner and ask how ${escapeHtml(name)} handles your data, or
          ask to have your data deleted.</p>
        ${
          current
            ? `<p class="note">Answers quote ${policyLink(current)}.
          Nothing here sets a cookie; the conversation stays in this tab.</p>`
            : `<p class="note">The corpus has no sites yet: add a folder under corpus/ and restart.</p>`
        }
      </section>
      <section id="services" class="cards" aria-label="Services">
        <div class="card"><h2>Consulting</h2><p>We help teams plan, build and run their products.</p></div>
        <div class="card"><h2>Engineering</h2><p>Dedicated teams for web, mobile and data work.</p></div>
        <div class="card"><h2 id="about">About us</h2><p>An example company page; the text is filler.</p></div>
      </section>
    </main>
    <footer id="contact">
      <p>${current?.contact ? `Privacy contact: ${escapeHtml(current.contact)}` : "Privacy contact: see the policy."}</p>
      <p>The same page for another site:</p>
      <nav aria-label="Sites">
        <ul>
          ${otherSites}
        </ul>
      </nav>
      <p><a href="/staff/">Staff console</a></p>
    </footer>
    ${widget}
    <script type="module" src="/widget.js"></script>
  </body>
</html>
`;
}

function policyLink(site: DemoSite): string {
  const title = escapeHtml(site.title || "the privacy policy");
  return /^https?:\/\//i.test(site.url) ? `<a href="${escapeHtml(site.url)}" rel="noopener noreferrer">${title}</a>` : title;
}

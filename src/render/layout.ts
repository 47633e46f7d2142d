/**
 * @module
 * The page frame shared by server-rendered pages: the same head and header as the static
 * dashboard shell (`public/dashboard.html`; keep the two in step), a main landmark, and the
 * scripts. Everything is served by buildcast itself: no CDN, no external fonts (SPEC 5).
 */
import { html, type SafeHtml } from './html.js';

export interface PageOptions {
  /** The document title, before " · buildcast". */
  title: string;
  /** The content of `<main>`. */
  main: SafeHtml;
  /** Set on `<body data-session-id>` so the client follows this one session (`/ws/<id>`). */
  sessionId?: string;
}

/**
 * htmx settings: no injected inline styles (the CSP allows none), no eval, no scripts from
 * swapped fragments, requests to this server only.
 */
export const HTMX_CONFIG =
  '{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true}';

/**
 * The Content-Security-Policy sent with every page: only buildcast's own scripts, styles and
 * socket. Framing is decided by the server's guard (no page may be framed but the overlay).
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/** A whole HTML document around `main`. */
export function renderPage({ title, main, sessionId }: PageOptions): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="dark light" />
        <meta name="htmx-config" content="${HTMX_CONFIG}" />
        <title>${title} · buildcast</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/styles.css" />
        <script src="/assets/htmx.min.js" defer></script>
        <script type="module" src="/assets/client/main.js"></script>
      </head>
      <body ${sessionId !== undefined && html`data-session-id="${sessionId}"`}>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/"><img src="/favicon.svg" alt="" width="24" height="24" /> buildcast</a>
          <div class="conn-wrap">
            <span
              id="connection"
              class="conn conn-connecting"
              data-conn="connecting"
              role="status"
              aria-live="polite"
              >Connecting…</span
            >
            <span id="heartbeat" class="heartbeat" aria-hidden="true"></span>
          </div>
        </header>
        <main id="main" tabindex="-1">${main}</main>
      </body>
    </html>`;
}

/** The page for a session id buildcast does not know. */
export function renderNotFoundPage(what: string): SafeHtml {
  return renderPage({
    title: 'Not found',
    main: html`<section class="not-found">
      <h1>Not found</h1>
      <p>buildcast has no ${what}. It may have been typed wrong, or come from another buildcast.</p>
      <p><a href="/">Back to the dashboard</a></p>
    </section>`,
  });
}

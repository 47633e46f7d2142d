/**
 * @module
 * Whole pages, each the one page shell (`public/dashboard.html`, parsed by ./page-shell.ts)
 * with its slots filled: the dashboard with its own content, the session page and the not-found
 * page with theirs. Everything is served by buildcast itself: no CDN, no external fonts (SPEC 5).
 */
import { DATA } from '../shared/dom.js';
import { listFragmentPath, tabsFragmentPath } from '../shared/paths.js';
import type { SessionTab } from '../shared/tabs.js';
import { html, type SafeHtml } from './html.js';
import { fillShell, type PageShell } from './page-shell.js';

/** The name every page's title ends with, and the dashboard's whole title. */
const SITE = 'buildcast';

export interface PageOptions {
  /** The document title, before " · buildcast"; the dashboard has none. */
  title?: string;
  /** The content of `<main>`. */
  main: SafeHtml;
  /** Set on `<body data-session-id>` so the client follows this one session (`/ws/<id>`). */
  sessionId?: string;
}

/**
 * The Content-Security-Policy sent with every page: only buildcast's own scripts, styles and
 * socket. Framing is decided by the server's guard (no page may be framed but the overlay).
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/** A whole page: the shell around `main`. */
export function renderPage(shell: PageShell, { title, main, sessionId }: PageOptions): SafeHtml {
  return fillShell(shell.page, {
    title: html`${title === undefined ? SITE : `${title} · ${SITE}`}`,
    'body-attributes': html`${sessionId !== undefined && html`${DATA.sessionId}="${sessionId}"`}`,
    main,
  });
}

/**
 * The dashboard on a tab: the shell's own content, whose tab bar and list fetch that tab's
 * fragments as soon as htmx loads, under the history banner.
 */
export function renderDashboardPage(shell: PageShell, tab: SessionTab, banner: SafeHtml): SafeHtml {
  const main = fillShell(shell.dashboard, {
    banner,
    'tabs-path': html`${tabsFragmentPath(tab)}`,
    'list-path': html`${listFragmentPath(tab)}`,
  });
  return renderPage(shell, { main });
}

/** The page for a session id buildcast does not know. */
export function renderNotFoundPage(shell: PageShell, what: string): SafeHtml {
  return renderPage(shell, {
    title: 'Not found',
    main: html`<section class="not-found">
      <h1>Not found</h1>
      <p>buildcast has no ${what}. It may have been typed wrong, or come from another buildcast.</p>
      <p><a href="/">Back to the dashboard</a></p>
    </section>`,
  });
}

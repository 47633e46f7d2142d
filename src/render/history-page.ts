/**
 * @module
 * The history page (SPEC 5 History): every stored run, searchable, filterable, sortable and
 * paged, with totals of what matches, tokens and cost by day and project, and checkboxes to
 * compare 2 to 10 runs. Filters and sort are a plain GET form and links, so every view has an
 * address; the selection is a form that opens `/compare` (src/client/history.ts keeps the order
 * in which runs were picked, so the first picked is the baseline).
 */
import type { Session } from '../shared/protocol.js';
import { DATA, IDS, QUERY, ROUTES } from '../shared/dom.js';
import { historyPath, sessionPath } from '../shared/paths.js';
import { formatDuration } from '../shared/format.js';
import type { RunTotalsReport } from '../core/run-totals.js';
import type { SessionPage, SessionTotals } from '../core/session-query.js';
import { stateBadge } from './card.js';
import { formatTokens, formatUsd } from './format.js';
import { fullStart, runName, shortStart } from './history-format.js';
import { html, type SafeHtml } from './html.js';
import { renderPage } from './layout.js';
import type { PageShell } from './page-shell.js';
import { renderRunTotals } from './run-totals-chart.js';
import {
  orderOf,
  renderFilters,
  sortOf,
  viewParams,
  type FilterView,
  type HistoryParams,
} from './history-filters.js';

export type { HistoryParams };

export interface HistoryView extends FilterView {
  /** The runs that match, or null when the query could not be read. */
  page: SessionPage | null;
  totals: RunTotalsReport | null;
  /** What is wrong with the query, in words. */
  problem: string | null;
  /** How many runs are stored in all (an empty history says so). */
  stored: number;
  /** A run just deleted, to say so. */
  deleted: string | null;
}

function summary(totals: SessionTotals): SafeHtml {
  const unpriced =
    totals.unpricedRuns > 0
      ? html` <span class="muted">(${totals.unpricedRuns} without a known price)</span>`
      : null;
  return html`<dl class="stats history-summary" aria-label="Totals of the runs shown">
    <div class="stat">
      <dt>Runs</dt>
      <dd>${totals.runs.toLocaleString('en-US')}</dd>
    </div>
    <div class="stat">
      <dt>Duration</dt>
      <dd>${formatDuration(totals.durationMs)}</dd>
    </div>
    <div class="stat">
      <dt>Tokens</dt>
      <dd>${formatTokens(totals.tokensTotal)}</dd>
    </div>
    <div class="stat">
      <dt>Cost</dt>
      <dd>${formatUsd(totals.costUsd)}${unpriced}</dd>
    </div>
  </dl>`;
}

/** A sortable column heading: a link to the same view sorted by it (the other way when it already is). */
function sortHeading(params: HistoryParams, key: string, label: string, numeric = true): SafeHtml {
  const current = sortOf(params) === key;
  const next = current && orderOf(params) === 'desc' ? 'asc' : 'desc';
  const aria = current ? (orderOf(params) === 'desc' ? 'descending' : 'ascending') : 'none';
  const arrow = current ? (orderOf(params) === 'desc' ? ' ↓' : ' ↑') : '';
  return html`<th scope="col" class="${numeric ? 'num' : ''}" aria-sort="${aria}">
    <a href="${historyPath(viewParams(params, { sort: key, order: next }))}">${label}${arrow}</a>
  </th>`;
}

function reached(session: Session): string {
  const count = session.phases.length;
  if (count === 0) return 'no phases';
  const last = session.phases[count - 1]!.name;
  return `${count} · ${last}`;
}

function row(session: Session): SafeHtml {
  const duration =
    session.endedAt === null ? null : Date.parse(session.endedAt) - Date.parse(session.startedAt);
  return html`<tr>
    <td class="pick">
      <input
        type="checkbox"
        name="${QUERY.ids}"
        value="${session.id}"
        ${DATA.runLabel}="${runName(session)}"
        aria-label="Select ${runName(session)}"
      />
    </td>
    <th scope="row"><a href="${sessionPath(session.id)}">${session.project}</a></th>
    <td>
      <time datetime="${session.startedAt}" title="${fullStart(session.startedAt)}"
        >${shortStart(session.startedAt)}</time
      >
    </td>
    <td class="num">
      ${duration === null || !Number.isFinite(duration) ? '—' : formatDuration(Math.max(0, duration))}
    </td>
    <td>${stateBadge(session.state)}</td>
    <td>${reached(session)}</td>
    <td class="num">${session.testIteration ?? 0}</td>
    <td class="num">${formatTokens(session.tokensTotal)}</td>
    <td class="num">${formatUsd(session.costUsd)}</td>
  </tr>`;
}

function pager(view: HistoryView, page: SessionPage): SafeHtml {
  const from = Number(view.params['cursor'] ?? 0) || 0;
  const shown = page.sessions.length;
  const first = from > 0 ? html`<a href="${historyPath(viewParams(view.params))}">← First page</a>` : null;
  const next =
    page.nextCursor !== null
      ? html`<a rel="next" href="${historyPath(viewParams(view.params, { cursor: page.nextCursor }))}"
          >Next ${shown} →</a
        >`
      : null;
  return html`<nav class="pager" aria-label="Pages">
    <span>Runs ${from + 1}–${from + shown} of ${page.total.toLocaleString('en-US')}</span> ${first} ${next}
  </nav>`;
}

function results(view: HistoryView, page: SessionPage): SafeHtml {
  if (view.stored === 0) {
    return html`<p class="empty">
      No runs stored yet. Builds show up here once buildcast has seen them run;
      <a href="/">the dashboard</a> shows them live.
    </p>`;
  }
  if (page.sessions.length === 0) {
    return html`<p class="empty">
      No runs match these filters. <a href="${ROUTES.history}">Show every run</a>.
    </p>`;
  }
  const p = view.params;
  return html`<form id="${IDS.compareForm}" class="compare-form" method="get" action="${ROUTES.compare}">
    <div class="compare-bar">
      <button type="submit" id="${IDS.compareButton}">Compare selected</button>
      <span id="${IDS.compareCount}" class="muted" aria-live="polite"
        >Select 2 to 10 runs; the first you pick is the baseline.</span
      >
    </div>
    <div class="table-scroll">
      <table class="history-table">
        <caption class="sr-only">
          Stored runs
        </caption>
        <thead>
          <tr>
            <th scope="col" class="pick"><span class="sr-only">Select</span></th>
            <th scope="col">Project</th>
            ${sortHeading(p, 'started', 'Started', false)} ${sortHeading(p, 'duration', 'Duration')}
            <th scope="col">Outcome</th>
            <th scope="col">Phases reached</th>
            ${sortHeading(p, 'iterations', 'Test iterations')} ${sortHeading(p, 'tokens', 'Tokens')}
            ${sortHeading(p, 'cost', 'Cost')}
          </tr>
        </thead>
        <tbody>
          ${page.sessions.map(row)}
        </tbody>
      </table>
    </div>
    ${pager(view, page)}
  </form>`;
}

/** The whole history page, in the page shell. */
export function renderHistoryPage(shell: PageShell, view: HistoryView): SafeHtml {
  const notice =
    view.deleted !== null ? html`<p class="notice" role="status">Run ${view.deleted} was deleted.</p>` : null;
  const body =
    view.page === null
      ? html`<p class="problem" role="alert">This view cannot be shown: ${view.problem}.</p>`
      : html`${summary(view.page.totals)} ${results(view, view.page)}
        ${view.totals && renderRunTotals(view.totals)}`;
  return renderPage(shell, {
    title: 'History',
    main: html`<script type="module" src="${ROUTES.historyClient}"></script>
      <div class="history-page">
        <p class="crumbs"><a href="/">← Dashboard</a></p>
        <h1>History</h1>
        ${notice} ${renderFilters(view)} ${body}
      </div>`,
  });
}

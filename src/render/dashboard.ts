/**
 * @module
 * The dashboard's fragments (SPEC 5): the tab bar with counts and the cards of one tab, with
 * "Show more" paging and an honest empty state per tab.
 *
 * Each fragment returns its own container with `hx-swap="outerHTML"`, so the container always
 * carries the URL of the tab it shows and a `bc:list` refresh re-fetches the right one.
 */
import type { Session } from '../shared/protocol.js';
import type { SessionCounts, SessionPage } from '../core/session-query.js';
import { DATA, EVENTS, IDS, tabId } from '../shared/dom.js';
import { dashboardPath, listFragmentPath, tabsFragmentPath } from '../shared/paths.js';
import { TABS, type SessionTab } from '../shared/tabs.js';
import { html, raw, type SafeHtml } from './html.js';
import { renderCard, type CardData } from './card.js';

const TAB_LABELS: Readonly<Record<SessionTab, string>> = {
  active: 'Active',
  completed: 'Completed',
  failed: 'Failed',
  all: 'All',
};

// `buildcast` is on the PATH only where it was installed as a package; in a clone it is `npm run demo`.
const DEMO_HINT = raw(
  'Start one, or run <code>npm run demo</code> to see simulated builds (<code>npx buildcast demo</code> where buildcast is installed as a package).',
);

const EMPTY_STATES: Readonly<Record<SessionTab, SafeHtml>> = {
  active: html`<strong>No builds running.</strong> ${DEMO_HINT}`,
  completed: html`<strong>No completed builds yet.</strong> Finished builds will be listed here.`,
  failed: html`<strong>No failed builds.</strong> Builds that fail will be listed here with their last phase.`,
  all: html`<strong>No builds yet.</strong> ${DEMO_HINT}`,
};

/**
 * The tab bar, `tab` selected. `oob` marks it for an htmx out-of-band swap, so a tab click
 * that fetches the list can update the bar in the same response.
 */
export function renderTabs(counts: SessionCounts, tab: SessionTab, { oob = false } = {}): SafeHtml {
  return html`<nav
    id="${IDS.tabs}"
    class="tabs"
    aria-label="Sessions"
    ${DATA.tab}="${tab}"
    hx-get="${tabsFragmentPath(tab)}"
    hx-trigger="${EVENTS.list} from:body, ${EVENTS.tabs} from:body"
    hx-swap="outerHTML"
    ${oob && raw('hx-swap-oob="true"')}
  >
    <div class="tablist" role="tablist">
      ${TABS.map(
        (name) =>
          html`<a
            role="tab"
            id="${tabId(name)}"
            class="tab"
            ${DATA.tab}="${name}"
            href="${dashboardPath(name)}"
            aria-selected="${name === tab ? 'true' : 'false'}"
            tabindex="${name === tab ? '0' : '-1'}"
            aria-controls="${IDS.sessionList}"
            hx-get="${listFragmentPath(name, { withTabs: true })}"
            hx-target="#${IDS.sessionList}"
            hx-swap="outerHTML"
            hx-push-url="${dashboardPath(name)}"
            >${TAB_LABELS[name]} <span class="count" data-count="${counts[name]}">${counts[name]}</span></a
          >`,
      )}
    </div>
  </nav>`;
}

/** The "Show more" button: swaps itself for the next page of cards (and the next button). */
function showMore(page: SessionPage, tab: SessionTab): SafeHtml {
  if (page.nextCursor === null) return html``;
  return html`<button
    type="button"
    id="show-more"
    class="show-more"
    hx-get="${listFragmentPath(tab, { cursor: page.nextCursor })}"
    hx-target="this"
    hx-swap="outerHTML"
  >
    Show more <span class="muted">(${page.total} in all)</span>
  </button>`;
}

/** What a session's card shows beyond the session (its plan, and figures for builds still running). */
export type CardDataOf = (session: Session) => CardData;

/** The cards of a page after the first: appended in place of the "Show more" button. */
export function renderMoreCards(
  page: SessionPage,
  tab: SessionTab,
  now: number,
  dataOf: CardDataOf,
): SafeHtml {
  return html`${page.sessions.map((session) => renderCard(session, now, dataOf(session)))}${showMore(page, tab)}`;
}

/** The list of one tab: its first page of cards, or its empty state. */
export function renderSessionList(
  page: SessionPage,
  tab: SessionTab,
  now: number,
  dataOf: CardDataOf,
): SafeHtml {
  const body =
    page.sessions.length === 0
      ? html`<p class="empty" data-empty="${tab}">${EMPTY_STATES[tab]}</p>`
      : html`<div class="cards">${renderMoreCards(page, tab, now, dataOf)}</div>`;
  return html`<section
    id="${IDS.sessionList}"
    class="session-list"
    role="tabpanel"
    aria-labelledby="${tabId(tab)}"
    ${DATA.tab}="${tab}"
    data-total="${page.total}"
    hx-get="${listFragmentPath(tab)}"
    hx-trigger="${EVENTS.list} from:body"
    hx-swap="outerHTML"
  >
    <h2 class="sr-only">${TAB_LABELS[tab]} builds</h2>
    ${body}
  </section>`;
}

/**
 * @module
 * The URLs of buildcast's pages, fragments and assets, built from the route patterns and query
 * names of the DOM contract (./dom.ts), so the server's links and the client's requests agree.
 */
import { QUERY, ROUTES } from './dom.js';
import type { SessionTab } from './tabs.js';

/** The favicon's `alert` value that draws the red dot. */
export const FAVICON_ALERT = 'failed';

/** The favicon, plain or with the red dot that says a build failed. */
export const faviconPath = (failed: boolean): string =>
  failed ? `${ROUTES.favicon}?${QUERY.alert}=${FAVICON_ALERT}` : ROUTES.favicon;

type Route = (typeof ROUTES)[keyof typeof ROUTES];
type SessionRoute = Extract<Route, `${string}:id${string}`>;

const withId = (route: SessionRoute, sessionId: string): string =>
  route.replace(':id', encodeURIComponent(sessionId));

/** The dashboard, on a tab. */
export const dashboardPath = (tab: SessionTab): string =>
  tab === 'active' ? ROUTES.dashboard : `${ROUTES.dashboard}?${QUERY.tab}=${tab}`;

/** A session's own page. */
export const sessionPath = (sessionId: string): string => withId(ROUTES.session, sessionId);

/** One card, for refreshing it in place. */
export const cardFragmentPath = (sessionId: string): string => withId(ROUTES.cardFragment, sessionId);

/** The live part of a session page. */
export const detailFragmentPath = (sessionId: string): string => withId(ROUTES.detailFragment, sessionId);

/** The tab bar with `tab` selected. */
export const tabsFragmentPath = (tab: SessionTab): string => `${ROUTES.tabsFragment}?${QUERY.tab}=${tab}`;

/** A tab's cards; with a cursor, the next page of them; `withTabs`, with the tab bar too. */
export function listFragmentPath(
  tab: SessionTab,
  { cursor, withTabs = false }: { cursor?: string | null; withTabs?: boolean } = {},
): string {
  let path = `${ROUTES.listFragment}?${QUERY.tab}=${tab}`;
  if (cursor) path += `&${QUERY.cursor}=${encodeURIComponent(cursor)}`;
  if (withTabs) path += `&${QUERY.withTabs}=1`;
  return path;
}

/** The metrics section of a session page. */
export const metricsFragmentPath = (sessionId: string): string => withId(ROUTES.metricsFragment, sessionId);

/** The agents panel of a session page. */
export const agentsFragmentPath = (sessionId: string): string => withId(ROUTES.agentsFragment, sessionId);

/** The lines of a session page's log tail (`#log-lines`, inside `#log-tail`). */
export const logsFragmentPath = (sessionId: string): string => withId(ROUTES.logsFragment, sessionId);

/** An export of a run: `json` (everything known) or `csv` (phases and metrics). */
export const exportPath = (sessionId: string, format: 'json' | 'csv'): string =>
  `${withId(ROUTES.apiExport, sessionId)}?${QUERY.format}=${format}`;

/** A run in the API (`DELETE` removes it). */
export const sessionApiPath = (sessionId: string): string => withId(ROUTES.apiSession, sessionId);

/** The page that asks before deleting a run. */
export const deleteRunPath = (sessionId: string): string => withId(ROUTES.deleteRun, sessionId);

/** A running session's expected finish. */
export const forecastFragmentPath = (sessionId: string): string => withId(ROUTES.forecastFragment, sessionId);

/** The comparison of runs, the baseline first; with a format, its export; `diff`, differences only. */
export function comparePath(
  ids: readonly string[],
  { format, diff = false }: { format?: 'json' | 'csv'; diff?: boolean } = {},
): string {
  let path = `${ROUTES.compare}?${QUERY.ids}=${ids.map(encodeURIComponent).join(',')}`;
  if (format) path += `&${QUERY.format}=${format}`;
  if (diff) path += `&${QUERY.diff}=1`;
  return path;
}

/** The history page with its filters, sort and cursor as query parameters (empty ones left out). */
export function historyPath(params: Readonly<Record<string, string | undefined>> = {}): string {
  const search = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return search === '' ? ROUTES.history : `${ROUTES.history}?${search}`;
}

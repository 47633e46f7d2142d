/**
 * @module
 * Every URL the pages link to or fetch, in one place, so the routes in `pages.ts`, the markup
 * and the browser client agree. Ids are percent-encoded: they are meant to be URL-safe, but they
 * come from the build.
 */
import type { SessionTab } from '../shared/tabs.js';

const id = (sessionId: string): string => encodeURIComponent(sessionId);

/** The dashboard, on a tab. */
export const dashboardPath = (tab: SessionTab): string => (tab === 'active' ? '/' : `/?tab=${tab}`);

/** A session's own page. */
export const sessionPath = (sessionId: string): string => `/sessions/${id(sessionId)}`;

/** One card, for refreshing it in place. */
export const cardFragmentPath = (sessionId: string): string => `/fragments/cards/${id(sessionId)}`;

/** The live part of a session page. */
export const detailFragmentPath = (sessionId: string): string =>
  `/fragments/sessions/${id(sessionId)}/detail`;

/** The tab bar with `tab` selected. */
export const tabsFragmentPath = (tab: SessionTab): string => `/fragments/tabs?tab=${tab}`;

/** A tab's cards; with a cursor, the next page of them. */
export function listFragmentPath(tab: SessionTab, cursor?: string | null): string {
  const base = `/fragments/sessions?tab=${tab}`;
  return cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;
}

/** The metrics section of a session page. */
export const metricsFragmentPath = (sessionId: string): string =>
  `/fragments/sessions/${id(sessionId)}/metrics`;

/** The banner that reports the first read of Claude Code history. */
export const BACKFILL_FRAGMENT_PATH = '/fragments/backfill';

/** The agents panel of a session page. */
export const agentsFragmentPath = (sessionId: string): string =>
  `/fragments/sessions/${id(sessionId)}/agents`;

/** The lines of a session page's log tail (`#log-lines`, inside `#log-tail`). */
export const logsFragmentPath = (sessionId: string): string => `/fragments/sessions/${id(sessionId)}/logs`;

/**
 * @module
 * Tabs, filters, sorts and pages over the kept runs (SPEC 4 `GET /api/sessions`, SPEC 5
 * dashboard tabs and history). Pure but for a cache of each run's search text, which belongs to
 * the run object itself (a changed run is a new object, so it can never be stale).
 */
import type { Session } from '../shared/protocol.js';
import { inTab, isTab, tabOf } from '../shared/tabs.js';
import type { RunOrder } from './run-order.js';
import { runDurationMs } from './run-figures.js';
import type { SessionCounts, SessionPage, SessionQuery, SessionTotals } from './session-query.js';

/** Counts per dashboard tab (src/shared/tabs.ts says which tab lists which session). */
export function countSessions(sessions: Iterable<Session>): SessionCounts {
  const counts: SessionCounts = { active: 0, completed: 0, failed: 0, all: 0 };
  for (const session of sessions) {
    counts.all++;
    counts[tabOf(session)]++;
  }
  return counts;
}

/** A tab name filters as the tab does; a state name (`running`, `stalled`) by that state alone. */
function matchesState(session: Session, state: NonNullable<SessionQuery['state']>): boolean {
  return isTab(state) ? inTab(session, state) : session.state === state;
}

const searchText = new WeakMap<Session, string>();

/** Everything the search box looks in, lower-cased once per version of a run. */
function haystack(s: Session): string {
  let text = searchText.get(s);
  if (text === undefined) {
    text = [s.project, s.id, s.currentPhase, s.activity, s.progressDetail, s.workdir]
      .filter((part): part is string => part !== null)
      .join('\n')
      .toLowerCase();
    searchText.set(s, text);
  }
  return text;
}

/** The machine a run reported from, when known. */
export type HostOf = (id: string) => string | undefined;

/** Whether a run matches every filter of a query. */
export function matchesQuery(s: Session, query: SessionQuery, needle: string, hostOf?: HostOf): boolean {
  if (query.state !== undefined && !matchesState(s, query.state)) return false;
  if (query.host !== undefined && hostOf?.(s.id)?.toLowerCase() !== query.host.toLowerCase()) return false;
  if (query.project !== undefined && s.project !== query.project) return false;
  if (query.source !== undefined && s.source !== query.source) return false;
  if (query.from !== undefined || query.to !== undefined) {
    const started = Date.parse(s.startedAt);
    if (Number.isNaN(started)) return false;
    if (query.from !== undefined && started < query.from) return false;
    if (query.to !== undefined && started >= query.to) return false;
  }
  return needle === '' || haystack(s).includes(needle);
}

export function emptyTotals(): SessionTotals {
  return { runs: 0, durationMs: 0, tokensTotal: 0, costUsd: 0, unpricedRuns: 0 };
}

/** Adds one run to running totals. */
export function addToTotals(totals: SessionTotals, s: Session): void {
  totals.runs++;
  totals.durationMs += runDurationMs(s) ?? 0;
  if (s.tokensTotal !== null) totals.tokensTotal += s.tokensTotal;
  if (s.costUsd !== null) totals.costUsd += s.costUsd;
  else if (s.tokensTotal !== null) totals.unpricedRuns++;
}

/** Sums of dollars lose their last digits; cents to 1e-10 is more than any page shows. */
const tidyUsd = (usd: number): number => Math.round(usd * 1e10) / 1e10;

/** Every run that matches a query's filters, in its order (its cursor and limit are not read). */
export function* matchingSessions(order: RunOrder, query: SessionQuery, hostOf?: HostOf): Generator<Session> {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const filtered = { ...query, state: query.state === 'all' ? undefined : query.state };
  for (const session of order.walk(query.sort ?? 'updated', query.order ?? 'desc')) {
    if (matchesQuery(session, filtered, needle, hostOf)) yield session;
  }
}

/**
 * One page of the runs that match a query, in its order; the cursor is the offset of the next
 * page. One pass over the order finds the page and the totals of every match together.
 */
export function listSessions(order: RunOrder, query: SessionQuery, hostOf?: HostOf): SessionPage {
  const limit = Math.max(1, Math.min(500, Math.floor(query.limit ?? 50)));
  const offset = Math.max(0, Number.parseInt(query.cursor ?? '0', 10) || 0);
  const sessions: Session[] = [];
  const totals = emptyTotals();
  for (const session of matchingSessions(order, query, hostOf)) {
    if (totals.runs >= offset && sessions.length < limit) sessions.push(session);
    addToTotals(totals, session);
  }
  totals.costUsd = tidyUsd(totals.costUsd);
  const end = offset + sessions.length;
  return { sessions, total: totals.runs, nextCursor: end < totals.runs ? String(end) : null, totals };
}

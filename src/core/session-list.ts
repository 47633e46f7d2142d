/**
 * @module
 * Tabs, filters, sorts and pages over the kept runs (SPEC 4 `GET /api/sessions`, SPEC 5 dashboard
 * tabs and history). A query is compiled once into a test over the run table's columns
 * (src/core/run-order.ts), then one pass over the chosen order finds the page and adds up the
 * totals of every match. Pure.
 */
import type { Session } from '../shared/protocol.js';
import { inTab, isTab, tabOf } from '../shared/tabs.js';
import { SOURCE_CODES, STATE_CODES, type RunOrder } from './run-order.js';
import type { SessionCounts, SessionPage, SessionQuery, SessionTotals } from './session-query.js';

/** Counts per dashboard tab (src/shared/tabs.ts says which tab lists which session). */
export function countSessions(sessions: Iterable<Pick<Session, 'state'>>): SessionCounts {
  const counts: SessionCounts = { active: 0, completed: 0, failed: 0, all: 0 };
  for (const session of sessions) {
    counts.all++;
    counts[tabOf(session)]++;
  }
  return counts;
}

/** Counts per dashboard tab from the number of runs in each state (by state code). */
export function countStates(byState: Readonly<Int32Array>): SessionCounts {
  const counts: SessionCounts = { active: 0, completed: 0, failed: 0, all: 0 };
  STATE_CODES.forEach((state, code) => {
    const n = byState[code] ?? 0;
    counts.all += n;
    counts[tabOf({ state })] += n;
  });
  return counts;
}

/** A tab name filters as the tab does; a state name (`running`, `stalled`) by that state alone. */
function matchesState(state: Session['state'], wanted: NonNullable<SessionQuery['state']>): boolean {
  return isTab(wanted) ? inTab({ state }, wanted) : state === wanted;
}

/** The machine a run reported from, when known. */
export type HostOf = (id: string) => string | undefined;

/** A query as a test of one row of the table; null when no run can match it. */
function compile(order: RunOrder, query: SessionQuery, hostOf?: HostOf): ((row: number) => boolean) | null {
  const c = order.columns;
  let states = 0;
  STATE_CODES.forEach((state, code) => {
    if (query.state === undefined || matchesState(state, query.state)) states |= 1 << code;
  });
  const project = query.project === undefined ? -2 : order.projectCode(query.project);
  if (project === -1) return null;
  const source = query.source === undefined ? -1 : SOURCE_CODES.indexOf(query.source);
  const timed = query.from !== undefined || query.to !== undefined;
  const from = query.from ?? -Infinity;
  const to = query.to ?? Infinity;
  const needle = query.q?.trim().toLowerCase() ?? '';
  const host = query.host?.toLowerCase();
  return (row) => {
    if (((1 << c.state[row]!) & states) === 0) return false;
    if (project >= 0 && c.project[row] !== project) return false;
    if (source >= 0 && c.source[row] !== source) return false;
    if (timed) {
      const started = c.started[row]!;
      // An unreadable start time (NaN) is in no range.
      if (!(started >= from && started < to)) return false;
    }
    if (needle !== '' && !order.search(row).includes(needle)) return false;
    if (host !== undefined && hostOf?.(order.session(row).id)?.toLowerCase() !== host) return false;
    return true;
  };
}

/** Visits every row a query's filters match, in its order (its cursor and limit are not read). */
export function matchingRows(
  order: RunOrder,
  query: SessionQuery,
  visit: (row: number) => void,
  hostOf?: HostOf,
): void {
  const test = compile(order, query, hostOf);
  if (test === null) return;
  order.scan(query.sort ?? 'updated', query.order ?? 'desc', (row) => {
    if (test(row)) visit(row);
  });
}

/** Sums of dollars lose their last digits; cents to 1e-10 is more than any page shows. */
const tidyUsd = (usd: number): number => Math.round(usd * 1e10) / 1e10;

/**
 * One page of the runs that match a query, in its order, with the totals of every match; the
 * cursor is the offset of the next page.
 */
export function listSessions(order: RunOrder, query: SessionQuery, hostOf?: HostOf): SessionPage {
  const limit = Math.max(1, Math.min(500, Math.floor(query.limit ?? 50)));
  const offset = Math.max(0, Number.parseInt(query.cursor ?? '0', 10) || 0);
  const sessions: Session[] = [];
  const totals: SessionTotals = { runs: 0, durationMs: 0, tokensTotal: 0, costUsd: 0, unpricedRuns: 0 };
  const c = order.columns;
  matchingRows(
    order,
    query,
    (row) => {
      if (totals.runs >= offset && sessions.length < limit) sessions.push(order.session(row));
      totals.runs++;
      // NaN marks what is not known; NaN !== NaN keeps it out of the sums.
      const duration = c.duration[row]!;
      if (duration === duration) totals.durationMs += duration;
      const tokens = c.tokens[row]!;
      if (tokens === tokens) totals.tokensTotal += tokens;
      const cost = c.cost[row]!;
      if (cost === cost) totals.costUsd += cost;
      else if (tokens === tokens) totals.unpricedRuns++;
    },
    hostOf,
  );
  totals.costUsd = tidyUsd(totals.costUsd);
  const end = offset + sessions.length;
  return { sessions, total: totals.runs, nextCursor: end < totals.runs ? String(end) : null, totals };
}

/**
 * @module
 * The read side of the session registry, as the routes and pages see it.
 */
import type { Session, SessionSource, SessionState } from '../shared/protocol.js';
import type { SessionTab } from '../shared/tabs.js';
import type { RunSort, SortDirection } from './run-order.js';

/** Dashboard tabs (SPEC 5), defined with their membership in src/shared/tabs.ts. */
export type { SessionTab };
export type { RunSort, SortDirection };

export interface SessionQuery {
  /** A session state, or a tab name (`active`, `all`). */
  state?: SessionState | SessionTab;
  /** Exact project name. */
  project?: string;
  /** Case-insensitive text search over project, phase, activity and progress detail. */
  q?: string;
  /** Page size, 1-500 (default 50). */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** The order (SPEC 4 `sort=`); without it, newest change first. */
  sort?: RunSort;
  /** Descending unless asked (`order=asc`); runs without the sorted figure come last either way. */
  order?: SortDirection;
  /** Runs started at or after this time (ms since the epoch). */
  from?: number;
  /** Runs started before this time (ms since the epoch). */
  to?: number;
  /** Where the run's data came from. */
  source?: SessionSource;
  /** The machine the run reported from (case-insensitive), for runs that named one. */
  host?: string;
}

/** Totals of every run a query matches (not only of the page shown). */
export interface SessionTotals {
  runs: number;
  /** Summed over the finished runs. */
  durationMs: number;
  /** Summed over the runs with real token counts. */
  tokensTotal: number;
  /** Summed over the runs whose cost is known. */
  costUsd: number;
  /** Runs with token counts whose cost is unknown (a model without a price), left out of `costUsd`. */
  unpricedRuns: number;
}

export interface SessionPage {
  /** In the order asked for; newest change first by default. */
  sessions: Session[];
  /** How many sessions match the query in all. */
  total: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Totals of every matching session. */
  totals: SessionTotals;
}

/** How many sessions each dashboard tab lists. */
export type SessionCounts = Record<SessionTab, number>;

export interface SessionReader {
  list(query: SessionQuery): SessionPage;
  get(id: string): Session | undefined;
  /** The last raw phase file (or push body) of a session, as received. */
  raw(id: string): string | null;
  counts(): SessionCounts;
}

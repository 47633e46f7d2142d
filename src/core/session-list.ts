/**
 * @module
 * Tabs, filters and pages over sessions already ordered newest change first (SPEC 4
 * `GET /api/sessions`, SPEC 5 dashboard tabs). Pure.
 */
import type { Session } from '../shared/protocol.js';
import { inTab, isTab, tabOf } from '../shared/tabs.js';
import type { SessionCounts, SessionPage, SessionQuery } from './session-query.js';

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

/** One page of the sessions that match a query; the cursor is the offset of the next page. */
export function listSessions(ordered: readonly Session[], query: SessionQuery): SessionPage {
  const limit = Math.max(1, Math.min(500, Math.floor(query.limit ?? 50)));
  const offset = Math.max(0, Number.parseInt(query.cursor ?? '0', 10) || 0);
  const needle = query.q?.trim().toLowerCase();
  const state = query.state ?? 'all';
  const matches = ordered.filter((s) => {
    if (!matchesState(s, state)) return false;
    if (query.project !== undefined && s.project !== query.project) return false;
    if (!needle) return true;
    return [s.project, s.id, s.currentPhase, s.activity, s.progressDetail, s.workdir].some((text) =>
      text?.toLowerCase().includes(needle),
    );
  });
  const sessions = matches.slice(offset, offset + limit);
  const end = offset + sessions.length;
  return { sessions, total: matches.length, nextCursor: end < matches.length ? String(end) : null };
}

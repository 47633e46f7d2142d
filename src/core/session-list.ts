/**
 * @module
 * Tabs, filters and pages over sessions already ordered newest change first (SPEC 4
 * `GET /api/sessions`, SPEC 5 dashboard tabs). Pure.
 */
import type { Session } from '../shared/protocol.js';
import type { SessionCounts, SessionPage, SessionQuery } from './session-query.js';

/** Counts per dashboard tab: `active` is running plus stalled. */
export function countSessions(sessions: Iterable<Session>): SessionCounts {
  const counts: SessionCounts = { active: 0, completed: 0, failed: 0, all: 0 };
  for (const session of sessions) {
    counts.all++;
    if (session.state === 'completed') counts.completed++;
    else if (session.state === 'failed') counts.failed++;
    else counts.active++;
  }
  return counts;
}

function inTab(session: Session, state: NonNullable<SessionQuery['state']>): boolean {
  if (state === 'all') return true;
  if (state === 'active') return session.state === 'running' || session.state === 'stalled';
  return session.state === state;
}

/** One page of the sessions that match a query; the cursor is the offset of the next page. */
export function listSessions(ordered: readonly Session[], query: SessionQuery): SessionPage {
  const limit = Math.max(1, Math.min(500, Math.floor(query.limit ?? 50)));
  const offset = Math.max(0, Number.parseInt(query.cursor ?? '0', 10) || 0);
  const needle = query.q?.trim().toLowerCase();
  const state = query.state ?? 'all';
  const matches = ordered.filter((s) => {
    if (!inTab(s, state)) return false;
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

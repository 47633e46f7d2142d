/**
 * @module
 * The read side of the session registry, as the routes and pages see it.
 */
import type { Session, SessionState } from '../shared/protocol.js';
import type { SessionTab } from '../shared/tabs.js';

/** Dashboard tabs (SPEC 5), defined with their membership in src/shared/tabs.ts. */
export type { SessionTab };

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
}

export interface SessionPage {
  /** Newest change first. */
  sessions: Session[];
  /** How many sessions match the query in all. */
  total: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
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

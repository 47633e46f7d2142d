/**
 * @module
 * Which session an overlay shows (SPEC 5 `session=latest|<id>|project:<name>`). `latest` follows
 * the newest active build, switches when a new one starts, and keeps the last finished build on
 * screen until then, so viewers see how it ended. Written as a choice among few candidates (the
 * active builds and the last completed and the last failed one) rather than a walk over every
 * stored run, and without memory of what was shown before: a reload, or a restart of the server,
 * shows the same build.
 */
import type { Session } from '../shared/protocol.js';
import type { OverlaySelector } from '../shared/overlay-params.js';
import { isLaterRun } from './run-index.js';
import type { SessionReader } from './session-query.js';

/** Enough active builds to find the newest among them: more never run on one machine. */
const ACTIVE_LIMIT = 500;

/** The build that started last among the candidates (SPEC 1.1 identity decides ties), or null. */
export function newestBuild(candidates: Iterable<Session | undefined>): Session | null {
  let best: Session | null = null;
  for (const session of candidates) {
    if (session !== undefined && (best === null || isLaterRun(session, best))) best = session;
  }
  return best;
}

/**
 * Among the builds of a project (or all of them): the newest that is running or stalled, unless
 * the last one to complete or fail started after it, in which case that one, still on screen.
 */
function followLatest(reader: SessionReader, project?: string): Session | null {
  const among = project === undefined ? {} : { project };
  const newest = (state: 'active' | 'completed' | 'failed', limit: number) =>
    reader.list({ ...among, state, limit }).sessions;
  return newestBuild([...newest('active', ACTIVE_LIMIT), ...newest('completed', 1), ...newest('failed', 1)]);
}

/**
 * The session the overlay shows, or null while there is none: `latest` as above, a project's
 * builds the same way, an id exactly (or, as on the session pages, the project of that name).
 */
export function followedSession(reader: SessionReader, selector: OverlaySelector): Session | null {
  switch (selector.kind) {
    case 'latest':
      return followLatest(reader);
    case 'project':
      return followLatest(reader, selector.project);
    case 'id':
      return reader.get(selector.id) ?? followLatest(reader, selector.id);
  }
}

/**
 * Which build an overlay shows: the newest active one, the next one as soon as it starts, and the
 * last finished one until then; the same answer for the same sessions, whatever was shown before.
 */
import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import { followedSession, newestBuild } from '../../src/core/overlay-follow.js';
import { ArrayReader, makeSession } from '../render/fixtures.js';

function build(id: string, startedAt: string, overrides: Partial<Session> = {}): Session {
  return makeSession({ id, project: id.split('@')[0], startedAt, updatedAt: startedAt, ...overrides });
}
const finished = (session: Session, state: 'completed' | 'failed', at: string): Session => ({
  ...session,
  state,
  endedAt: at,
  updatedAt: at,
});

const shown = (sessions: Session[], session = 'latest') =>
  followedSession(
    new ArrayReader(sessions),
    session === 'latest'
      ? { kind: 'latest' }
      : session.startsWith('project:')
        ? { kind: 'project', project: session.slice(8) }
        : { kind: 'id', id: session },
  )?.id ?? null;

describe('the build an overlay follows', () => {
  const a = build('weather@1', '2026-11-20T10:00:00Z');
  const b = build('todo@1', '2026-11-20T11:00:00Z');

  it('is none before any build, then the one build there is', () => {
    expect(shown([])).toBeNull();
    expect(shown([a])).toBe('weather@1');
  });

  it('switches to a build as soon as it starts', () => {
    expect(shown([a, b])).toBe('todo@1');
  });

  it('keeps the last finished build until a new one starts, even with an older one still running', () => {
    const done = finished(b, 'completed', '2026-11-20T11:30:00Z');
    expect(shown([done])).toBe('todo@1');
    expect(shown([a, done])).toBe('todo@1');
    expect(shown([a, finished(b, 'failed', '2026-11-20T11:30:00Z')])).toBe('todo@1');
    const next = build('weather@2', '2026-11-20T12:00:00Z');
    expect(shown([a, done, next])).toBe('weather@2');
  });

  it('prefers a build finished today to one stalled since yesterday', () => {
    const stalled = build('old@1', '2026-11-19T09:00:00Z', { state: 'stalled' });
    const today = finished(b, 'completed', '2026-11-20T11:30:00Z');
    expect(shown([stalled, today])).toBe('todo@1');
    expect(shown([stalled])).toBe('old@1');
  });

  it('follows one project the same way', () => {
    const next = build('weather@2', '2026-11-20T12:00:00Z');
    expect(shown([a, b], 'project:weather')).toBe('weather@1');
    expect(shown([a, b, next], 'project:weather')).toBe('weather@2');
    expect(shown([a, b], 'project:nothing')).toBeNull();
  });

  it('shows a session by its id, or by the name of its project as the session pages do', () => {
    expect(shown([a, b], 'weather@1')).toBe('weather@1');
    expect(shown([a, b], 'todo')).toBe('todo@1');
    expect(shown([a, b], 'nope')).toBeNull();
  });

  it('breaks a tie of start times by id, so the answer never depends on order', () => {
    const twin = build('weather@0', a.startedAt);
    expect(newestBuild([a, twin])?.id).toBe('weather@1');
    expect(newestBuild([twin, a, undefined])?.id).toBe('weather@1');
  });
});

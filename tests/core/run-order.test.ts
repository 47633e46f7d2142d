/**
 * The kept orders of runs and the history listing over them: sort by each figure in both
 * directions, runs without the figure last, filters, totals of every match and cursor pages, and
 * every order still right after runs change and go.
 */
import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import { RunOrder, type RunSort } from '../../src/core/run-order.js';
import { listSessions } from '../../src/core/session-list.js';
import { makeSession } from '../render/fixtures.js';

/** A finished run of `project` started at `start` taking `minutes`. */
function run(id: string, start: string, minutes: number | null, extra: Partial<Session> = {}): Session {
  const started = Date.parse(start);
  return makeSession({
    id,
    project: 'weather-app',
    state: minutes === null ? 'running' : 'completed',
    startedAt: new Date(started).toISOString(),
    endedAt: minutes === null ? null : new Date(started + minutes * 60_000).toISOString(),
    updatedAt: new Date(started + (minutes ?? 1) * 60_000).toISOString(),
    ...extra,
  });
}

const RUNS = [
  run('a', '2026-11-01T10:00:00Z', 30, {
    tokensTotal: 1_000,
    costUsd: 1.5,
    testIteration: 3,
    source: 'live',
  }),
  run('b', '2026-11-02T10:00:00Z', 20, {
    tokensTotal: 3_000,
    costUsd: 0.5,
    testIteration: 1,
    source: 'push',
  }),
  run('c', '2026-11-03T10:00:00Z', 45, { tokensTotal: null, costUsd: null, testIteration: null }),
  run('d', '2026-11-04T10:00:00Z', null, { tokensTotal: 2_000, costUsd: null, testIteration: 2 }),
  run('e', '2026-11-05T10:00:00Z', 20, {
    project: 'todo-api',
    tokensTotal: 500,
    costUsd: 0.25,
    testIteration: 0,
    progressDetail: 'Deploying to Fly',
  }),
];

const ids = (sessions: readonly Session[]) => sessions.map((s) => s.id);

function orderOf(runs: readonly Session[], incremental = false): RunOrder {
  const order = new RunOrder();
  if (incremental) for (const session of runs) order.put(session);
  else order.load(runs);
  return order;
}

describe('run orders', () => {
  it.each([false, true])(
    'sort by every figure both ways, unknown figures last (put one by one: %s)',
    (incr) => {
      const order = orderOf(RUNS, incr);
      const list = (sort: RunSort, dir: 'asc' | 'desc') =>
        ids(listSessions(order, { sort, order: dir }).sessions);
      expect(list('started', 'desc')).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(list('started', 'asc')).toEqual(['a', 'b', 'c', 'd', 'e']);
      // Equal durations (b, e: 20 min) fall back on the id; d is still running, so has none.
      expect(list('duration', 'desc')).toEqual(['c', 'a', 'e', 'b', 'd']);
      expect(list('duration', 'asc')).toEqual(['b', 'e', 'a', 'c', 'd']);
      expect(list('tokens', 'desc')).toEqual(['b', 'd', 'a', 'e', 'c']);
      expect(list('cost', 'asc')).toEqual(['e', 'b', 'a', 'c', 'd']);
      expect(list('iterations', 'desc')).toEqual(['a', 'd', 'b', 'e', 'c']);
      // Without a sort: newest change first, as the dashboard has always listed.
      expect(ids(listSessions(order, {}).sessions)).toEqual(['e', 'd', 'c', 'b', 'a']);
    },
  );

  it('keeps every order right while runs change and go', () => {
    const order = orderOf(RUNS);
    expect(ids(order.first('tokens', 'desc', 2))).toEqual(['b', 'd']);
    order.put({ ...RUNS[4]!, tokensTotal: 9_000 });
    order.put({ ...RUNS[2]!, testIteration: 7, updatedAt: '2026-12-01T00:00:00.000Z' });
    expect(order.remove('b')).toBe(true);
    expect(order.remove('b')).toBe(false);
    expect(ids(order.first('tokens', 'desc', 9))).toEqual(['e', 'd', 'a', 'c']);
    expect(ids(order.first('iterations', 'desc', 9))).toEqual(['c', 'a', 'd', 'e']);
    expect(ids(order.first('updated', 'desc', 1))).toEqual(['c']);
    expect(order.size).toBe(4);
  });

  it('filters by state, project, source, text and start range, with totals of every match', () => {
    const order = orderOf(RUNS);
    const page = listSessions(order, {
      state: 'completed',
      from: Date.parse('2026-11-02T00:00:00Z'),
      to: Date.parse('2026-11-06T00:00:00Z'),
      sort: 'started',
      order: 'asc',
    });
    expect(ids(page.sessions)).toEqual(['b', 'c', 'e']);
    expect(page.totals).toEqual({
      runs: 3,
      durationMs: (20 + 45 + 20) * 60_000,
      tokensTotal: 3_500,
      costUsd: 0.75,
      unpricedRuns: 0,
    });
    expect(ids(listSessions(order, { project: 'todo-api' }).sessions)).toEqual(['e']);
    expect(ids(listSessions(order, { source: 'push' }).sessions)).toEqual(['b']);
    expect(ids(listSessions(order, { q: 'FLY' }).sessions)).toEqual(['e']);
    // d used tokens on a model without a price: counted as unpriced, not as free.
    expect(listSessions(order, { state: 'running' }).totals.unpricedRuns).toBe(1);
  });

  it('pages with a cursor and says where the last page ends', () => {
    const order = orderOf(RUNS);
    const first = listSessions(order, { sort: 'started', order: 'asc', limit: 2 });
    expect(ids(first.sessions)).toEqual(['a', 'b']);
    expect(first.nextCursor).toBe('2');
    const last = listSessions(order, { sort: 'started', order: 'asc', limit: 2, cursor: '4' });
    expect(ids(last.sessions)).toEqual(['e']);
    expect(last.nextCursor).toBeNull();
    expect(last.total).toBe(5);
  });
});

/**
 * Removing runs from the registry (deletion and retention): gone from memory, from what waits to
 * be written and from a real SQLite file with everything kept about them, not brought back by the
 * file they came from, not after a restart either, and the project's latest run found again.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { Session } from '../../src/shared/protocol.js';
import { parsePhaseFile } from '../../src/collector/phase-file.js';
import type { PhaseObservation } from '../../src/collector/types.js';
import { SessionRegistry } from '../../src/core/registry.js';
import { Retention } from '../../src/core/retention.js';
import { openStore, type Store } from '../../src/store/store.js';
import { WriteCoalescer } from '../../src/store/write-coalescer.js';
import { removeDir, tempDir } from '../helpers/server.js';

function observation(clock: FakeClock, fields: Record<string, unknown>): PhaseObservation {
  const raw = JSON.stringify({ session_id: 'weather-app', ...fields });
  const parsed = parsePhaseFile(raw);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return {
    source: 'live',
    record: parsed.value,
    raw,
    workdir: '/builds/weather',
    file: '/builds/weather/.context-foundry/current-phase.json',
    observedAt: clock.now(),
    dataTime: clock.now(),
  };
}

const done = { current_phase: 'Feedback', phase_number: '7/8', status: 'completed' };
const OLD = 'weather-app-20261101T100000Z';
const NEW = 'weather-app-20261119T100000Z';

describe('removing runs', () => {
  let dir = '';
  const stores: Store[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    removeDir(dir);
  });

  function open(clock: FakeClock) {
    const store = openStore(path.join(dir, 'buildcast.db'));
    stores.push(store);
    const writer = new WriteCoalescer({ store, clock });
    const registry = new SessionRegistry({ store, writer, clock });
    registry.load();
    return { store, writer, registry };
  }

  it('forgets a run everywhere, and neither its file nor a restart brings it back', () => {
    dir = tempDir();
    const clock = new FakeClock('2026-11-20T12:00:00Z');
    const { store, writer, registry } = open(clock);
    const removed: Session[] = [];
    registry.changes.on('removed', (session) => removed.push(session));
    registry.apply(observation(clock, { ...done, started_at: '2026-11-01T10:00:00Z' }));
    registry.apply(observation(clock, { ...done, started_at: '2026-11-19T10:00:00Z' }));
    store.metrics.saveTestIteration(NEW, { iteration: 1, passed: 3, failed: 0, failing: [] });
    store.activity.appendLogs(
      NEW,
      [{ seq: 1, at: '2026-11-19T10:00:00Z', level: 'info', text: 'hi', source: 'push' }],
      10,
    );
    // A change still waiting to be written must not bring the run back either.
    registry.setTotals(NEW, 10, 0.01);
    expect(writer.pendingCount).toBe(1);

    expect(registry.removeAll([NEW, 'no-such-run']).map((s) => s.id)).toEqual([NEW]);
    expect(registry.remove(NEW)).toBeUndefined();
    expect(removed.map((s) => s.id)).toEqual([NEW]);
    expect(registry.get(NEW)).toBeUndefined();
    expect(registry.latestOfProject('weather-app')?.id).toBe(OLD);
    expect(registry.list({}).total).toBe(1);
    expect(writer.pendingCount).toBe(0);
    writer.flushNow();
    expect(store.loadSessions().map((s) => s.id)).toEqual([OLD]);
    expect(store.metrics.loadTestIterations(NEW)).toEqual([]);
    expect(store.activity.loadLogs(NEW, 10)).toEqual([]);

    const again = registry.apply(observation(clock, { ...done, started_at: '2026-11-19T10:00:00Z' }));
    expect(again).toMatchObject({ status: 'ignored', reason: 'this run was deleted' });
    writer.close();
    store.close();

    const restarted = open(clock);
    expect(
      restarted.registry.apply(observation(clock, { ...done, started_at: '2026-11-19T10:00:00Z' })).status,
    ).toBe('ignored');
    expect(restarted.registry.list({}).sessions.map((s) => s.id)).toEqual([OLD]);
  });

  it('prunes finished runs older than the retention at start and then daily', () => {
    dir = tempDir();
    const clock = new FakeClock('2026-11-20T12:00:00Z');
    const { registry } = open(clock);
    registry.apply(observation(clock, { ...done, started_at: '2026-11-01T10:00:00Z' }));
    registry.apply(
      observation(clock, { current_phase: 'Test', status: 'testing', started_at: '2026-11-19T10:00:00Z' }),
    );
    const lines: string[] = [];
    const retention = new Retention({ runs: registry, clock, days: 10, log: (line) => lines.push(line) });
    retention.start();
    // Both runs were seen (and the first ended) at 11-20 12:00: nothing is ten days old yet.
    expect(registry.size).toBe(2);
    clock.advance(11 * 86_400_000);
    expect(registry.list({}).sessions.map((s) => s.id)).toEqual([NEW]);
    expect(lines).toEqual(['retention: pruned 1 finished run(s) that ended over 10 day(s) ago']);
    retention.stop();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { Session } from '../../src/shared/protocol.js';
import { parsePhaseFile } from '../../src/collector/phase-file.js';
import type { PhaseObservation } from '../../src/collector/types.js';
import { MAX_RAW_BYTES } from '../../src/collector/raw-text.js';
import { StallWatch } from '../../src/core/stall.js';
import { SessionRegistry } from '../../src/core/registry.js';
import { openStore, type Store } from '../../src/store/store.js';
import { WriteCoalescer } from '../../src/store/write-coalescer.js';

function observation(
  clock: FakeClock,
  fields: Record<string, unknown>,
  source: PhaseObservation['source'] = 'live',
): PhaseObservation {
  const raw = JSON.stringify({ session_id: 'weather-app', started_at: '2026-11-20T14:00:00Z', ...fields });
  const parsed = parsePhaseFile(raw);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const file = '/builds/weather/.context-foundry/current-phase.json';
  return {
    source,
    record: parsed.value,
    raw,
    workdir: '/builds/weather',
    file,
    observedAt: clock.now(),
    dataTime: clock.now(),
  };
}

describe('session registry', () => {
  const stores: Store[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
  });

  function setup(options: { stallMs?: number } = {}) {
    const clock = new FakeClock('2026-11-20T14:00:00Z');
    const store = openStore(':memory:');
    stores.push(store);
    const writer = new WriteCoalescer({ store, clock });
    const changes: Session[] = [];
    const registry = new SessionRegistry({
      store,
      writer,
      clock,
      ...options,
    });
    registry.changes.on('session', (session) => changes.push(session));
    return { clock, store, writer, registry, changes };
  }

  it('announces a change once and identical content never', () => {
    const { clock, registry, changes } = setup();
    expect(registry.apply(observation(clock, { current_phase: 'Scout', status: 'researching' })).status).toBe(
      'changed',
    );
    clock.advance(1_000);
    expect(registry.apply(observation(clock, { current_phase: 'Scout', status: 'researching' })).status).toBe(
      'unchanged',
    );
    expect(changes).toHaveLength(1);
    const hash = registry.hash('weather-app-20261120T140000Z');
    clock.advance(1_000);
    registry.apply(observation(clock, { current_phase: 'Architect', status: 'designing' }));
    expect(changes).toHaveLength(2);
    expect(registry.hash('weather-app-20261120T140000Z')).not.toBe(hash);
  });

  it('keeps a huge raw phase file cut short, in memory as in storage', () => {
    const { clock, registry } = setup();
    const huge = observation(clock, {
      current_phase: 'Test',
      status: 'testing',
      notes: 'x'.repeat(3 * MAX_RAW_BYTES),
    });
    const result = registry.apply(huge);
    const raw = registry.raw(result.session!.id)!;
    expect(Buffer.byteLength(raw, 'utf8')).toBeLessThanOrEqual(MAX_RAW_BYTES);
    expect(raw).toMatch(/only the first 1 MiB is kept\]$/);
  });

  it('marks a silent build stalled exactly once, and running again on its next update', () => {
    const { clock, registry, changes } = setup({ stallMs: 60_000 });
    const watch = new StallWatch(clock, 60_000, [registry], 1_000);
    watch.start();
    registry.apply(observation(clock, { current_phase: 'Test', status: 'testing' }));
    clock.advance(59_000);
    expect(changes.map((s) => s.state)).toEqual(['running']);
    clock.advance(2_000);
    expect(changes.map((s) => s.state)).toEqual(['running', 'stalled']);
    clock.advance(600_000);
    expect(changes).toHaveLength(2);
    registry.apply(observation(clock, { current_phase: 'Test', status: 'testing', test_iteration: 2 }));
    expect(changes.map((s) => s.state)).toEqual(['running', 'stalled', 'running']);
    watch.stop();
  });

  it('coalesces storage writes for a busy session and writes a final state at once', () => {
    const { clock, store, registry } = setup();
    for (let i = 0; i < 20; i++) {
      registry.apply(
        observation(clock, { current_phase: 'Test', status: 'testing', progress_detail: `step ${i}` }),
      );
      clock.advance(10);
    }
    expect(store.loadSessions()).toHaveLength(0);
    clock.advance(1_000);
    expect(store.loadSessions()[0]!.progressDetail).toBe('step 19');
    registry.apply(
      observation(clock, { current_phase: 'Feedback', phase_number: '7/8', status: 'completed' }),
    );
    expect(store.loadSessions()[0]!.state).toBe('completed');
  });

  it('prefers a fresh live file over a checkpoint, and says where the data came from', () => {
    const { clock, registry } = setup();
    registry.apply(observation(clock, { current_phase: 'Builder', status: 'building' }));
    clock.advance(2_000);
    const ignored = registry.apply(
      observation(clock, { current_phase: 'Scout', status: 'in-progress' }, 'checkpoint'),
    );
    expect(ignored.status).toBe('ignored');
    expect(registry.get('weather-app-20261120T140000Z')).toMatchObject({
      currentPhase: 'Builder',
      source: 'live',
    });
    clock.advance(30_000);
    registry.apply(observation(clock, { current_phase: 'Test', status: 'in-progress' }, 'checkpoint'));
    expect(registry.get('weather-app-20261120T140000Z')).toMatchObject({
      currentPhase: 'Test',
      source: 'checkpoint',
    });
  });

  it('lists by tab, project and text, newest change first, with a cursor', () => {
    const { clock, registry } = setup();
    for (let i = 0; i < 5; i++) {
      registry.apply(
        observation(clock, {
          session_id: `app-${i}`,
          current_phase: 'Test',
          status: i === 4 ? 'failed' : 'testing',
        }),
      );
      clock.advance(1_000);
    }
    expect(registry.counts()).toEqual({ active: 4, completed: 0, failed: 1, all: 5 });
    const page = registry.list({ state: 'active', limit: 3 });
    expect(page.sessions.map((s) => s.project)).toEqual(['app-3', 'app-2', 'app-1']);
    expect(page.total).toBe(4);
    expect(
      registry.list({ state: 'active', limit: 3, cursor: page.nextCursor! }).sessions.map((s) => s.project),
    ).toEqual(['app-0']);
    expect(registry.list({ q: 'APP-2' }).total).toBe(1);
    expect(registry.list({ state: 'failed' }).sessions[0]!.project).toBe('app-4');
  });

  it('finds runs by work directory, also when a push learned it only later', () => {
    const { clock, registry } = setup();
    registry.apply({
      ...observation(clock, { current_phase: 'Scout', status: 'researching' }, 'push'),
      workdir: null,
      file: null,
    });
    expect(registry.latestForWorkdir('/builds/weather')).toBeUndefined();
    clock.advance(1_000);
    registry.apply(observation(clock, { current_phase: 'Architect', status: 'designing' }));
    expect(registry.latestForWorkdir('/builds/weather')?.id).toBe('weather-app-20261120T140000Z');
    clock.advance(1_000);
    registry.apply(
      observation(clock, {
        started_at: '2026-11-20T15:00:00Z',
        current_phase: 'Scout',
        status: 'researching',
      }),
    );
    expect(
      registry
        .runsInWorkdir('/builds/weather')
        .map((s) => s.id)
        .sort(),
    ).toEqual(['weather-app-20261120T140000Z', 'weather-app-20261120T150000Z']);
    expect(registry.latestForWorkdir('/builds/weather')?.id).toBe('weather-app-20261120T150000Z');
    expect(registry.latestOfProject('weather-app')?.id).toBe('weather-app-20261120T150000Z');
  });

  it('starts and ends a run by the build’s clock when it gives no started_at', () => {
    const { clock, registry } = setup();
    // buildcast sees the run ten days after it happened: a replay of its files.
    clock.advance(Date.parse('2026-12-01T09:00:00Z') - clock.now());
    const replay = (fields: Record<string, unknown>) => {
      const raw = JSON.stringify({ session_id: 'replayed', ...fields });
      const parsed = parsePhaseFile(raw);
      if (!parsed.ok) throw new Error(parsed.problem.message);
      return { ...observation(clock, { status: 'researching' }), record: parsed.value, raw };
    };
    const first = registry.apply(
      replay({ current_phase: 'Scout', status: 'researching', last_updated: '2026-11-20T14:00:00Z' }),
    );
    clock.advance(5);
    const last = registry.apply(
      replay({
        current_phase: 'Feedback',
        phase_number: '7/8',
        status: 'completed',
        last_updated: '2026-11-20T14:40:00Z',
      }),
    );
    expect(first.session?.id).toBe('replayed-20261120T140000Z');
    expect(last.session).toMatchObject({
      id: 'replayed-20261120T140000Z',
      state: 'completed',
      startedAt: '2026-11-20T14:00:00.000Z',
      endedAt: '2026-11-20T14:40:00.000Z',
    });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { Session } from '../../src/shared/protocol.js';
import { openStore } from '../../src/store/store.js';
import type { SessionWrite } from '../../src/core/storage.js';
import type { Store } from '../../src/store/store.js';
import { WriteCoalescer } from '../../src/store/write-coalescer.js';

function makeSession(overrides: Partial<Session> = {}): Session {
  return {
    id: 'weather-app-20261120T140211Z',
    project: 'weather-app',
    workdir: '/home/dev/weather-app',
    state: 'running',
    activity: 'testing',
    currentPhase: 'Test',
    phaseNumber: '4/7',
    phaseIndex: 4,
    phaseTotal: 7,
    phasesCompleted: ['Scout', 'Architect', 'Builder'],
    progressDetail: 'Running unit tests',
    progressPercent: 57,
    testIteration: 1,
    startedAt: '2026-11-20T14:02:11Z',
    updatedAt: '2026-11-20T14:19:40Z',
    endedAt: null,
    source: 'live',
    phases: [],
    warnings: [],
    tokensTotal: null,
    costUsd: null,
    ...overrides,
  };
}

/** A real store that also remembers every batch it was asked to save, and can be made to fail. */
function spyOn(store: Store) {
  const batches: SessionWrite[][] = [];
  let failWith: Error | null = null;
  return {
    batches,
    failNext(err: Error | null) {
      failWith = err;
    },
    saveSessions(batch: readonly SessionWrite[]) {
      if (failWith) throw failWith;
      batches.push([...batch]);
      store.saveSessions(batch);
    },
  };
}

let dir: string;
let store: Store;
let clock: FakeClock;
let errors: unknown[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buildcast-'));
  store = openStore(path.join(dir, 'buildcast.db'));
  clock = new FakeClock();
  errors = [];
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function coalescer(spy: ReturnType<typeof spyOn>): WriteCoalescer {
  return new WriteCoalescer({ store: spy, clock, intervalMs: 1000, onError: (err) => errors.push(err) });
}

describe('WriteCoalescer', () => {
  it('writes a busy session once per interval, with its latest state', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    for (let i = 1; i <= 50; i++) {
      writes.markDirty(makeSession({ testIteration: i }));
      clock.advance(10);
    }
    // 500 ms in: nothing written yet, one timer waiting.
    expect(spy.batches).toHaveLength(0);
    expect(writes.pendingCount).toBe(1);
    expect(clock.pending).toBe(1);

    clock.advance(500);
    expect(spy.batches).toHaveLength(1);
    expect(spy.batches[0]?.map((w) => w.session.testIteration)).toEqual([50]);
    expect(store.loadSessions()[0]?.testIteration).toBe(50);
    expect(writes.pendingCount).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('puts every dirty session of an interval into one transaction', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    for (let i = 0; i < 20; i++) writes.markDirty(makeSession({ id: `s-${i % 5}`, testIteration: i }));
    clock.advance(1000);
    expect(spy.batches).toHaveLength(1);
    expect(spy.batches[0]?.map((w) => [w.session.id, w.session.testIteration])).toEqual([
      ['s-0', 15],
      ['s-1', 16],
      ['s-2', 17],
      ['s-3', 18],
      ['s-4', 19],
    ]);
    expect(store.countSessions()).toBe(5);
  });

  it('flushNow writes at once and leaves no timer behind', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    writes.markDirty(makeSession());
    expect(writes.flushNow()).toBe(true);
    expect(spy.batches).toHaveLength(1);
    expect(clock.pending).toBe(0);
    expect(store.countSessions()).toBe(1);
    // Nothing pending: no empty transaction.
    expect(writes.flushNow()).toBe(true);
    expect(spy.batches).toHaveLength(1);
  });

  it('writes a session the moment it completes or fails, together with the rest', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    writes.markDirty(makeSession({ id: 'other' }));
    writes.markDirty(makeSession());
    writes.markDirty(makeSession({ state: 'completed', endedAt: '2026-11-20T14:30:00Z' }));
    expect(spy.batches).toHaveLength(1);
    expect(spy.batches[0]?.map((w) => w.session.id)).toEqual(['other', 'weather-app-20261120T140211Z']);
    expect(store.loadSessions().find((s) => s.id === 'weather-app-20261120T140211Z')?.state).toBe(
      'completed',
    );

    // Later changes to an already completed session (late token counts) are coalesced again.
    writes.markDirty(makeSession({ state: 'completed', tokensTotal: 10 }));
    writes.markDirty(makeSession({ state: 'completed', tokensTotal: 20 }));
    expect(spy.batches).toHaveLength(1);
    clock.advance(1000);
    expect(spy.batches).toHaveLength(2);

    writes.markDirty(makeSession({ id: 'third', state: 'failed' }));
    expect(spy.batches).toHaveLength(3);
  });

  it('close flushes everything pending, stops its timer and refuses later updates', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    writes.markDirty(makeSession({ id: 'a' }));
    writes.markDirty(makeSession({ id: 'b' }));
    expect(writes.close()).toBe(true);
    expect(store.countSessions()).toBe(2);
    expect(clock.pending).toBe(0);

    writes.markDirty(makeSession({ id: 'late' }));
    expect(writes.pendingCount).toBe(0);
    expect(String(errors[0])).toMatch(/closed.*late/);
    clock.advance(5000);
    expect(store.countSessions()).toBe(2);
  });

  it('keeps pending writes when the store fails, reports the error, and retries', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    spy.failNext(new Error('database or disk is full'));
    writes.markDirty(makeSession({ testIteration: 1 }));
    clock.advance(1000);
    expect(errors.map(String)).toEqual(['Error: database or disk is full']);
    expect(writes.pendingCount).toBe(1);
    expect(store.countSessions()).toBe(0);

    // A newer state arrives while the disk is still full; then space comes back.
    writes.markDirty(makeSession({ testIteration: 2 }));
    expect(writes.flushNow()).toBe(false);
    spy.failNext(null);
    clock.advance(1000);
    expect(writes.pendingCount).toBe(0);
    expect(store.loadSessions()[0]?.testIteration).toBe(2);
  });

  it('close reports a failed final write and says what is still pending', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    writes.markDirty(makeSession());
    spy.failNext(new Error('disk I/O error'));
    expect(writes.close()).toBe(false);
    expect(writes.pendingCount).toBe(1);
    expect(errors).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('keeps raw text given earlier when a later update leaves it out', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    writes.markDirty(makeSession({ testIteration: 1 }), '{"test_iteration":1}');
    writes.markDirty(makeSession({ testIteration: 2 }));
    clock.advance(1000);
    expect(store.loadRaw('weather-app-20261120T140211Z')).toBe('{"test_iteration":1}');
    expect(store.loadSessions()[0]?.testIteration).toBe(2);

    // Omitted raw in a later interval keeps the stored raw; null clears it.
    writes.markDirty(makeSession({ testIteration: 3 }));
    writes.flushNow();
    expect(store.loadRaw('weather-app-20261120T140211Z')).toBe('{"test_iteration":1}');
    writes.markDirty(makeSession({ testIteration: 4 }), null);
    writes.markDirty(makeSession({ testIteration: 5 }));
    writes.flushNow();
    expect(store.loadRaw('weather-app-20261120T140211Z')).toBeNull();
  });

  it('forgets a deleted session so it is not written back', () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    writes.markDirty(makeSession());
    writes.forget('weather-app-20261120T140211Z');
    expect(writes.pendingCount).toBe(0);
    expect(clock.pending).toBe(0);
    clock.advance(1000);
    expect(spy.batches).toHaveLength(0);
  });

  it('commits what requests of one turn changed in one transaction, answering each after it', async () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    writes.markDirty(makeSession({ id: 'a', testIteration: 1 }));
    const first = writes.commit();
    writes.markDirty(makeSession({ id: 'b', testIteration: 1 }));
    const second = writes.commit();
    // Nothing is written before the turn ends: both requests are still waiting.
    expect(spy.batches).toHaveLength(0);
    await Promise.all([first, second]);
    expect(spy.batches.map((batch) => batch.map((w) => w.session.id))).toEqual([['a', 'b']]);
    expect(store.countSessions()).toBe(2);
    expect(clock.pending).toBe(0);
  });

  it('refuses to acknowledge a commit the store could not make, and keeps the update for a retry', async () => {
    const spy = spyOn(store);
    const writes = coalescer(spy);
    spy.failNext(new Error('database or disk is full'));
    writes.markDirty(makeSession({ testIteration: 3 }));
    await expect(writes.commit()).rejects.toThrow(/could not be written/);
    expect(writes.pendingCount).toBe(1);
    spy.failNext(null);
    await writes.commit();
    expect(store.loadSessions()[0]?.testIteration).toBe(3);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import { MAX_RAW_BYTES } from '../../src/collector/raw-text.js';
import { defaultDbPath, openStore } from '../../src/store/store.js';
import type { Store } from '../../src/store/store.js';

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
    progressDetail: 'Running unit tests (iteration 2)',
    progressPercent: 57.5,
    testIteration: 2,
    startedAt: '2026-11-20T14:02:11Z',
    updatedAt: '2026-11-20T14:19:40Z',
    endedAt: null,
    source: 'live',
    phases: [
      {
        name: 'Scout',
        number: '1/7',
        index: 1,
        status: 'completed',
        startedAt: '2026-11-20T14:02:11Z',
        endedAt: '2026-11-20T14:05:11Z',
        durationMs: 180_000,
        clock: 'build',
      },
      {
        name: 'Screenshot',
        number: '4.5/8',
        index: 4.5,
        status: 'completed',
        startedAt: null,
        endedAt: '2026-11-20T14:10:00Z',
        durationMs: null,
        clock: 'build',
      },
      {
        name: 'Test',
        number: '4/7',
        index: 4,
        status: 'running',
        startedAt: '2026-11-20T14:15:00Z',
        endedAt: null,
        durationMs: null,
        clock: 'receipt',
      },
    ],
    warnings: [
      {
        file: '/home/dev/weather-app/.context-foundry/current-phase.json',
        reason: 'invalid JSON: Unexpected end of JSON input',
        at: '2026-11-20T14:19:41Z',
      },
    ],
    tokensTotal: 1_234_567,
    costUsd: 3.21,
    ...overrides,
  };
}

let dir: string;
let opened: Store[];

function open(file = path.join(dir, 'buildcast.db')): Store {
  const store = openStore(file);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buildcast-'));
  opened = [];
});

afterEach(() => {
  for (const store of opened) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('creates missing parent folders and turns on WAL for files', () => {
    const file = path.join(dir, 'nested', 'deeper', 'buildcast.db');
    const store = open(file);
    store.saveSessions([{ session: makeSession() }]);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    store.close();
    // Header bytes 18 and 19 are the read and write format versions; 2 means WAL.
    const header = fs.readFileSync(file);
    expect([header[18], header[19]]).toEqual([2, 2]);
    // close() checkpoints with TRUNCATE, so the file alone holds everything.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('works in memory, with no file written', () => {
    const store = open(':memory:');
    store.saveSessions([{ session: makeSession(), raw: '{"a":1}' }]);
    expect(store.path).toBe(':memory:');
    expect(store.countSessions()).toBe(1);
    expect(store.loadRaw('weather-app-20261120T140211Z')).toBe('{"a":1}');
    expect(fs.readdirSync(dir)).toEqual([]);
    store.close();
  });

  it('closes more than once without complaint', () => {
    const store = open();
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});

describe('sessions', () => {
  it('round-trips a full session: timeline, warnings, nulls, unicode and raw', () => {
    const store = open();
    const session = makeSession({
      project: 'wetter-äpp 🌦',
      progressDetail: 'Läuft: «Tests» — 2/3 ✓',
      phasesCompleted: ['Scout', 'Архитектор'],
    });
    const bare = makeSession({
      id: 'bare-20261120T150000Z',
      workdir: null,
      activity: null,
      currentPhase: null,
      phaseNumber: null,
      phaseIndex: null,
      phaseTotal: null,
      phasesCompleted: [],
      progressDetail: null,
      progressPercent: null,
      testIteration: null,
      updatedAt: '2026-11-20T15:00:00Z',
      source: 'push',
      phases: [],
      warnings: [],
      tokensTotal: null,
      costUsd: null,
    });
    const raw = '{"session_id":"wetter-äpp 🌦","status":"testing"}\n';
    store.saveSessions([{ session, raw }, { session: bare }]);

    expect(store.loadSessions()).toEqual([session, bare]);
    expect(store.loadRaw(session.id)).toBe(raw);
    expect(store.loadRaw(bare.id)).toBeNull();
    expect(store.loadRaw('no-such-session')).toBeNull();
  });

  it('derives each phase duration from its start and end', () => {
    const store = open();
    const session = makeSession();
    // A stale or wrong durationMs from the caller is not trusted: the store computes it.
    const phases = session.phases.map((p) => ({ ...p, durationMs: 1 }));
    store.saveSessions([{ session: { ...session, phases } }]);
    const [loaded] = store.loadSessions();
    expect(loaded?.phases.map((p) => p.durationMs)).toEqual([180_000, null, null]);
  });

  it('restores everything after the file is reopened', () => {
    const file = path.join(dir, 'buildcast.db');
    const first = open(file);
    const done = makeSession({
      id: 'done-20261120T120000Z',
      state: 'completed',
      updatedAt: '2026-11-20T13:00:00Z',
      endedAt: '2026-11-20T13:00:00Z',
    });
    const live = makeSession();
    first.saveSessions([
      { session: live, raw: 'live raw' },
      { session: done, raw: 'done raw' },
    ]);
    first.state.transcriptOffsets.set('/a.jsonl', { offset: 4096, size: 4096, ino: 7 });
    first.close();

    const second = open(file);
    // Oldest change first.
    expect(second.loadSessions()).toEqual([done, live]);
    expect(second.loadRaw(live.id)).toBe('live raw');
    expect(second.loadRaw(done.id)).toBe('done raw');
    expect(second.state.transcriptOffsets.get('/a.jsonl')).toEqual({ offset: 4096, size: 4096, ino: 7 });
    expect(second.countSessions()).toBe(2);
  });

  it('replaces phases and warnings on every save, and keeps, replaces or clears raw as asked', () => {
    const store = open();
    const session = makeSession();
    store.saveSessions([{ session, raw: 'first' }]);

    const fixed = {
      ...session,
      warnings: [],
      phases: session.phases.slice(0, 1),
      updatedAt: '2026-11-20T14:30:00Z',
    };
    store.saveSessions([{ session: fixed }]);
    expect(store.loadSessions()).toEqual([fixed]);
    expect(store.loadRaw(session.id)).toBe('first');

    store.saveSessions([{ session: fixed, raw: 'second' }]);
    expect(store.loadRaw(session.id)).toBe('second');

    store.saveSessions([{ session: fixed, raw: null }]);
    expect(store.loadRaw(session.id)).toBeNull();
    expect(store.countSessions()).toBe(1);
  });

  it('stores a raw file over 1 MiB cut short, with a note on its last line', () => {
    const store = open();
    const huge = '{"x":"' + 'é'.repeat(MAX_RAW_BYTES) + '"}';
    store.saveSessions([{ session: makeSession(), raw: huge }]);
    const stored = store.loadRaw('weather-app-20261120T140211Z') ?? '';
    expect(Buffer.byteLength(stored, 'utf8')).toBeLessThanOrEqual(MAX_RAW_BYTES);
    const lines = stored.split('\n');
    expect(lines.at(-1)).toMatch(/truncated.*1 MiB/);
    expect(lines[0]?.startsWith('{"x":"éé')).toBe(true);
    // Cut on a character boundary: no replacement character from a split "é".
    expect(stored).not.toContain('\uFFFD');
  });

  it('deletes a session together with its phases and warnings', () => {
    const store = open();
    const session = makeSession();
    store.saveSessions([{ session }, { session: makeSession({ id: 'other' }) }]);
    expect(store.deleteSession(session.id)).toBe(true);
    expect(store.deleteSession(session.id)).toBe(false);
    expect(store.loadSessions().map((s) => s.id)).toEqual(['other']);

    // The same id saved again without phases shows that none were left behind.
    store.saveSessions([{ session: { ...session, phases: [], warnings: [] } }]);
    const again = store.loadSessions().find((s) => s.id === session.id);
    expect(again?.phases).toEqual([]);
    expect(again?.warnings).toEqual([]);
  });

  it('saves 10,000 sessions in one batch and loads every one back', () => {
    const file = path.join(dir, 'buildcast.db');
    const store = open(file);
    const batch = Array.from({ length: 10_000 }, (_, i) => ({
      session: makeSession({
        id: `project-${i % 37}-${String(i).padStart(5, '0')}`,
        project: `project-${i % 37}`,
        updatedAt: new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString(),
        testIteration: i,
      }),
      raw: `raw ${i}`,
    }));
    store.saveSessions(batch);
    store.close();

    const reopened = open(file);
    expect(reopened.countSessions()).toBe(10_000);
    const loaded = reopened.loadSessions();
    expect(loaded).toHaveLength(10_000);
    expect(loaded.map((s) => s.testIteration)).toEqual(batch.map((_, i) => i));
    expect(loaded[9_999]).toEqual(batch[9_999]?.session);
    expect(loaded.every((s) => s.phases.length === 3 && s.warnings.length === 1)).toBe(true);
    expect(reopened.loadRaw(batch[4_747]?.session.id ?? '')).toBe('raw 4747');
  });

  it('leaves the store unchanged when a batch fails part-way', () => {
    const store = open();
    store.saveSessions([{ session: makeSession() }]);
    const broken = { ...makeSession({ id: 'broken' }), project: null } as unknown as Session;
    expect(() =>
      store.saveSessions([{ session: makeSession({ id: 'fine' }) }, { session: broken }]),
    ).toThrow();
    expect(store.loadSessions().map((s) => s.id)).toEqual(['weather-app-20261120T140211Z']);
  });
});

describe('defaultDbPath', () => {
  it('uses XDG_DATA_HOME on Linux when it is absolute', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data/me' }, 'linux', '/home/me')).toBe(
      '/data/me/buildcast/buildcast.db',
    );
  });

  it('falls back to ~/.local/share on Linux when XDG_DATA_HOME is unset or relative', () => {
    expect(defaultDbPath({}, 'linux', '/home/me')).toBe('/home/me/.local/share/buildcast/buildcast.db');
    expect(defaultDbPath({ XDG_DATA_HOME: 'rel/data' }, 'linux', '/home/me')).toBe(
      '/home/me/.local/share/buildcast/buildcast.db',
    );
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/ignored' }, 'darwin', '/Users/me')).toBe(
      '/Users/me/Library/Application Support/buildcast/buildcast.db',
    );
  });

  it('uses LOCALAPPDATA on Windows, or its usual place under the home folder', () => {
    expect(defaultDbPath({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32', 'C:\\Users\\me')).toBe(
      'C:\\Users\\me\\AppData\\Local\\buildcast\\buildcast.db',
    );
    expect(defaultDbPath({}, 'win32', 'C:\\Users\\me')).toBe(
      'C:\\Users\\me\\AppData\\Local\\buildcast\\buildcast.db',
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyObservation,
  markStalled,
  projectOf,
  resolveIdentity,
  sessionIdFor,
  shouldApply,
  stateOf,
  type SessionTrack,
} from '../../src/core/session-rules.js';
import { MAX_PHASES, parsePhaseFile } from '../../src/collector/phase-file.js';
import type { PhaseObservation, PhaseRecord } from '../../src/collector/types.js';
import type { Session } from '../../src/shared/protocol.js';

function record(fields: Record<string, unknown>): PhaseRecord {
  const parsed = parsePhaseFile(JSON.stringify(fields));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.value;
}

const T0 = Date.parse('2026-11-20T14:02:11Z');

function observe(
  fields: Record<string, unknown>,
  at: number,
  source: PhaseObservation['source'] = 'live',
): PhaseObservation {
  const text = JSON.stringify(fields);
  return {
    source,
    record: record(fields),
    raw: text,
    workdir: '/work/weather',
    file: '/work/weather/.context-foundry/current-phase.json',
    observedAt: at,
    dataTime: at,
  };
}

function run(steps: Array<[Record<string, unknown>, number]>): Session {
  let session: Session | undefined;
  for (const [fields, at] of steps) {
    const obs = observe(fields, at);
    session = applyObservation(
      session,
      { id: 'weather-app-x', startedAt: new Date(T0).toISOString() },
      'weather-app',
      obs,
    );
  }
  return session!;
}

/** The session after one more observation of the same run. */
function next(session: Session, fields: Record<string, unknown>, at: number): Session {
  return applyObservation(
    session,
    { id: session.id, startedAt: session.startedAt },
    'weather-app',
    observe(fields, at),
  );
}

describe('identity', () => {
  const base = {
    session_id: 'weather-app',
    current_phase: 'Scout',
    phase_number: '1/7',
    status: 'researching',
  };
  const none = () => false;

  it('makes stable URL-safe ids from project and start time', () => {
    expect(sessionIdFor('Weather App!', '2026-11-20T14:02:11.000Z')).toBe('weather-app-20261120T140211Z');
  });

  it('takes the project from session_id, else the work directory name', () => {
    expect(projectOf(record(base), '/x/y')).toBe('weather-app');
    expect(projectOf(record({ current_phase: 'Scout' }), '/home/me/todo-api/')).toBe('todo-api');
  });

  it('treats a new started_at as a new session and the same started_at as the same one, whatever the status', () => {
    const first = resolveIdentity(
      record({ ...base, started_at: '2026-11-20T14:02:11Z' }),
      'weather-app',
      undefined,
      none,
      'x',
    );
    expect(first).toEqual({
      kind: 'new',
      id: 'weather-app-20261120T140211Z',
      startedAt: '2026-11-20T14:02:11.000Z',
    });
    const exists = (id: string) => id === 'weather-app-20261120T140211Z';
    const retry = record({ ...base, status: 'self-healing', started_at: '2026-11-20T14:02:11Z' });
    expect(resolveIdentity(retry, 'weather-app', undefined, exists, 'x')).toEqual({
      kind: 'existing',
      id: 'weather-app-20261120T140211Z',
    });
    const second = record({ ...base, started_at: '2026-11-20T16:00:00Z' });
    expect(resolveIdentity(second, 'weather-app', undefined, exists, 'x').kind).toBe('new');
  });

  it('without started_at, goes on until completion or failure and a return to phase 0 or 1', () => {
    const now = '2026-11-20T15:00:00.000Z';
    const running = run([[{ ...base, current_phase: 'Test', phase_number: '4/7', status: 'testing' }, T0]]);
    const done = run([
      [{ ...base, current_phase: 'Feedback', phase_number: '7/8', status: 'completed' }, T0],
    ]);
    const failed = run([[{ ...base, current_phase: 'Test', phase_number: '4/7', status: 'failed' }, T0]]);
    const exists = (id: string) => id === 'weather-app-x' || id === 'weather-app-20261120T150000Z';
    expect(resolveIdentity(record(base), 'weather-app', running, exists, now)).toEqual({
      kind: 'existing',
      id: 'weather-app-x',
    });
    expect(resolveIdentity(record(base), 'weather-app', done, exists, now)).toEqual({
      kind: 'new',
      id: 'weather-app-20261120T150000Z-2',
      startedAt: now,
    });
    expect(
      resolveIdentity(
        record({ ...base, phase_number: '0/7', current_phase: 'Codebase Analysis' }),
        'weather-app',
        failed,
        exists,
        now,
      ).kind,
    ).toBe('new');
    // GitHub Integration after Feedback, or a retry of the failed phase: the same run comes back.
    const later = record({
      ...base,
      current_phase: 'GitHub Integration',
      phase_number: '7.5/8',
      status: 'configuring',
    });
    expect(resolveIdentity(later, 'weather-app', done, exists, now)).toEqual({
      kind: 'existing',
      id: 'weather-app-x',
    });
    const retry = record({ ...base, current_phase: 'Test', phase_number: '4/7', status: 'self healing' });
    expect(resolveIdentity(retry, 'weather-app', failed, exists, now).kind).toBe('existing');
    // Re-reading the final state (a restart) is not a restart of the build.
    const final = record({ ...base, current_phase: 'Scout', phase_number: '1/7', status: 'failed' });
    expect(resolveIdentity(final, 'weather-app', failed, exists, now).kind).toBe('existing');
  });
});

describe('what status means', () => {
  it('completes the session only when the final phase completes', () => {
    expect(stateOf(record({ current_phase: 'Test', phase_number: '4/7', status: 'completed' }), false)).toBe(
      'running',
    );
    expect(
      stateOf(record({ current_phase: 'Feedback', phase_number: '7/8', status: 'completed' }), false),
    ).toBe('completed');
    expect(
      stateOf(
        record({ current_phase: 'GitHub Integration', phase_number: '7.5/8', status: 'Completed' }),
        false,
      ),
    ).toBe('completed');
    expect(
      stateOf(record({ current_phase: 'Deploy', phase_number: '8/8', status: 'completed' }), false),
    ).toBe('completed');
    expect(stateOf(record({ current_phase: 'Builder', status: 'failed' }), false)).toBe('failed');
    expect(stateOf(record({ current_phase: 'Builder', status: 'building' }), true)).toBe('completed');
    expect(
      stateOf(
        record({ current_phase: 'Builder', status: 'building', completionTracking: { isComplete: true } }),
        false,
      ),
    ).toBe('completed');
  });

  it('brings a completed session back to running on a later update of the same run', () => {
    const session = run([
      [{ current_phase: 'Feedback', phase_number: '7/8', status: 'completed' }, T0],
      [{ current_phase: 'GitHub Integration', phase_number: '7.5/8', status: 'configuring' }, T0 + 1000],
    ]);
    expect(session.state).toBe('running');
    expect(session.endedAt).toBeNull();
  });
});

describe('phase timeline', () => {
  it('gives each phase a start, an end and a duration', () => {
    const session = run([
      [{ current_phase: 'Scout', phase_number: '1/7', status: 'researching' }, T0],
      [
        { current_phase: 'Scout', phase_number: '1/7', status: 'completed', phases_completed: ['Scout'] },
        T0 + 60_000,
      ],
      [
        { current_phase: 'Architect', phase_number: '2/7', status: 'designing', phases_completed: ['Scout'] },
        T0 + 61_000,
      ],
      [
        {
          current_phase: 'Builder',
          phase_number: '3/7',
          status: 'building',
          phases_completed: ['Scout', 'Architect'],
        },
        T0 + 181_000,
      ],
    ]);
    expect(session.phases.map((p) => [p.name, p.status, p.durationMs])).toEqual([
      ['Scout', 'completed', 60_000],
      ['Architect', 'completed', 120_000],
      ['Builder', 'running', null],
    ]);
    expect(session.phasesCompleted).toEqual(['Scout', 'Architect']);
    expect(session.progressPercent).toBe(43);
  });
});

describe('change detection', () => {
  it('returns the very same session for identical content, so its hash cannot change', () => {
    const fields = { current_phase: 'Test', phase_number: '4/7', status: 'testing', test_iteration: 2 };
    const first = run([[fields, T0]]);
    const again = applyObservation(
      first,
      { id: first.id, startedAt: first.startedAt },
      'weather-app',
      observe(fields, T0 + 5_000),
    );
    expect(again).toBe(first);
    const changed = applyObservation(
      first,
      { id: first.id, startedAt: first.startedAt },
      'weather-app',
      observe({ ...fields, test_iteration: 3 }, T0 + 5_000),
    );
    expect(changed).not.toBe(first);
    expect(changed.updatedAt).toBe(new Date(T0 + 5_000).toISOString());
  });
});

describe('fresh live beats checkpoint', () => {
  const fresh = 10_000;
  const track = (source: Session['source'], dataTime: number, liveDataTime: number | null): SessionTrack => ({
    session: { source } as Session,
    dataTime,
    liveDataTime,
  });
  const fields = { session_id: 'weather-app', current_phase: 'Test' };

  it('ignores a checkpoint while the live file is fresh, and takes a newer one once it is stale', () => {
    const live = track('live', T0, T0);
    expect(shouldApply(live, observe(fields, T0 + 1_000, 'checkpoint'), T0 + 5_000, fresh)).toBe(false);
    expect(shouldApply(live, observe(fields, T0 + 20_000, 'checkpoint'), T0 + 20_000, fresh)).toBe(true);
    expect(shouldApply(live, observe(fields, T0 - 1_000, 'checkpoint'), T0 + 60_000, fresh)).toBe(false);
  });

  it('always takes a fresh live file and a push, and never lets a stale live file undo newer data', () => {
    const checkpoint = track('checkpoint', T0 + 30_000, null);
    expect(shouldApply(checkpoint, observe(fields, T0 + 31_000, 'live'), T0 + 32_000, fresh)).toBe(true);
    expect(shouldApply(checkpoint, observe(fields, T0, 'live'), T0 + 60_000, fresh)).toBe(false);
    expect(shouldApply(checkpoint, observe(fields, T0, 'push'), T0 + 60_000, fresh)).toBe(true);
    expect(shouldApply(undefined, observe(fields, T0, 'checkpoint'), T0, fresh)).toBe(true);
  });
});

describe('stall marking', () => {
  it('marks a silent running session stalled once the window passes, and nothing else', () => {
    const session = run([[{ current_phase: 'Test', status: 'testing' }, T0]]);
    expect(markStalled(session, T0, T0 + 599_999, 600_000)).toBeNull();
    expect(markStalled(session, T0, T0 + 600_000, 600_000)).toMatchObject({ state: 'stalled' });
    const done = run([[{ current_phase: 'Feedback', phase_number: '7/8', status: 'completed' }, T0]]);
    expect(markStalled(done, T0, T0 + 10 * 600_000, 600_000)).toBeNull();
  });
});

describe('the same news by two roads', () => {
  it('does not count a push of what the live file already said as a change', () => {
    const fields = { current_phase: 'Test', phase_number: '4/7', status: 'testing' };
    const live = run([[fields, T0]]);
    const pushed = applyObservation(
      live,
      { id: live.id, startedAt: live.startedAt },
      'weather-app',
      observe(fields, T0 + 50, 'push'),
    );
    expect(pushed).toBe(live);
    const newer = applyObservation(
      live,
      { id: live.id, startedAt: live.startedAt },
      'weather-app',
      observe({ ...fields, test_iteration: 2 }, T0 + 50, 'push'),
    );
    expect(newer.source).toBe('push');
  });
});

describe('what a session keeps of a runaway or hostile build', () => {
  const file = '/work/weather/.context-foundry/current-phase.json';
  const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);

  it('keeps the first 64 of a 25,000-name phases_completed, says so, and a later update clears the warning', () => {
    const flood = run([
      [{ current_phase: 'Builder', status: 'building', phases_completed: names(25_000) }, T0],
    ]);
    expect(flood.phasesCompleted).toHaveLength(MAX_PHASES);
    expect(flood.phasesCompleted.slice(0, 3)).toEqual(['p0', 'p1', 'p2']);
    expect(flood.phases.length).toBeLessThanOrEqual(MAX_PHASES);
    expect(flood.warnings).toHaveLength(1);
    expect(flood.warnings[0]).toMatchObject({ file });
    expect(flood.warnings[0]!.reason).toContain('phases_completed: kept the first 64 of 25000 phases');

    const later = next(
      flood,
      { current_phase: 'Builder', status: 'building', progress_detail: 'next' },
      T0 + 1_000,
    );
    expect(later.progressDetail).toBe('next');
    expect(later.phasesCompleted).toHaveLength(MAX_PHASES);
    expect(later.warnings).toEqual([]);
  });

  it('never grows past its caps over many updates, each naming new phases', () => {
    const steps: Array<[Record<string, unknown>, number]> = Array.from({ length: 200 }, (_, i) => [
      { current_phase: `step ${i}`, status: 'running', phases_completed: [`done ${i}`, `also ${i}`] },
      T0 + i * 1_000,
    ]);
    const session = run(steps);
    expect(session.phases.length).toBeLessThanOrEqual(MAX_PHASES);
    expect(session.phasesCompleted.length).toBeLessThanOrEqual(MAX_PHASES);
    expect(session.currentPhase).toBe('step 199');
    expect(session.warnings[0]?.reason).toMatch(/phases? not shown: a session shows at most 64/);
  });

  it('an unchanged warning is no change: the same file twice gives the same session', () => {
    const fields = { current_phase: 'Test', status: 'testing', phases_completed: names(100) };
    const first = run([[fields, T0]]);
    expect(next(first, fields, T0 + 5_000)).toBe(first);
  });

  it('reads "constructor", "__proto__" and "toString" as the phase names they are', () => {
    const session = run([
      [
        {
          current_phase: 'constructor',
          status: 'hasOwnProperty',
          phases_completed: ['__proto__', 'valueOf'],
        },
        T0,
      ],
    ]);
    expect(session).toMatchObject({
      currentPhase: 'constructor',
      activity: 'hasownproperty',
      state: 'running',
      phasesCompleted: ['__proto__', 'valueOf'],
    });
  });

  it('shows an unsafe test iteration as a warning and keeps the last good one', () => {
    const session = run([
      [{ current_phase: 'Test', status: 'testing', test_iteration: 2 }, T0],
      [{ current_phase: 'Test', status: 'testing', test_iteration: 2 ** 60 }, T0 + 1_000],
    ]);
    expect(session.testIteration).toBe(2);
    expect(session.warnings[0]?.reason).toBe(
      `test_iteration: expected a whole number below 2^53, got ${2 ** 60}`,
    );
  });
});

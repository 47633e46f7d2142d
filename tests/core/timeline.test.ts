/**
 * The phase timeline moved forward one record at a time: phases end when the next starts, those
 * known only from `phases_completed` are filled in, and a timeline never grows past its cap.
 */
import { describe, expect, it } from 'vitest';
import { advanceTimeline, recordTimes, stepTimeline } from '../../src/core/timeline.js';
import { MAX_PHASES, parsePhaseFile } from '../../src/collector/phase-file.js';
import type { PhaseRecord } from '../../src/collector/types.js';

function record(fields: Record<string, unknown>): PhaseRecord {
  const parsed = parsePhaseFile(JSON.stringify(fields));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.value;
}

describe('phase timeline', () => {
  it('fills in phases known only from phases_completed, and reopens a failed phase on a retry', () => {
    const joined = advanceTimeline(
      [],
      record({
        current_phase: 'Test',
        phase_number: '4/7',
        status: 'testing',
        phases_completed: ['Scout', 'Architect', 'Builder'],
      }),
      '2026-11-20T14:30:00.000Z',
    );
    expect(joined.map((p) => [p.name, p.status, p.startedAt])).toEqual([
      ['Scout', 'completed', null],
      ['Architect', 'completed', null],
      ['Builder', 'completed', null],
      ['Test', 'running', '2026-11-20T14:30:00.000Z'],
    ]);
    const failed = advanceTimeline(
      joined,
      record({ current_phase: 'Test', status: 'failed' }),
      '2026-11-20T14:40:00.000Z',
    );
    expect(failed[3]).toMatchObject({ status: 'failed', durationMs: 600_000 });
    const retry = advanceTimeline(
      failed,
      record({ current_phase: 'Test', status: 'self-healing' }),
      '2026-11-20T14:41:00.000Z',
    );
    expect(retry[3]).toMatchObject({ status: 'running', endedAt: null });
  });

  it('uses the nested timestamps a build gives', () => {
    const phases = advanceTimeline(
      [],
      record({
        current_phase: 'Scout',
        status: 'completed',
        timestamps: { phaseStart: '2026-11-20T14:00:00Z', phaseEnd: '2026-11-20T14:05:00Z' },
      }),
      '2026-11-20T14:06:00.000Z',
    );
    expect(phases[0]).toMatchObject({
      startedAt: '2026-11-20T14:00:00.000Z',
      endedAt: '2026-11-20T14:05:00.000Z',
      durationMs: 300_000,
      clock: 'build',
    });
  });
});

describe('phase timeline: the build’s own clock (SPEC 2)', () => {
  const receipt = '2026-12-01T09:00:00.000Z';

  it('times phases by last_updated, then timestamps.*, and only then by receipt', () => {
    expect(
      recordTimes(record({ current_phase: 'Scout', last_updated: '2026-11-20T14:00:00Z' }), receipt),
    ).toEqual({
      start: { at: '2026-11-20T14:00:00.000Z', clock: 'build' },
      end: { at: '2026-11-20T14:00:00.000Z', clock: 'build' },
    });
    // Epoch milliseconds and seconds, nested, as builds write them.
    const nested = record({
      current_phase: 'Scout',
      timestamps: { phaseStart: 1795183200000, phaseEnd: 1795183500, lastUpdated: 1795183510000 },
    });
    expect(recordTimes(nested, receipt)).toEqual({
      start: { at: new Date(1795183200000).toISOString(), clock: 'build' },
      end: { at: new Date(1795183500000).toISOString(), clock: 'build' },
    });
    expect(recordTimes(record({ current_phase: 'Scout' }), receipt)).toEqual({
      start: { at: receipt, clock: 'receipt' },
      end: { at: receipt, clock: 'receipt' },
    });
  });

  it('ends a phase when the next begins by the build’s clock, and marks a receipt-timed one', () => {
    let phases = advanceTimeline(
      [],
      record({ current_phase: 'Scout', status: 'researching', last_updated: '2026-11-20T14:00:00Z' }),
      '2026-12-01T09:00:00.000Z',
    );
    phases = advanceTimeline(
      phases,
      record({
        current_phase: 'Architect',
        status: 'designing',
        phases_completed: ['Scout'],
        timestamps: { phaseStart: '2026-11-20T14:04:00Z' },
        last_updated: '2026-11-20T14:04:02Z',
      }),
      '2026-12-01T09:00:00.010Z',
    );
    phases = advanceTimeline(phases, record({ current_phase: 'Architect', status: 'completed' }), receipt);
    expect(
      phases.map(({ name, startedAt, endedAt, durationMs, clock }) => ({
        name,
        startedAt,
        endedAt,
        durationMs,
        clock,
      })),
    ).toEqual([
      {
        name: 'Scout',
        startedAt: '2026-11-20T14:00:00.000Z',
        endedAt: '2026-11-20T14:04:00.000Z',
        durationMs: 240_000,
        clock: 'build',
      },
      // Its end came from no timestamp: buildcast's receipt stands in, and says so.
      {
        name: 'Architect',
        startedAt: '2026-11-20T14:04:00.000Z',
        endedAt: receipt,
        durationMs: Date.parse(receipt) - Date.parse('2026-11-20T14:04:00Z'),
        clock: 'receipt',
      },
    ]);
  });

  it('gives no duration when the end it is given comes before the start', () => {
    const started = advanceTimeline([], record({ current_phase: 'Scout', status: 'researching' }), receipt);
    const ended = advanceTimeline(
      started,
      record({ current_phase: 'Scout', status: 'completed', last_updated: '2026-11-20T14:00:00Z' }),
      receipt,
    );
    expect(ended[0]).toMatchObject({
      endedAt: '2026-11-20T14:00:00.000Z',
      durationMs: null,
      clock: 'receipt',
    });
  });
});

describe('phase timeline: bounded, whatever the build lists', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `Phase ${i}`);

  it('holds at most MAX_PHASES phases and counts the ones left out', () => {
    const step = stepTimeline(
      [],
      { ...record({ current_phase: 'Test', status: 'testing' }), phasesCompleted: many(100) },
      '2026-11-20T14:30:00.000Z',
    );
    expect(step.phases).toHaveLength(MAX_PHASES);
    expect(step.phases.map((p) => p.name).slice(0, 2)).toEqual(['Phase 0', 'Phase 1']);
    // 100 listed phases and the current one, 64 of them shown.
    expect(step).toMatchObject({ leftOut: 100 + 1 - MAX_PHASES, currentLeftOut: false });
    expect(step.phases.at(-1)?.name).toBe('Test');
  });

  it('keeps the phases it already shows when a full timeline meets a new one', () => {
    const full = stepTimeline(
      [],
      { ...record({ current_phase: 'Phase 0', status: 'running' }), phasesCompleted: many(MAX_PHASES) },
      '2026-11-20T14:30:00.000Z',
    ).phases;
    const next = stepTimeline(
      full,
      record({ current_phase: 'Brand new', status: 'running' }),
      '2026-11-20T14:31:00.000Z',
    );
    expect(next.phases.map((p) => p.name)).toEqual(full.map((p) => p.name));
    expect(next).toMatchObject({ leftOut: 1, currentLeftOut: true });
    // A phase already shown still moves on.
    const again = stepTimeline(
      next.phases,
      record({ current_phase: 'Phase 3', status: 'completed' }),
      '2026-11-20T14:32:00.000Z',
    );
    expect(again.leftOut).toBe(0);
    expect(again.phases.find((p) => p.name === 'Phase 3')?.status).toBe('completed');
  });

  it('treats "constructor" and other Object.prototype names as plain phases', () => {
    const step = stepTimeline(
      [],
      record({
        current_phase: 'constructor',
        status: 'running',
        phases_completed: ['__proto__', 'toString'],
      }),
      '2026-11-20T14:30:00.000Z',
    );
    expect(step.phases.map((p) => [p.name, p.status, p.number])).toEqual([
      ['__proto__', 'completed', null],
      ['toString', 'completed', null],
      ['constructor', 'running', null],
    ]);
  });
});

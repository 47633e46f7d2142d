/**
 * Comparing runs of known shape: phases aligned by name (absent, never zero), every delta as a
 * number and a percentage against the baseline, totals, the verdict sentence, the warnings and the
 * spread of three runs of one project, to the unit.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, percentChange } from '../../src/core/compare.js';
import { buildRun, RUN_A, RUN_B, RUN_C, type RunSpec } from './history-fixtures.js';

const compare = (...specs: RunSpec[]) => compareRuns(specs.map(buildRun));
const MIN = 60_000;

describe('comparing runs', () => {
  it('aligns two runs phase by phase with deltas against the baseline and says who did better', () => {
    const c = compare(RUN_A, RUN_B);
    expect(c.baseline).toBe(RUN_A.id);
    expect(c.runs.map((run) => [run.label, run.id, run.durationMs, run.tokensTotal, run.costUsd])).toEqual([
      ['A', RUN_A.id, 120 * MIN, 11_000, 1.1],
      ['B', RUN_B.id, 83 * MIN, 8_400, 0.858],
    ]);
    expect(c.phases.map((row) => row.phase)).toEqual([
      'Scout',
      'Architect',
      'Builder',
      'Test',
      'Documentation',
      'Feedback',
    ]);
    const test = c.phases[3]!;
    expect(test.runs[0]).toMatchObject({
      durationMs: 30 * MIN,
      tokensTotal: 3_000,
      costUsd: 0.3,
      testIterations: 3,
      deltaDurationMs: 0,
      deltaDurationPercent: 0,
      deltaCostPercent: 0,
    });
    expect(test.runs[1]).toEqual({
      id: RUN_B.id,
      durationMs: 15 * MIN,
      tokensTotal: 2_000,
      costUsd: 0.2,
      testIterations: 2,
      deltaDurationMs: -15 * MIN,
      deltaDurationPercent: -50,
      deltaTokensTotal: -1_000,
      deltaTokensPercent: -33.3,
      deltaCostUsd: -0.1,
      deltaCostPercent: -33.3,
      deltaTestIterations: -1,
    });
    // Scout: 8 of 10 minutes; Feedback: $0.068 against $0.05.
    expect(c.phases[0]!.runs[1]).toMatchObject({ deltaDurationMs: -2 * MIN, deltaDurationPercent: -20 });
    expect(c.phases[5]!.runs[1]).toMatchObject({ deltaCostUsd: 0.018, deltaCostPercent: 36 });
    // Test iterations belong to the Test phase alone, so only there do the runs differ in them.
    expect(c.phases.map((row) => row.differs.testIterations)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(c.totals[1]).toMatchObject({
      durationMs: 83 * MIN,
      deltaDurationMs: -37 * MIN,
      deltaDurationPercent: -30.8,
      deltaTokensPercent: -23.6,
      deltaCostUsd: -0.242,
      deltaCostPercent: -22,
      deltaTestIterations: -1,
    });
    expect(c.totals[0]).toMatchObject({
      deltaDurationPercent: 0,
      deltaCostPercent: 0,
      deltaTestIterations: 0,
    });
    expect(c.verdict).toBe('B finished 31 % sooner and cost 22 % less; it needed one test-fix loop fewer.');
    expect(c.warnings).toEqual([]);
    expect(c.spread).toEqual([]);
  });

  it('leaves a phase one run lacks absent, warns of different plans, and shows the spread of three', () => {
    const c = compare(RUN_A, RUN_C, RUN_B);
    const screenshot = c.phases.find((row) => row.phase === 'Screenshot')!;
    expect(c.phases.map((row) => row.phase)).toEqual([
      'Scout',
      'Architect',
      'Builder',
      'Test',
      'Screenshot',
      'Documentation',
      'Feedback',
    ]);
    expect(screenshot.runs[0]).toBeNull();
    expect(screenshot.runs[2]).toBeNull();
    expect(screenshot.runs[1]).toMatchObject({
      durationMs: 5 * MIN,
      deltaDurationMs: null,
      deltaDurationPercent: null,
    });
    expect(c.warnings).toEqual([
      {
        code: 'different-phases',
        message:
          'Not comparable phase by phase: the runs went through different phases (Screenshot not in A and C).',
      },
    ]);
    expect(c.verdict).toBe(
      'Of the 3 runs, C was the fastest and the cheapest (31 % sooner and 22 % less than A); C needed the fewest test-fix loops (two).',
    );
    const [spread] = c.spread;
    expect(spread?.project).toBe('weather-app');
    expect(spread?.runs).toBe(3);
    expect(spread?.totals.durationMs).toEqual({ median: 120 * MIN, min: 83 * MIN, max: 140 * MIN, count: 3 });
    expect(spread?.totals.costUsd).toEqual({ median: 1.1, min: 0.858, max: 1.3, count: 3 });
    expect(spread?.phases.find((row) => row.phase === 'Test')?.durationMs).toEqual({
      median: 30 * MIN,
      min: 15 * MIN,
      max: 40 * MIN,
      count: 3,
    });
    expect(spread?.phases.find((row) => row.phase === 'Screenshot')?.durationMs).toEqual({
      median: 5 * MIN,
      min: 5 * MIN,
      max: 5 * MIN,
      count: 1,
    });
  });

  it('warns of different projects, runs in progress, failures, runs without phases or prices', () => {
    const other: RunSpec = { ...RUN_B, id: 'todo-api-1', project: 'todo-api' };
    const running: RunSpec = { ...RUN_B, id: 'weather-app-running', running: true };
    const failed: RunSpec = { ...RUN_B, id: 'weather-app-failed', state: 'failed' };
    const bare: RunSpec = { id: 'weather-app-bare', startedAt: '2026-11-15T10:00:00Z', phases: [] };
    const unpriced: RunSpec = { ...RUN_B, id: 'weather-app-unpriced', phases: [['Scout', 8, 900, null]] };
    const c = compare(RUN_A, other, running, failed, bare, unpriced);
    expect(c.warnings.map((w) => w.code)).toEqual([
      'different-projects',
      'different-phases',
      'in-progress',
      'failed',
      'no-phases',
      'no-tokens',
      'cost-unknown',
    ]);
    expect(c.warnings[0]!.message).toBe(
      'Not comparable: these runs are of different projects (weather-app and todo-api).',
    );
    expect(c.warnings[2]!.message).toBe('C is still running: its figures are not final.');
    expect(c.warnings[4]!.message).toBe('E has no phase timeline: only its totals are compared.');
    // The run in progress has no duration yet, so no time delta, and its running phase none either.
    expect(c.totals[2]).toMatchObject({
      durationMs: null,
      deltaDurationMs: null,
      deltaDurationPercent: null,
    });
    expect(c.phases.find((row) => row.phase === 'Feedback')!.runs[2]).toMatchObject({ durationMs: null });
  });

  it('names the fastest and the cheapest of many when they differ', () => {
    const cheap: RunSpec = {
      ...RUN_C,
      id: 'cheap',
      phases: RUN_C.phases.map(([n, m, t]) => [n, m, t, 0.01]),
    };
    expect(compare(RUN_A, RUN_B, cheap).verdict).toBe(
      'Of the 3 runs, B was the fastest (31 % sooner than A) and C the cheapest (94 % less than A); B needed the fewest test-fix loops (two).',
    );
  });

  it('says so when a pair cannot be compared on time, and words loops and equal figures plainly', () => {
    const running: RunSpec = { ...RUN_B, id: 'weather-app-running', running: true, testIteration: 5 };
    expect(compare(RUN_A, running).verdict).toBe(
      'B has cost 22 % less so far (still running); it needed two test-fix loops more.',
    );
    expect(compare(RUN_A, { ...RUN_A, id: 'again' }).verdict).toBe(
      'B took as long and cost the same; it needed as many test-fix loops.',
    );
  });

  it('draws cumulative tokens by minute and cumulative cost at each phase end, from each start', () => {
    const c = compare(RUN_A, RUN_B);
    expect(c.curves[1]!.tokens.slice(0, 3)).toEqual([
      { atMs: 0, value: 0 },
      { atMs: 8 * MIN, value: 900 },
      { atMs: 23 * MIN, value: 2_400 },
    ]);
    expect(c.curves[1]!.tokens.at(-1)).toEqual({ atMs: 83 * MIN, value: 8_400 });
    expect(c.curves[0]!.costUsd.map((p) => p.value)).toEqual([0, 0.1, 0.3, 0.7, 1, 1.05, 1.1, 1.1]);
    expect(c.curves[0]!.costUsd.at(-1)).toEqual({ atMs: 120 * MIN, value: 1.1 });
  });

  it('works out percentages with one decimal, and none against nothing', () => {
    expect(percentChange(83, 120)).toBe(-30.8);
    expect(percentChange(0, 0)).toBe(0);
    expect(percentChange(5, 0)).toBeNull();
    expect(percentChange(null, 4)).toBeNull();
  });
});

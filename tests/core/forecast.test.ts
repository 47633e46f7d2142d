/**
 * The expected finish of a running build from past completed runs of its project: median and
 * range per phase to come, what is left of the phase under way, and honest reasons when there is
 * nothing to learn from.
 */
import { describe, expect, it } from 'vitest';
import { forecastRun } from '../../src/core/forecast.js';
import { buildRun, RUN_A, RUN_B, RUN_C, type RunSpec } from './history-fixtures.js';

const MIN = 60_000;
const past = [RUN_A, RUN_B, RUN_C].map((spec) => buildRun(spec).session);

/** A run of weather-app that did Scout and Architect and has been in Builder for 10 minutes. */
const CURRENT: RunSpec = {
  id: 'weather-app-20261120T100000Z',
  startedAt: '2026-11-20T10:00:00Z',
  running: true,
  phases: [
    ['Scout', 9, 0, 0],
    ['Architect', 16, 0, 0],
    ['Builder', 10, 0, 0],
  ],
};
const NOW = Date.parse('2026-11-20T10:35:00Z');

describe('forecast', () => {
  it('expects each phase to come to take its median, the current one what is left of it', () => {
    const current = buildRun(CURRENT).session;
    const result = forecastRun(current, [...past, current], NOW);
    expect(result.forecastReason).toBeNull();
    expect(result.forecast).toEqual({
      // Builder 40 - 10 elapsed, Test 30, Documentation 10, Feedback 7 (Screenshot: 1 run of 3).
      remainingMs: 77 * MIN,
      finishAt: '2026-11-20T11:52:00.000Z',
      basedOnRuns: 3,
      phases: [
        { phase: 'Builder', medianMs: 40 * MIN, minMs: 30 * MIN, maxMs: 50 * MIN, runs: 3 },
        { phase: 'Test', medianMs: 30 * MIN, minMs: 15 * MIN, maxMs: 40 * MIN, runs: 3 },
        { phase: 'Documentation', medianMs: 10 * MIN, minMs: 8 * MIN, maxMs: 10 * MIN, runs: 3 },
        { phase: 'Feedback', medianMs: 7 * MIN, minMs: 5 * MIN, maxMs: 10 * MIN, runs: 3 },
      ],
    });
  });

  it('counts a phase run past its median as due now, never as negative time', () => {
    const late = buildRun({
      ...CURRENT,
      phases: [...CURRENT.phases.slice(0, 2), ['Builder', 55, 0, 0]],
    }).session;
    const result = forecastRun(late, past, Date.parse('2026-11-20T11:20:00Z'));
    expect(result.forecast?.remainingMs).toBe((30 + 10 + 7) * MIN);
  });

  it('says why there is no forecast instead of guessing', () => {
    const current = buildRun(CURRENT).session;
    expect(forecastRun(current, [current], NOW)).toEqual({
      forecast: null,
      forecastReason: 'no completed run of weather-app to learn from yet',
    });
    const untimed = past.map((run) => ({ ...run, phases: [] }));
    expect(forecastRun(current, untimed, NOW).forecastReason).toBe(
      'the past runs of weather-app have no phase timings',
    );
    expect(forecastRun(past[0]!, past, NOW).forecastReason).toBe('the run has ended');
    // Failed runs are not learned from: they stopped early.
    const failed = past.map((run) => ({ ...run, state: 'failed' as const }));
    expect(forecastRun(current, failed, NOW).forecastReason).toBe(
      'no completed run of weather-app to learn from yet',
    );
  });
});

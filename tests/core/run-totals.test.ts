/**
 * Tokens and cost across runs by day (or month) and by project, quiet days included, unpriced
 * runs counted apart; exports as CSV; what retention prunes.
 */
import { describe, expect, it } from 'vitest';
import { comparisonCsv, runCsv } from '../../src/core/run-export.js';
import { compareRuns } from '../../src/core/compare.js';
import { csvField } from '../../src/core/csv.js';
import { retentionChoice } from '../../src/core/retention.js';
import { runTotals } from '../../src/core/run-totals.js';
import { buildRun, RUN_A, RUN_B, RUN_C } from './history-fixtures.js';

const runs = [RUN_A, RUN_B, RUN_C].map((spec) => buildRun(spec).session);
const other = { ...runs[1]!, id: 'todo-api-1', project: 'todo-api', tokensTotal: 50, costUsd: null };

describe('totals across runs', () => {
  it('adds tokens and cost up by day and by project, the quiet days in between too', () => {
    const report = runTotals([...runs, other]);
    expect(report.unit).toBe('day');
    expect(report.periods.map((row) => [row.period, row.runs, row.tokensTotal, row.costUsd])).toEqual([
      ['2026-11-10', 1, 11_000, 1.1],
      ['2026-11-11', 0, 0, 0],
      ['2026-11-12', 2, 8_450, 0.858],
      ['2026-11-13', 0, 0, 0],
      ['2026-11-14', 1, 13_000, 1.3],
    ]);
    expect(report.projects).toEqual([
      { project: 'weather-app', runs: 3, tokensTotal: 32_400, costUsd: 3.258, unpricedRuns: 0 },
      { project: 'todo-api', runs: 1, tokensTotal: 50, costUsd: 0, unpricedRuns: 1 },
    ]);
    expect(report.all).toEqual({ runs: 4, tokensTotal: 32_450, costUsd: 3.258, unpricedRuns: 1 });
  });

  it('shows a chosen range whole, and a long one by month', () => {
    const week = runTotals(runs, {
      from: Date.parse('2026-11-09T00:00:00Z'),
      to: Date.parse('2026-11-16T00:00:00Z'),
    });
    expect(week.periods.map((row) => row.period)).toEqual([
      '2026-11-09',
      '2026-11-10',
      '2026-11-11',
      '2026-11-12',
      '2026-11-13',
      '2026-11-14',
      '2026-11-15',
    ]);
    const year = runTotals(runs, {
      from: Date.parse('2026-01-01T00:00:00Z'),
      to: Date.parse('2027-01-01T00:00:00Z'),
    });
    expect(year.unit).toBe('month');
    expect(year.periods).toHaveLength(12);
    expect(year.periods[10]).toEqual({
      period: '2026-11',
      runs: 3,
      tokensTotal: 32_400,
      costUsd: 3.258,
      unpricedRuns: 0,
    });
    expect(runTotals([]).periods).toEqual([]);
  });
});

describe('exports', () => {
  it('writes a run as CSV, a row per phase, then the whole run', () => {
    const { session, metrics } = buildRun(RUN_B);
    const lines = runCsv(session, metrics).split('\r\n');
    expect(lines[0]).toBe(
      'phase,status,started_at,ended_at,duration_ms,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,tokens_total,cost_usd,requests,test_iterations',
    );
    expect(lines[1]).toBe(
      'Scout,completed,2026-11-12T10:00:00.000Z,2026-11-12T10:08:00.000Z,480000,900,0,0,0,900,0.08,1,0',
    );
    expect(lines[4]).toBe(
      'Test,completed,2026-11-12T10:53:00.000Z,2026-11-12T11:08:00.000Z,900000,2000,0,0,0,2000,0.2,1,2',
    );
    expect(lines[7]).toBe(
      '(whole run),completed,2026-11-12T10:00:00.000Z,2026-11-12T11:23:00.000Z,4980000,8400,0,0,0,8400,0.858,6,2',
    );
    expect(lines[8]).toBe('');
  });

  it('writes a comparison as CSV, a row per run per phase it has, then totals', () => {
    const lines = comparisonCsv(compareRuns([RUN_A, RUN_C].map(buildRun))).split('\r\n');
    expect(lines[0]).toBe(
      'phase,run,label,project,started_at,duration_ms,delta_duration_ms,delta_duration_percent,tokens_total,delta_tokens_percent,cost_usd,delta_cost_percent,test_iterations,delta_test_iterations',
    );
    expect(lines).toContain(
      `Screenshot,${RUN_C.id},B,weather-app,2026-11-14T10:00:00.000Z,300000,,,300,,0.03,,0,`,
    );
    expect(lines).toContain(
      `(total),${RUN_C.id},B,weather-app,2026-11-14T10:00:00.000Z,8400000,1200000,16.7,13000,18.2,1.3,18.2,4,1`,
    );
    expect(lines.filter((line) => line.startsWith('Screenshot,'))).toHaveLength(1);
  });

  it('quotes what needs quoting and disarms text a spreadsheet would run as a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField(null)).toBe('');
  });
});

describe('retention', () => {
  it('prunes finished runs that ended before the cut-off, never a running or stalled one', () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    const stalled = { ...runs[0]!, id: 'stalled', state: 'stalled' as const, endedAt: null };
    const failed = { ...runs[1]!, id: 'failed', state: 'failed' as const };
    // A ended 11-10 12:00, B 11-12 11:23, C 11-14 12:20: with 7 days the cut-off is 11-13 12:00.
    expect(retentionChoice([...runs, stalled, failed], now, 7)).toEqual([RUN_A.id, RUN_B.id, 'failed']);
    expect(retentionChoice(runs, now, 30)).toEqual([]);
  });
});

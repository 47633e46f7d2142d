/**
 * History, comparison, forecast and exports over a real server: runs pushed phase by phase with
 * their own timestamps, their tokens read from real Claude Code transcripts, everything checked to
 * the unit; then the bad input a person can type into an address.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import type { Comparison } from '../../src/core/compare-types.js';
import { removeDir, tempDir } from '../helpers/server.js';
import {
  buildHistory,
  openHistory,
  pushRun,
  type History,
  RUN_A,
  RUN_B,
  RUN_C,
  RUN_D,
  runId,
} from '../helpers/history.js';

const MIN = 60_000;
const A = runId(RUN_A);
const B = runId(RUN_B);
const C = runId(RUN_C);
const D = runId(RUN_D);

describe('history API', () => {
  let root = '';
  let history: History;
  let server: ServerHandle;

  beforeAll(async () => {
    root = tempDir();
    history = await buildHistory(root);
    // A copy of the same history for the test that adds a run to it.
    copyFileSync(history.db, path.join(root, 'copy.db'));
    ({ server } = await openHistory(history, '2026-11-20T10:00:00Z'));
  });
  afterAll(async () => {
    await server?.close();
    removeDir(root);
  });

  const get = (path: string) => fetch(`${server.url}${path}`);
  const json = async <T = unknown>(path: string): Promise<T> => (await (await get(path)).json()) as T;

  it('compares two runs phase by phase, with deltas, totals and the verdict, exactly', async () => {
    const c = await json<Comparison>(`/api/compare?ids=${A},${B}`);
    expect(c.baseline).toBe(A);
    expect(c.runs).toEqual([
      expect.objectContaining({
        id: A,
        project: 'weather-app',
        state: 'completed',
        startedAt: '2026-11-10T10:00:00.000Z',
        durationMs: 120 * MIN,
        tokensTotal: 110_000,
        costUsd: 0.33,
        testIterations: 3,
      }),
      expect.objectContaining({
        id: B,
        project: 'weather-app',
        state: 'completed',
        startedAt: '2026-11-12T10:00:00.000Z',
        durationMs: 83 * MIN,
        tokensTotal: 85_800,
        costUsd: 0.2574,
        testIterations: 2,
      }),
    ]);
    expect(c.phases.map((row) => [row.phase, row.runs.map((cell) => cell?.durationMs ?? null)])).toEqual([
      ['Scout', [10 * MIN, 8 * MIN]],
      ['Architect', [20 * MIN, 15 * MIN]],
      ['Builder', [40 * MIN, 30 * MIN]],
      ['Test', [30 * MIN, 15 * MIN]],
      ['Documentation', [10 * MIN, 8 * MIN]],
      ['Feedback', [10 * MIN, 7 * MIN]],
    ]);
    expect(c.phases[3]!.runs[1]).toEqual({
      id: B,
      durationMs: 15 * MIN,
      tokensTotal: 20_000,
      costUsd: 0.06,
      testIterations: 2,
      deltaDurationMs: -15 * MIN,
      deltaDurationPercent: -50,
      deltaTokensTotal: -10_000,
      deltaTokensPercent: -33.3,
      deltaCostUsd: -0.03,
      deltaCostPercent: -33.3,
      deltaTestIterations: -1,
    });
    expect(c.phases[3]!.runs[0]).toMatchObject({
      deltaDurationMs: 0,
      deltaDurationPercent: 0,
      deltaCostPercent: 0,
    });
    expect(c.totals[1]).toEqual({
      id: B,
      durationMs: 83 * MIN,
      tokensTotal: 85_800,
      costUsd: 0.2574,
      testIterations: 2,
      deltaDurationMs: -37 * MIN,
      deltaDurationPercent: -30.8,
      deltaTokensTotal: -24_200,
      deltaTokensPercent: -22,
      deltaCostUsd: -0.0726,
      deltaCostPercent: -22,
      deltaTestIterations: -1,
    });
    expect(c.verdict).toBe('B finished 31 % sooner and cost 22 % less; it needed one test-fix loop fewer.');
    expect(c.warnings).toEqual([]);
  });

  it('leaves a phase one run lacks absent, warns that the plans differ, and shows the spread of three', async () => {
    const c = await json<Comparison>(`/api/compare?ids=${A},${C},${B}`);
    const screenshot = c.phases.find((row) => row.phase === 'Screenshot')!;
    expect(screenshot.runs.map((cell) => cell && cell.durationMs)).toEqual([null, 5 * MIN, null]);
    expect(c.warnings).toEqual([
      {
        code: 'different-phases',
        message:
          'Not comparable phase by phase: the runs went through different phases (Screenshot not in A and C).',
      },
    ]);
    expect(c.spread).toHaveLength(1);
    expect(c.spread[0]!.totals).toEqual({
      durationMs: { median: 120 * MIN, min: 83 * MIN, max: 140 * MIN, count: 3 },
      tokensTotal: { median: 110_000, min: 85_800, max: 130_000, count: 3 },
      costUsd: { median: 0.33, min: 0.2574, max: 0.39, count: 3 },
      testIterations: { median: 3, min: 2, max: 4, count: 3 },
    });
    expect(c.verdict).toBe(
      'Of the 3 runs, C was the fastest and the cheapest (31 % sooner and 22 % less than A); C needed the fewest test-fix loops (two).',
    );
  });

  it('exports the comparison as CSV and JSON', async () => {
    const csv = await get(`/api/compare?ids=${A},${B}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="compare-${A}.csv"`);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(
      'phase,run,label,project,started_at,duration_ms,delta_duration_ms,delta_duration_percent,tokens_total,delta_tokens_percent,cost_usd,delta_cost_percent,test_iterations,delta_test_iterations',
    );
    expect(lines[8]).toBe(
      `Test,${B},B,weather-app,2026-11-12T10:00:00.000Z,900000,-900000,-50,20000,-33.3,0.06,-33.3,2,-1`,
    );
    expect(lines.at(-2)).toBe(
      `(total),${B},B,weather-app,2026-11-12T10:00:00.000Z,4980000,-2220000,-30.8,85800,-22,0.2574,-22,2,-1`,
    );
    expect(lines).toHaveLength(1 + 6 * 2 + 2 + 1);
    const file = await get(`/compare?ids=${A},${B}&format=json`);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="compare-${A}.json"`);
    expect(await file.json()).toEqual(await json(`/api/compare?ids=${A},${B}`));
  });

  it('exports one run as JSON with everything known, and as CSV', async () => {
    const response = await get(`/api/sessions/${B}/export?format=json`);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${B}.json"`);
    const body = (await response.json()) as Record<string, unknown> & {
      session: { id: string; phases: unknown[] };
      metrics: { tokens: { total: number; byPhase: unknown[] } };
      raw: string;
    };
    expect(body).toMatchObject({
      format: 'buildcast-run',
      version: 1,
      exportedAt: '2026-11-20T10:00:00.000Z',
    });
    expect(body.session.id).toBe(B);
    expect(body.session.phases).toHaveLength(6);
    expect(body.metrics.tokens.total).toBe(85_800);
    expect(body.metrics.tokens.byPhase).toHaveLength(6);
    expect(JSON.parse(body.raw)).toMatchObject({ status: 'completed', current_phase: 'Feedback' });
    expect(body).toMatchObject({ forecast: null, forecastReason: 'the run has ended', agents: [], logs: [] });
    expect(Object.keys(body).sort()).toEqual(
      [
        'agents',
        'exportedAt',
        'forecast',
        'forecastReason',
        'format',
        'logs',
        'metrics',
        'plan',
        'raw',
        'session',
        'version',
      ].sort(),
    );

    const csv = await get(`/api/sessions/${B}/export?format=csv`);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${B}.csv"`);
    expect((await csv.text()).split('\r\n')).toEqual([
      'phase,status,started_at,ended_at,duration_ms,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,tokens_total,cost_usd,requests,test_iterations',
      'Scout,completed,2026-11-12T10:00:00.000Z,2026-11-12T10:08:00.000Z,480000,9000,0,0,0,9000,0.027,1,0',
      'Architect,completed,2026-11-12T10:08:00.000Z,2026-11-12T10:23:00.000Z,900000,15000,0,0,0,15000,0.045,1,0',
      'Builder,completed,2026-11-12T10:23:00.000Z,2026-11-12T10:53:00.000Z,1800000,32000,0,0,0,32000,0.096,1,0',
      'Test,completed,2026-11-12T10:53:00.000Z,2026-11-12T11:08:00.000Z,900000,20000,0,0,0,20000,0.06,1,2',
      'Documentation,completed,2026-11-12T11:08:00.000Z,2026-11-12T11:16:00.000Z,480000,4000,0,0,0,4000,0.012,1,0',
      'Feedback,completed,2026-11-12T11:16:00.000Z,2026-11-12T11:23:00.000Z,420000,5800,0,0,0,5800,0.0174,1,0',
      '(whole run),completed,2026-11-12T10:00:00.000Z,2026-11-12T11:23:00.000Z,4980000,85800,0,0,0,85800,0.2574,6,2',
      '',
    ]);
  });

  it('lists, sorts and filters the history, with totals of what matches', async () => {
    type Page = { sessions: { id: string }[]; total: number; totals: Record<string, number> };
    const ids = async (query: string) =>
      (await json<Page>(`/api/sessions?${query}`)).sessions.map((s) => s.id);
    expect(await ids('sort=duration&order=asc')).toEqual([B, A, C]);
    expect(await ids('sort=tokens')).toEqual([C, A, B]);
    expect(await ids('sort=iterations&order=desc')).toEqual([C, A, B]);
    expect(await ids('sort=started&from=2026-11-11&to=2026-11-14')).toEqual([C, B]);
    expect(await ids('sort=cost&order=asc&to=2026-11-12')).toEqual([B, A]);
    // Only C named its machine; the filter ignores case as host names do.
    expect(await ids('host=CI-Runner-7')).toEqual([C]);
    expect(await ids('host=elsewhere')).toEqual([]);
    const page = await json<Page>('/api/sessions?state=completed&project=weather-app&source=push');
    expect(page.total).toBe(3);
    expect(page.totals).toEqual({
      runs: 3,
      durationMs: (120 + 83 + 140) * MIN,
      tokensTotal: 325_800,
      costUsd: 0.9774,
      unpricedRuns: 0,
    });
    const totals = await json<{ periods: { period: string; runs: number; costUsd: number }[] }>(
      '/api/totals?from=2026-11-10&to=2026-11-14',
    );
    expect(totals.periods.map((p) => [p.period, p.runs, p.costUsd])).toEqual([
      ['2026-11-10', 1, 0.33],
      ['2026-11-11', 0, 0],
      ['2026-11-12', 1, 0.2574],
      ['2026-11-13', 0, 0],
      ['2026-11-14', 1, 0.39],
    ]);
    const timed = await get('/api/sessions?sort=started');
    expect(timed.headers.get('server-timing')).toMatch(/^total;dur=[\d.]+/);
  });

  it('forecasts a running build from the past runs of its project, and says why not for others', async () => {
    const copy = { ...history, db: path.join(root, 'copy.db') };
    const { server: live, clock: liveClock } = await openHistory(copy, '2026-11-20T10:00:00Z');
    try {
      await pushRun(live, liveClock, RUN_D, '/builds/elsewhere');
      liveClock.advance(10 * MIN);
      const detail = (await (await fetch(`${live.url}/api/sessions/${D}`)).json()) as Record<string, unknown>;
      expect(detail['forecastReason']).toBeNull();
      expect(detail['forecast']).toEqual({
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
      const ended = (await (await fetch(`${live.url}/api/sessions/${A}`)).json()) as Record<string, unknown>;
      expect(ended).toMatchObject({ forecast: null, forecastReason: 'the run has ended' });
      const page = await (await fetch(`${live.url}/fragments/sessions/${D}/forecast`)).text();
      expect(page).toContain('Expected to finish at');
      expect(page).toContain('2026-11-20 11:52:00 UTC');
      // A comparison with a run still going says its figures are not final.
      const c = (await (await fetch(`${live.url}/api/compare?ids=${A},${D}`)).json()) as Comparison;
      expect(c.warnings.map((w) => w.message)).toContain('B is still running: its figures are not final.');
      expect(c.totals[1]).toMatchObject({ durationMs: null, deltaDurationPercent: null });
    } finally {
      await live.close();
    }
  });

  it('answers bad ids with bad_query and unknown ones with not_found, naming them', async () => {
    const error = async (query: string) => {
      const response = await get(`/api/compare${query}`);
      return {
        status: response.status,
        ...((await response.json()) as { error: { code: string; message: string } }).error,
      };
    };
    expect(await error('')).toEqual({
      status: 400,
      code: 'bad_query',
      message: 'ids must name 2 to 10 runs, the baseline first; got none',
    });
    expect(await error(`?ids=${A}`)).toMatchObject({
      status: 400,
      code: 'bad_query',
      message: expect.stringContaining(`got only ${A}`),
    });
    expect(await error(`?ids=${A},${B},${A}`)).toEqual({
      status: 400,
      code: 'bad_query',
      message: `ids names run ${A} twice`,
    });
    const eleven = Array.from({ length: 11 }, (_, i) => `run-${i}`).join(',');
    expect(await error(`?ids=${eleven}`)).toEqual({
      status: 400,
      code: 'bad_query',
      message: 'ids may name at most 10 runs; got 11',
    });
    expect(await error(`?ids=${A},nope-1,nope-2`)).toEqual({
      status: 404,
      code: 'not_found',
      message: 'no session "nope-1", "nope-2"',
    });
    expect(await error(`?ids=${A},${B}&format=xml`)).toMatchObject({ status: 400, code: 'bad_query' });
    const exportError = await get('/api/sessions/nope/export?format=csv');
    expect(exportError.status).toBe(404);
    const badSort = await get('/api/sessions?sort=name');
    expect(badSort.status).toBe(400);
    expect(((await badSort.json()) as { error: { message: string } }).error.message).toBe(
      'sort must be one of started, duration, tokens, cost, iterations, not "name"',
    );
    expect((await get('/api/sessions?from=yesterday')).status).toBe(400);
    expect((await get('/api/sessions?from=2026-11-14&to=2026-11-10')).status).toBe(400);
  });
});

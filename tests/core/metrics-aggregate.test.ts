import { describe, expect, it } from 'vitest';
import type { PhaseSpan } from '../../src/shared/protocol.js';
import type { TokenSample } from '../../src/collector/types.js';
import { fileURLToPath } from 'node:url';
import { MAX_MODELS, MAX_TEST_ITERATIONS } from '../../src/collector/limits.js';
import { loadPricing } from '../../src/collector/pricing-file.js';
import { PriceTable } from '../../src/core/pricing.js';
import {
  aggregateMetrics,
  contextLevel,
  stuckTests,
  type Pricing,
} from '../../src/core/metrics-aggregate.js';

const T0 = Date.parse('2026-11-20T14:00:00Z');

const prices: Pricing = {
  costOf: (model, u) =>
    model === 'claude-sonnet-4-5'
      ? (u.input * 3 + u.output * 15 + u.cacheWrite * 3.75 + u.cacheRead * 0.3) / 1e6
      : null,
  contextWindow: (model) => (model === 'claude-sonnet-4-5' ? 200_000 : null),
};

function sample(at: number, fields: Partial<TokenSample> = {}): TokenSample {
  return {
    key: `m${at}:r`,
    source: 'transcript',
    claudeSessionId: 'c1',
    cwd: '/w',
    project: null,
    at,
    model: 'claude-sonnet-4-5',
    input: 100,
    output: 1_000,
    cacheRead: 50_000,
    cacheWrite: 2_000,
    costUsd: null,
    sidechain: false,
    ...fields,
  };
}

const phases: PhaseSpan[] = [
  {
    name: 'Scout',
    number: '1/7',
    index: 1,
    status: 'completed',
    startedAt: '2026-11-20T14:00:00.000Z',
    endedAt: '2026-11-20T14:10:00.000Z',
    durationMs: 600_000,
    clock: 'build',
  },
  {
    name: 'Builder',
    number: '3/7',
    index: 3,
    status: 'running',
    startedAt: '2026-11-20T14:10:00.000Z',
    endedAt: null,
    durationMs: null,
    clock: 'build',
  },
];

describe('metrics aggregation', () => {
  it('sums real counts by type, phase and model, with exact cost', () => {
    const metrics = aggregateMetrics({
      sessionId: 's',
      samples: [sample(T0 + 60_000), sample(T0 + 11 * 60_000, { sidechain: true }), sample(T0 - 3_600_000)],
      phases,
      prices,
      iterations: [],
      currentIteration: null,
    });
    expect(metrics.tokens).toMatchObject({
      input: 300,
      output: 3_000,
      cacheRead: 150_000,
      cacheWrite: 6_000,
      total: 159_300,
      requests: 3,
    });
    // 100*3 + 1000*15 + 2000*3.75 + 50000*0.3 = 300 + 15000 + 7500 + 15000 = 37,800 millionths
    expect(metrics.tokens.costUsd).toBeCloseTo(3 * 0.0378, 10);
    expect(metrics.tokens.byPhase.map((p) => [p.phase, p.requests])).toEqual([
      ['Scout', 1],
      ['Builder', 1],
      [null, 1],
    ]);
    expect(metrics.tokens.subagent.requests).toBe(1);
    expect(metrics.tokens.byModel).toEqual([
      expect.objectContaining({ model: 'claude-sonnet-4-5', priced: true, requests: 3 }),
    ]);
    expect(metrics.context).toEqual({
      usedTokens: 52_100,
      limit: 200_000,
      percent: 26.1,
      level: 'safe',
      model: 'claude-sonnet-4-5',
    });
  });

  it('never makes up a price: an unknown model makes the cost unknown', () => {
    const metrics = aggregateMetrics({
      sessionId: 's',
      samples: [sample(T0), sample(T0 + 1, { model: 'mystery-model', key: 'x' })],
      phases,
      prices,
      iterations: [],
      currentIteration: null,
    });
    expect(metrics.tokens.costUsd).toBeNull();
    expect(metrics.tokens.byModel.find((m) => m.model === 'mystery-model')).toMatchObject({
      priced: false,
      costUsd: null,
    });
    expect(metrics.tokens.byModel.find((m) => m.model === 'claude-sonnet-4-5')!.costUsd).toBeCloseTo(
      0.0378,
      10,
    );
    expect(metrics.context).toMatchObject({
      model: 'mystery-model',
      limit: null,
      percent: null,
      level: null,
    });
  });

  it('never guesses the tier of a running total: past 200k prompt tokens its cost is unknown', () => {
    const table = new PriceTable(
      loadPricing({ builtin: fileURLToPath(new URL('../../data/pricing.json', import.meta.url)) }).entries,
    );
    const total = (fields: Partial<TokenSample>) =>
      sample(T0, { source: 'otel', model: 'claude-sonnet-4-5-20250929', summed: true, ...fields });
    const of = (samples: TokenSample[]) =>
      aggregateMetrics({
        sessionId: 's',
        samples,
        phases,
        prices: table,
        iterations: [],
        currentIteration: null,
      }).tokens;
    // 100 + 50,000 + 2,000 prompt tokens in all: no request in it can have been a long one.
    expect(of([total({})]).costUsd).toBe(0.0378);
    // 300,000 in all might be one long request or many short ones.
    expect(of([total({ cacheRead: 297_900 })]).byModel[0]).toMatchObject({ priced: false, costUsd: null });
    // Claude Code's own cost, when it sends one, is used as it is.
    expect(of([total({ cacheRead: 297_900, costUsd: 0.41 })]).costUsd).toBe(0.41);
  });

  it('buckets tokens over time with empty buckets filled in', () => {
    const metrics = aggregateMetrics({
      sessionId: 's',
      samples: [sample(T0), sample(T0 + 30 * 60_000)],
      phases,
      prices,
      iterations: [],
      currentIteration: null,
    });
    expect(metrics.tokens.bucketMs).toBe(30_000);
    expect(metrics.tokens.series).toHaveLength(61);
    expect(metrics.tokens.series[0]).toEqual({
      at: '2026-11-20T14:00:00.000Z',
      input: 100,
      output: 1_000,
      cacheRead: 50_000,
      cacheWrite: 2_000,
    });
    expect(metrics.tokens.series[1]!.input).toBe(0);
  });

  it('is the same for the same input, whatever the order', () => {
    const samples = [sample(T0), sample(T0 + 5_000), sample(T0 + 9_000)];
    const a = aggregateMetrics({
      sessionId: 's',
      samples,
      phases,
      prices,
      iterations: [],
      currentIteration: 2,
    });
    const b = aggregateMetrics({
      sessionId: 's',
      samples: [...samples].reverse(),
      phases,
      prices,
      iterations: [],
      currentIteration: 2,
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('finds tests that failed three iterations running', () => {
    const it3 = (iteration: number, failing: string[]) => ({
      iteration,
      passed: 10,
      failed: failing.length,
      failing,
    });
    expect(stuckTests([it3(1, ['a', 'b']), it3(2, ['a', 'b', 'c']), it3(3, ['b', 'a'])])).toEqual(['a', 'b']);
    expect(stuckTests([it3(1, ['a']), it3(2, ['a'])])).toEqual([]);
    expect(stuckTests([it3(1, ['a']), it3(2, ['a']), it3(3, ['a']), it3(4, [])])).toEqual([]);
    expect(stuckTests([it3(1, ['a']), it3(3, ['a']), it3(4, ['a'])])).toEqual([]);
  });

  it('grades the context gauge', () => {
    expect([contextLevel(49.9), contextLevel(50), contextLevel(74.9), contextLevel(75)]).toEqual([
      'safe',
      'warning',
      'warning',
      'critical',
    ]);
  });
});

describe('metrics aggregation: hostile sessions stay small', () => {
  const aggregate = (samples: TokenSample[]) =>
    aggregateMetrics({ sessionId: 's', samples, phases, prices, iterations: [], currentIteration: null });

  it('folds models beyond the cap into one "other" row that says how many it holds', () => {
    const samples = Array.from({ length: 5_000 }, (_, i) =>
      sample(T0 + i, {
        key: `k${i}`,
        model: `hostile-${i}`,
        input: 1,
        output: 0,
        cacheRead: 0,
        cacheWrite: 0,
      }),
    );
    samples.push(sample(T0, { key: 'real', input: 10_000 }));
    const { tokens } = aggregate(samples);
    expect(tokens.byModel).toHaveLength(MAX_MODELS);
    expect(tokens.byModel[0]).toMatchObject({ model: 'claude-sonnet-4-5', priced: true });
    const other = tokens.byModel.at(-1)!;
    expect(other).toMatchObject({
      model: `other (${5_000 - (MAX_MODELS - 2)} models)`,
      priced: false,
      costUsd: null,
    });
    expect(tokens.byModel.reduce((sum, row) => sum + row.requests, 0)).toBe(5_001);
    expect(tokens.byModel.reduce((sum, row) => sum + row.input, 0)).toBe(tokens.input);
  });

  it('draws a span of decades in at most 121 points, and leaves out times that are no dates', () => {
    const { tokens } = aggregate([
      sample(0),
      sample(T0),
      sample(Date.UTC(9999, 0, 1)),
      sample(Date.UTC(10000, 0, 1)),
      sample(-1),
    ]);
    expect(tokens.requests).toBe(3);
    expect(tokens.series.length).toBeLessThanOrEqual(121);
    expect(tokens.series.reduce((sum, point) => sum + point.input, 0)).toBe(300);
  });

  it('shows the latest test iterations only, however many result files a build writes', () => {
    const iterations = Array.from({ length: 5_000 }, (_, i) => ({
      iteration: i + 1,
      passed: 1,
      failed: 0,
      failing: [],
    }));
    const { tests } = aggregateMetrics({
      sessionId: 's',
      samples: [],
      phases,
      prices,
      iterations,
      currentIteration: null,
    });
    expect(tests.iterations).toHaveLength(MAX_TEST_ITERATIONS);
    expect(tests.iterations.at(-1)?.iteration).toBe(5_000);
    expect(tests.current).toBe(5_000);
  });
});

/**
 * Property: whatever samples a session has (hostile model names by the thousand, times spread
 * over millennia), its metrics have at most 32 model rows and 121 series points, and add up.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MAX_MODELS } from '../../src/collector/limits.js';
import type { TokenSample } from '../../src/collector/types.js';
import { aggregateMetrics, type Pricing } from '../../src/core/metrics-aggregate.js';
import { check, runs, text } from './arbitraries.js';

const prices: Pricing = {
  costOf: (model, usage) => (model.startsWith('claude') ? usage.input / 1e6 : null),
  contextWindow: (model) => (model.startsWith('claude') ? 200_000 : null),
};

const tokens = fc.oneof(fc.nat({ max: 100_000 }), fc.constant(Number.MAX_SAFE_INTEGER >> 20));
const at = fc.oneof(
  fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 2) }),
  fc.integer({ min: -1e16, max: 1e16 }),
  fc.constantFrom(0, -1, Date.UTC(9999, 11, 31), Date.UTC(10000, 0, 1)),
);
const sample = fc.record<TokenSample>({
  key: fc.uuid(),
  source: fc.constantFrom('transcript', 'otel'),
  claudeSessionId: fc.constant('c1'),
  cwd: fc.constant('/w'),
  project: fc.constant(null),
  at,
  model: fc.oneof(
    fc.constantFrom('claude-sonnet-4-5', 'claude-opus-4-6'),
    text,
    fc.nat({ max: 5_000 }).map((n) => `hostile-${n}`),
  ),
  input: tokens,
  output: tokens,
  cacheRead: tokens,
  cacheWrite: tokens,
  costUsd: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 10, noNaN: true })),
  sidechain: fc.boolean(),
});
const samples = fc.oneof(
  { weight: 4, arbitrary: fc.array(sample, { maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(sample, { minLength: 300, maxLength: 1_500 }) },
);

describe('metrics aggregation, for any samples', () => {
  it('keeps its lists within their caps and its totals whole', () => {
    fc.assert(
      fc.property(samples, (list) => {
        const metrics = aggregateMetrics({
          sessionId: 's',
          samples: list,
          phases: [],
          prices,
          iterations: [],
          currentIteration: null,
        });
        const { tokens: totals } = metrics;
        check(totals.byModel.length <= MAX_MODELS, 'too many model rows');
        check(totals.series.length <= 121, 'too many series points');
        check(
          totals.byModel.reduce((sum, row) => sum + row.requests, 0) === totals.requests,
          'rows do not add up',
        );
        check(
          totals.series.reduce((sum, point) => sum + point.input, 0) === totals.input,
          'series does not add up',
        );
        check(JSON.stringify(metrics).length <= 200_000, 'metrics grew with the samples');
      }),
      runs(1_000),
    );
  });
});

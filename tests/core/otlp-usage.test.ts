import { describe, expect, it } from 'vitest';
import type { OtlpTokenPoint } from '../../src/collector/otlp.js';
import { OtlpMetricAccumulator } from '../../src/core/otlp-usage.js';

const point = (over: Partial<OtlpTokenPoint>): OtlpTokenPoint => ({
  sessionId: 'cc-1',
  project: 'weather-app',
  model: 'claude-sonnet-4-5',
  kind: 'input',
  value: 0,
  temporality: 'cumulative',
  startAt: 1_000,
  at: 2_000,
  ...over,
});

describe('OtlpMetricAccumulator state', () => {
  it('comes back whole from its stored value, so counting goes on where it stopped', () => {
    const before = new OtlpMetricAccumulator();
    before.addAll([point({ value: 500 }), point({ kind: 'output', temporality: 'delta', value: 40 })]);
    const stored = JSON.parse(JSON.stringify(before.state('cc-1'))) as ReturnType<typeof before.state>;

    const after = new OtlpMetricAccumulator();
    after.restore('cc-1', stored!);
    // The counter was reset (a new start time) and counts 30 more; the delta series adds 10.
    after.addAll([
      point({ value: 30, startAt: 5_000, at: 6_000 }),
      point({ kind: 'output', temporality: 'delta', value: 10, startAt: 2_000, at: 3_000 }),
    ]);
    expect(after.totalsFor('cc-1')).toEqual([
      expect.objectContaining({ project: 'weather-app', input: 530, output: 50, updatedAt: 6_000 }),
    ]);
    expect(after.state('other')).toBeNull();
  });

  it('reports totals of only the session asked for', () => {
    const usage = new OtlpMetricAccumulator();
    usage.addAll([point({ value: 5 }), point({ sessionId: 'cc-2', value: 7 })]);
    expect(usage.totalsFor('cc-2').map((t) => t.input)).toEqual([7]);
    expect(usage.totals().map((t) => t.sessionId)).toEqual(['cc-1', 'cc-2']);
  });
});

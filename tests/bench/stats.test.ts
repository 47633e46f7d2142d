import { describe, expect, it } from 'vitest';
import {
  growthPercent,
  LatencyHistogram,
  median,
  percentile,
  ratio,
  summarize,
  verdict,
} from '../../bench/stats.js';

describe('percentile', () => {
  it('uses the nearest rank, so p50 of 1..100 is 50 and p99 is 99', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('has no value for no samples', () => {
    expect(percentile([], 50)).toBeNull();
  });
});

describe('summarize', () => {
  it('sorts numerically, not as text', () => {
    const summary = summarize([10, 9, 100, 2, 1]);
    expect(summary).toEqual({ count: 5, mean: 24.4, p50: 9, p95: 100, p99: 100, max: 100 });
  });

  it('reports an empty run as nulls, not zeros', () => {
    expect(summarize([])).toEqual({ count: 0, mean: null, p50: null, p95: null, p99: null, max: null });
  });

  it('leaves its input unchanged', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
    expect(median(values)).toBe(2);
  });
});

describe('LatencyHistogram', () => {
  it('agrees with exact percentiles to its resolution, and keeps the exact max and mean', () => {
    const histogram = new LatencyHistogram(0.1);
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const value = 100 + ((i * 7919) % 600) / 10;
      values.push(value);
      histogram.record(value);
    }
    const exact = summarize(values);
    const approx = histogram.summary();
    expect(approx.count).toBe(10_000);
    expect(approx.max).toBe(exact.max);
    expect(approx.mean).toBeCloseTo(exact.mean!, 6);
    for (const p of ['p50', 'p95', 'p99'] as const)
      expect(Math.abs(approx[p]! - exact[p]!)).toBeLessThanOrEqual(0.1);
  });

  it('keeps values beyond its range in the max instead of dropping them', () => {
    const histogram = new LatencyHistogram(1, 100);
    histogram.record(5);
    histogram.record(5_000);
    expect(histogram.summary().max).toBe(5_000);
    expect(histogram.percentile(100)).toBe(5_000);
  });

  it('is empty until something is recorded', () => {
    expect(new LatencyHistogram().summary().p50).toBeNull();
  });
});

describe('growthPercent', () => {
  const minute = (m: number, value: number) => ({ atSeconds: m * 60, value });

  it('measures from minute 5 to the end of an hour-long run', () => {
    const samples = [minute(0, 50), minute(1, 90), minute(5, 100), minute(30, 101), minute(60, 103)];
    expect(growthPercent(samples, 300)).toBeCloseTo(3, 6);
  });

  it('uses the first quarter as warm-up when the run ends before minute 5', () => {
    const samples = [0, 10, 20, 30, 40, 50, 60].map((s, i) => ({
      atSeconds: s,
      value: [40, 60, 100, 100, 100, 100, 110][i]!,
    }));
    expect(growthPercent(samples, 300)).toBeCloseTo(10, 6);
  });

  it('has no figure without at least two samples after the warm-up', () => {
    expect(growthPercent([minute(0, 10)], 300)).toBeNull();
    expect(growthPercent([], 300)).toBeNull();
  });
});

describe('ratio and verdict', () => {
  it('divides only by a known positive value', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
  });

  it('passes a figure inside its target and calls an unknown figure short', () => {
    expect(verdict(115, '<=', 115)).toBe('pass');
    expect(verdict(116, '<=', 115)).toBe('short');
    expect(verdict(3_200, '>=', 3_000)).toBe('pass');
    expect(verdict(150, '<', 150)).toBe('short');
    expect(verdict(null, '<', 150)).toBe('short');
  });
});

/**
 * @module
 * Pure number helpers for the benchmark: percentiles, summaries, growth, verdicts. Nothing
 * here touches a process, a file or a clock, so it is tested on its own.
 */

/** A latency (or any) distribution in the figures the report prints. */
export interface Summary {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * The `p`-th percentile (0–100) of values already sorted ascending, by the nearest-rank
 * method: the smallest value with at least p % of the values at or below it. Null when empty.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

/** Count, mean, p50, p95, p99 and max of unsorted values (the input is not changed). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, mean: null, p50: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  let total = 0;
  for (const value of list) total += value;
  return {
    count: list.length,
    mean: total / list.length,
    p50: percentile(list, 50),
    p95: percentile(list, 95),
    p99: percentile(list, 99),
    max: list[list.length - 1]!,
  };
}

/** The median of unsorted values, or null when there are none. */
export function median(values: readonly number[]): number | null {
  return percentile(Array.from(Float64Array.from(values).sort()), 50);
}

/** `a / b`, or null when either is unknown or `b` is not positive. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !(b > 0)) return null;
  return a / b;
}

/** One memory sample of a long run: seconds since its start and the values measured then. */
export interface TimedSample {
  atSeconds: number;
  value: number;
}

/**
 * Growth in percent from the baseline sample to the last one. The baseline is the first sample
 * at or after `fromSeconds` (SPEC 8 soak: minute 5), or, when the run is too short to reach it,
 * the first sample at or after a quarter of the run, so start-up allocation is never counted
 * as growth. Null with fewer than two samples after the baseline.
 */
export function growthPercent(samples: readonly TimedSample[], fromSeconds: number): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1]!;
  const from = last.atSeconds > fromSeconds ? fromSeconds : last.atSeconds * 0.25;
  const base = samples.find((sample) => sample.atSeconds >= from);
  if (!base || base === last || !(base.value > 0)) return null;
  return ((last.value - base.value) / base.value) * 100;
}

/** How a figure compares with its SPEC 8 target. */
export type Verdict = 'pass' | 'short' | 'info';

/** `pass` when `value op limit` holds, `short` when it does not or the value is unknown. */
export function verdict(value: number | null, op: '<=' | '>=' | '<', limit: number): Verdict {
  if (value === null || Number.isNaN(value)) return 'short';
  switch (op) {
    case '<=':
      return value <= limit ? 'pass' : 'short';
    case '>=':
      return value >= limit ? 'pass' : 'short';
    case '<':
      return value < limit ? 'pass' : 'short';
  }
}

/**
 * A fixed-resolution histogram of milliseconds, for runs too long to keep every sample (a soak
 * records millions). Percentiles are exact to `resolutionMs`; count, mean and max are exact.
 */
export class LatencyHistogram {
  readonly #resolution: number;
  readonly #buckets: Uint32Array;
  #count = 0;
  #total = 0;
  #max = -Infinity;

  constructor(resolutionMs = 0.1, limitMs = 30_000) {
    this.#resolution = resolutionMs;
    this.#buckets = new Uint32Array(Math.ceil(limitMs / resolutionMs) + 1);
  }

  get count(): number {
    return this.#count;
  }

  record(ms: number): void {
    const value = Math.max(0, ms);
    const index = Math.min(this.#buckets.length - 1, Math.floor(value / this.#resolution));
    this.#buckets[index]!++;
    this.#count++;
    this.#total += value;
    if (value > this.#max) this.#max = value;
  }

  /**
   * Nearest-rank percentile, reported at the middle of its bucket (never above the max); one
   * that falls in the overflow bucket is reported as the max, an overstatement rather than a cap.
   */
  percentile(p: number): number | null {
    if (this.#count === 0) return null;
    const rank = Math.max(1, Math.ceil((Math.min(p, 100) / 100) * this.#count));
    const overflow = this.#buckets.length - 1;
    let seen = 0;
    for (let i = 0; i < overflow; i++) {
      seen += this.#buckets[i]!;
      if (seen >= rank) return Math.min(this.#max, (i + 0.5) * this.#resolution);
    }
    return this.#max;
  }

  summary(): Summary {
    if (this.#count === 0) return summarize([]);
    return {
      count: this.#count,
      mean: this.#total / this.#count,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.#max,
    };
  }
}

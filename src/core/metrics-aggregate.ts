/**
 * @module
 * Turns a session's token samples, phase timeline and test iterations into `SessionMetrics`.
 * Pure: the same input always gives the same output, so the metrics hash changes only when
 * the figures do (nothing here reads the clock).
 */
import type { PhaseSpan } from '../shared/protocol.js';
import type {
  ContextLevel,
  PhaseTokens,
  SessionMetrics,
  TestIteration,
  TokenCounts,
  TokenPoint,
} from '../shared/metrics.js';
import { addTokenCounts } from '../shared/metrics.js';
import { MAX_MODELS, MAX_TEST_ITERATIONS } from '../collector/limits.js';
import type { TokenSample } from '../collector/types.js';
import type { TokenUsage } from './pricing.js';

/** What aggregation needs of the price table. */
export interface Pricing {
  /** One sample's cost: a request's (its cache writes by lifetime, its tier), or a total's. */
  costOf(model: string, usage: TokenUsage): number | null;
  contextWindow(model: string): number | null;
}

export interface AggregateInput {
  sessionId: string;
  samples: readonly TokenSample[];
  phases: readonly PhaseSpan[];
  prices: Pricing;
  iterations: readonly TestIteration[];
  currentIteration: number | null;
}

const BUCKETS_MS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 86_400].map((s) => s * 1000);
const DAY_MS = 86_400_000;
const MAX_POINTS = 120;
/** Samples outside these times cannot be drawn as dates (the parsers already refuse them). */
const LATEST_MS = Date.UTC(10000, 0, 1);
/** How many iterations running a test must fail before it is called stuck. */
const STUCK_AFTER = 3;

function emptyCounts(): TokenCounts {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0, costUsd: 0, requests: 0 };
}

function add(into: TokenCounts, sample: TokenSample, cost: number | null): void {
  into.input += sample.input;
  into.output += sample.output;
  into.cacheRead += sample.cacheRead;
  into.cacheWrite += sample.cacheWrite;
  into.total += sample.input + sample.output + sample.cacheRead + sample.cacheWrite;
  into.costUsd = into.costUsd === null || cost === null ? null : into.costUsd + cost;
  into.requests += 1;
}

/** Rounds dollars to 1e-10 so sums do not drift in their last floating-point digits. */
function tidy(counts: TokenCounts): TokenCounts {
  return { ...counts, costUsd: counts.costUsd === null ? null : Math.round(counts.costUsd * 1e10) / 1e10 };
}

/** Index of the phase span current at `at`: the last one started at or before it and not yet ended. */
function phaseAt(
  phases: readonly PhaseSpan[],
  starts: readonly number[],
  ends: readonly number[],
  at: number,
): number {
  for (let i = phases.length - 1; i >= 0; i--) {
    const start = starts[i]!;
    if (Number.isNaN(start) || start > at) continue;
    if (at <= ends[i]!) return i;
  }
  return -1;
}

export function contextLevel(percent: number): ContextLevel {
  if (percent < 50) return 'safe';
  if (percent < 75) return 'warning';
  return 'critical';
}

/** Tests failing in each of the last {@link STUCK_AFTER} iterations that name their failures. */
export function stuckTests(iterations: readonly TestIteration[]): string[] {
  const named = [...iterations]
    .sort((a, b) => a.iteration - b.iteration)
    .filter((it) => it.failing.length > 0);
  const last = named.slice(-STUCK_AFTER);
  if (last.length < STUCK_AFTER) return [];
  // Consecutive iterations only: a gap means the test passed (or was not run) in between.
  for (let i = 1; i < last.length; i++) if (last[i]!.iteration !== last[i - 1]!.iteration + 1) return [];
  const latest = iterations.reduce((a, b) => (b.iteration > a.iteration ? b : a));
  if (latest.iteration !== last.at(-1)!.iteration) return [];
  return last[0]!.failing.filter((name) => last.every((it) => it.failing.includes(name)));
}

/** The narrowest bucket that draws the span in at most {@link MAX_POINTS} points (whole days past a day). */
function bucketFor(spanMs: number): number {
  return (
    BUCKETS_MS.find((bucket) => spanMs / bucket <= MAX_POINTS) ??
    Math.ceil(spanMs / MAX_POINTS / DAY_MS) * DAY_MS
  );
}

type ModelCounts = TokenCounts & { priced: boolean };

/**
 * One row per model, the largest first; past {@link MAX_MODELS} models, the smallest are
 * counted together in one last row that says how many it holds, so a session that names
 * thousands of models still sends a short list.
 */
function modelRows(byModel: Map<string, ModelCounts>): SessionMetrics['tokens']['byModel'] {
  const rows = [...byModel.entries()]
    .sort(([a, x], [b, y]) => y.total - x.total || (a < b ? -1 : 1))
    .map(([model, { priced, ...counts }]) => ({ model, priced, ...counts }));
  if (rows.length > MAX_MODELS) {
    const rest = rows.splice(MAX_MODELS - 1);
    const other = { model: `other (${rest.length} models)`, priced: true, ...emptyCounts() };
    for (const row of rest) {
      addTokenCounts(other, row);
      other.priced &&= row.priced;
    }
    rows.push(other);
  }
  return rows.map(({ model, priced, ...counts }) => ({ model, priced, ...tidy(counts) }));
}

export function aggregateMetrics({
  sessionId,
  samples,
  phases,
  prices,
  iterations,
  currentIteration,
}: AggregateInput): SessionMetrics {
  const sorted = samples
    .filter((s) => s.at >= 0 && s.at < LATEST_MS)
    .sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
  const totals = emptyCounts();
  const subagent = emptyCounts();
  const byPhase = new Map<number, TokenCounts>();
  const byModel = new Map<string, ModelCounts>();
  const starts = phases.map((p) => (p.startedAt ? Date.parse(p.startedAt) : Number.NaN));
  const ends = phases.map((p) => (p.endedAt ? Date.parse(p.endedAt) : Number.POSITIVE_INFINITY));

  const first = sorted[0]?.at ?? 0;
  const bucketMs = bucketFor((sorted.at(-1)?.at ?? first) - first);
  const points = new Map<number, TokenPoint>();

  for (const sample of sorted) {
    const cost = sample.costUsd ?? prices.costOf(sample.model, sample);
    add(totals, sample, cost);
    if (sample.sidechain) add(subagent, sample, cost);
    const phase = phaseAt(phases, starts, ends, sample.at);
    const phaseCounts = byPhase.get(phase) ?? emptyCounts();
    add(phaseCounts, sample, cost);
    byPhase.set(phase, phaseCounts);
    const model = byModel.get(sample.model) ?? { ...emptyCounts(), priced: true };
    add(model, sample, cost);
    if (cost === null) model.priced = false;
    byModel.set(sample.model, model);

    const bucket = Math.floor(sample.at / bucketMs) * bucketMs;
    const point = points.get(bucket) ?? {
      at: new Date(bucket).toISOString(),
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
    };
    point.input += sample.input;
    point.output += sample.output;
    point.cacheRead += sample.cacheRead;
    point.cacheWrite += sample.cacheWrite;
    points.set(bucket, point);
  }

  const series: TokenPoint[] = [];
  if (points.size > 0) {
    // Samples are in time order, so the first and last buckets are the lowest and highest.
    const lo = Math.floor(first / bucketMs) * bucketMs;
    const hi = Math.floor(sorted.at(-1)!.at / bucketMs) * bucketMs;
    for (let at = lo; at <= hi; at += bucketMs) {
      series.push(
        points.get(at) ?? {
          at: new Date(at).toISOString(),
          input: 0,
          output: 0,
          cacheRead: 0,
          cacheWrite: 0,
        },
      );
    }
  }

  const phaseRows: PhaseTokens[] = [...byPhase.entries()]
    .sort(([a], [b]) => (a === -1 ? 1 : b === -1 ? -1 : a - b))
    .map(([index, counts]) => ({ phase: index === -1 ? null : phases[index]!.name, ...tidy(counts) }));

  const latest = [...sorted].reverse().find((s) => !s.sidechain) ?? sorted.at(-1);
  const used = latest ? latest.input + latest.cacheRead + latest.cacheWrite : null;
  const limit = latest ? prices.contextWindow(latest.model) : null;
  const percent = used !== null && limit ? Math.round((used / limit) * 1000) / 10 : null;

  return {
    sessionId,
    tokens: {
      ...tidy(totals),
      byPhase: phaseRows,
      byModel: modelRows(byModel),
      series,
      bucketMs,
      subagent: tidy(subagent),
    },
    context: {
      usedTokens: used,
      limit,
      percent,
      level: percent === null ? null : contextLevel(percent),
      model: latest?.model ?? null,
    },
    tests: {
      // A build can write a results file per iteration number: only the latest are shown.
      iterations: [...iterations].sort((a, b) => a.iteration - b.iteration).slice(-MAX_TEST_ITERATIONS),
      current:
        currentIteration ??
        iterations.reduce<number | null>(
          (most, it) => (most === null || it.iteration > most ? it.iteration : most),
          null,
        ),
      stuck: stuckTests(iterations),
    },
  };
}

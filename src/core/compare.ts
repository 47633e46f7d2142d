/**
 * @module
 * Two to ten runs side by side (SPEC 4 `GET /api/compare`, SPEC 5 Compare): aligned phase by
 * phase by phase name, each figure beside its difference from the baseline (the first run) as a
 * number and a percentage, totals, a verdict sentence, warnings when the runs are not comparable,
 * the spread of three or more runs of one project, and each run's cumulative tokens and cost over
 * time from its start. Pure: the runs and their metrics in, the comparison out.
 */
import { compareWarnings, verdictOf } from './compare-verdict.js';
import {
  FIGURES,
  type CompareInput,
  type ComparedPhase,
  type ComparedRun,
  type Comparison,
  type CurvePoint,
  type Deltas,
  type Figure,
  type Figures,
  type ProjectSpread,
  type RunCurves,
  type RunTotals,
} from './compare-types.js';
import {
  mergePhaseOrder,
  phaseFigures,
  runDurationMs,
  spreadOf,
  testIterationsOf,
  type PhaseFigure,
  type Spread,
} from './run-figures.js';

/** The fewest and most runs one comparison takes (SPEC 4). */
export const MIN_COMPARED = 2;
export const MAX_COMPARED = 10;

const LABELS = 'ABCDEFGHIJ';
const round1 = (n: number): number => Math.round(n * 10) / 10 + 0;
const tidyUsd = (n: number): number => Math.round(n * 1e10) / 1e10 + 0;

function delta(value: number | null, base: number | null): number | null {
  return value === null || base === null ? null : value - base;
}

/** The change from `base` to `value` in percent of `base`, to one decimal; null when undefined. */
export function percentChange(value: number | null, base: number | null): number | null {
  if (value === null || base === null) return null;
  if (base === 0) return value === 0 ? 0 : null;
  return round1(((value - base) / base) * 100);
}

function deltasOf(value: Figures, base: Figures | null): Deltas {
  const b = base ?? { durationMs: null, tokensTotal: null, costUsd: null, testIterations: null };
  const cost = delta(value.costUsd, b.costUsd);
  return {
    deltaDurationMs: delta(value.durationMs, b.durationMs),
    deltaDurationPercent: percentChange(value.durationMs, b.durationMs),
    deltaTokensTotal: delta(value.tokensTotal, b.tokensTotal),
    deltaTokensPercent: percentChange(value.tokensTotal, b.tokensTotal),
    deltaCostUsd: cost === null ? null : tidyUsd(cost),
    deltaCostPercent: percentChange(value.costUsd, b.costUsd),
    deltaTestIterations: delta(value.testIterations, b.testIterations),
  };
}

function differsIn(cells: readonly (Figures | null)[]): Record<Figure, boolean> {
  const out = {} as Record<Figure, boolean>;
  for (const figure of FIGURES) {
    const values = cells.map((cell) => (cell === null ? undefined : cell[figure]));
    out[figure] = values.some((value) => value !== values[0]);
  }
  return out;
}

const figuresOf = (f: PhaseFigure): Figures => ({
  durationMs: f.durationMs,
  tokensTotal: f.tokensTotal,
  costUsd: f.costUsd,
  testIterations: f.testIterations,
});

/** Cumulative tokens by time bucket, and cumulative cost at each phase's end, from the run's start. */
function curvesOf(input: CompareInput, phases: readonly PhaseFigure[]): RunCurves {
  const { session, metrics } = input;
  const start = Date.parse(session.startedAt);
  const offset = (at: number) => Math.max(0, at - start);
  const tokens: CurvePoint[] = [];
  let sum = 0;
  if (metrics && metrics.tokens.requests > 0) {
    tokens.push({ atMs: 0, value: 0 });
    for (const point of metrics.tokens.series) {
      sum += point.input + point.output + point.cacheRead + point.cacheWrite;
      tokens.push({ atMs: offset(Date.parse(point.at) + metrics.tokens.bucketMs), value: sum });
    }
  }
  const costUsd: CurvePoint[] = [];
  if (metrics && metrics.tokens.requests > 0) {
    costUsd.push({ atMs: 0, value: 0 });
    const ended = phases
      .filter((figure) => figure.endedAt !== null)
      .sort((x, y) => Date.parse(x.endedAt!) - Date.parse(y.endedAt!));
    let complete = ended.length === phases.length;
    let cost = 0;
    for (const figure of ended) {
      if (figure.costUsd === null) {
        complete = false;
        break;
      }
      cost += figure.costUsd;
      costUsd.push({ atMs: offset(Date.parse(figure.endedAt!)), value: tidyUsd(cost) });
    }
    // The last point is the run's whole cost, requests outside its phases included.
    if (complete && session.endedAt !== null && session.costUsd !== null) {
      costUsd.push({ atMs: offset(Date.parse(session.endedAt)), value: session.costUsd });
    }
  }
  return { id: session.id, tokens, costUsd };
}

function spreadsOf(runs: readonly ComparedRun[], phases: readonly ComparedPhase[]): ProjectSpread[] {
  const projects = [...new Set(runs.map((run) => run.project))];
  return projects.flatMap((project) => {
    const members = runs.flatMap((run, i) => (run.project === project ? [i] : []));
    if (members.length < 3) return [];
    const pick = <T>(list: readonly T[]) => members.map((i) => list[i]!);
    const ofRuns = pick(runs);
    const totals = {} as Record<Figure, Spread | null>;
    for (const figure of FIGURES) totals[figure] = spreadOf(ofRuns.map((run) => run[figure]));
    return [
      {
        project,
        runs: members.length,
        totals,
        phases: phases.map((row) => {
          const cells = pick(row.runs);
          const of = (figure: Figure) => spreadOf(cells.map((cell) => cell?.[figure] ?? null));
          return {
            phase: row.phase,
            durationMs: of('durationMs'),
            tokensTotal: of('tokensTotal'),
            costUsd: of('costUsd'),
          };
        }),
      },
    ];
  });
}

/** Compares 2-10 runs; the first is the baseline. The caller checks the count and the ids. */
export function compareRuns(inputs: readonly CompareInput[]): Comparison {
  const figures = inputs.map(({ session, metrics }) => phaseFigures(session, metrics));
  const runs: ComparedRun[] = inputs.map(({ session }, i) => ({
    id: session.id,
    label: LABELS[i] ?? String(i + 1),
    project: session.project,
    state: session.state,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    durationMs: runDurationMs(session),
    tokensTotal: session.tokensTotal,
    costUsd: session.costUsd,
    testIterations: testIterationsOf(session),
    phaseCount: figures[i]!.length,
  }));
  const order = mergePhaseOrder(figures);
  const phases: ComparedPhase[] = order.map(({ key, name }) => {
    const found = figures.map((list) => list.find((figure) => figure.key === key) ?? null);
    const base = found[0] ? figuresOf(found[0]) : null;
    const cells = found.map((figure, i) =>
      figure === null
        ? null
        : { id: runs[i]!.id, ...figuresOf(figure), ...deltasOf(figuresOf(figure), base) },
    );
    return { phase: name, runs: cells, differs: differsIn(cells) };
  });
  const baseTotals = runs[0]!;
  const totals: RunTotals[] = runs.map((run) => {
    const own: Figures = {
      durationMs: run.durationMs,
      tokensTotal: run.tokensTotal,
      costUsd: run.costUsd,
      testIterations: run.testIterations,
    };
    return { id: run.id, ...own, ...deltasOf(own, baseTotals) };
  });
  return {
    baseline: runs[0]!.id,
    runs,
    phases,
    totals,
    verdict: verdictOf(runs, totals),
    warnings: compareWarnings(runs, phases),
    spread: spreadsOf(runs, phases),
    curves: inputs.map((input, i) => curvesOf(input, figures[i]!)),
  };
}

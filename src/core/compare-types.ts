/**
 * @module
 * The shapes of a comparison of runs (SPEC 4 `GET /api/compare`): what ./compare.ts makes and
 * ./compare-verdict.ts puts into words.
 */
import type { Session, SessionState } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import type { Spread } from './run-figures.js';

export type CompareWarningCode =
  | 'different-projects'
  | 'different-phases'
  | 'in-progress'
  | 'no-phases'
  | 'failed'
  | 'no-tokens'
  | 'cost-unknown';

export interface CompareWarning {
  code: CompareWarningCode;
  message: string;
}

/** A run to compare, with its metrics when it has any. */
export interface CompareInput {
  session: Session;
  metrics: SessionMetrics | null;
}

/** The figures compared, in the order the page shows them. */
export const FIGURES = ['durationMs', 'tokensTotal', 'costUsd', 'testIterations'] as const;
export type Figure = (typeof FIGURES)[number];

export type Figures = Record<Figure, number | null>;

/** Differences from the baseline; null where either side is unknown. */
export interface Deltas {
  deltaDurationMs: number | null;
  deltaDurationPercent: number | null;
  deltaTokensTotal: number | null;
  deltaTokensPercent: number | null;
  deltaCostUsd: number | null;
  deltaCostPercent: number | null;
  deltaTestIterations: number | null;
}

export interface ComparedRun {
  id: string;
  /** "A" for the baseline, then "B", "C"…: what the verdict and the page call each run. */
  label: string;
  project: string;
  state: SessionState;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  tokensTotal: number | null;
  costUsd: number | null;
  testIterations: number;
  /** How many distinct phases it has in its timeline. */
  phaseCount: number;
}

/** One run in one phase: its figures and their differences from the baseline's. */
export type PhaseCell = { id: string } & Figures & Deltas;

export interface ComparedPhase {
  phase: string;
  /** One cell per run, in run order; null where the run has no such phase (absent, never zero). */
  runs: (PhaseCell | null)[];
  /** Per figure, whether the runs differ in it (for "differences only"). */
  differs: Record<Figure, boolean>;
}

export type RunTotals = { id: string } & Figures & Deltas;

/** Median and range of three or more runs of one project, beside the deltas. */
export interface ProjectSpread {
  project: string;
  runs: number;
  totals: Record<Figure, Spread | null>;
  phases: { phase: string; durationMs: Spread | null; tokensTotal: Spread | null; costUsd: Spread | null }[];
}

/** A point of a run's cumulative curve: milliseconds after its start, and the sum by then. */
export interface CurvePoint {
  atMs: number;
  value: number;
}

export interface RunCurves {
  id: string;
  /** Cumulative tokens at the end of each time bucket of its metrics. */
  tokens: CurvePoint[];
  /** Cumulative dollars at the end of each phase (real figures only, so no point in between). */
  costUsd: CurvePoint[];
}

export interface Comparison {
  baseline: string;
  runs: ComparedRun[];
  phases: ComparedPhase[];
  totals: RunTotals[];
  /** One plain sentence: how the runs differ from the baseline. */
  verdict: string;
  warnings: CompareWarning[];
  /** One entry per project with three or more of the runs. */
  spread: ProjectSpread[];
  curves: RunCurves[];
}

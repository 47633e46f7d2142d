/**
 * @module
 * The expected finish of a running build (SPEC 4 `forecast` in `GET /api/sessions/:id`): each
 * phase still to come takes what it took in past completed runs of the same project (median,
 * range, how many runs), the phase under way what is left of its median, and the finish is now
 * plus the sum. With no such history it says why instead of guessing. Pure: `now` is passed in.
 */
import type { Session } from '../shared/protocol.js';
import { alignKey, mergePhaseOrder, phaseFigures, spreadOf } from './run-figures.js';

/** How many of the most recent completed runs a forecast learns from. */
const FORECAST_RUNS = 20;

/** What one phase is expected to take. */
export interface PhaseForecast {
  phase: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Past runs that timed this phase. */
  runs: number;
}

export interface Forecast {
  /** Milliseconds until the expected finish. */
  remainingMs: number;
  /** ISO time of the expected finish. */
  finishAt: string;
  /** Past completed runs of the project it learned from. */
  basedOnRuns: number;
  /** The phases still to come, the one under way first, in the order past runs ran them. */
  phases: PhaseForecast[];
}

export type ForecastResult =
  { forecast: Forecast; forecastReason: null } | { forecast: null; forecastReason: string };

const none = (forecastReason: string): ForecastResult => ({ forecast: null, forecastReason });

/** The past runs a forecast learns from: completed runs of the project, newest first, at most 20. */
function forecastBasis(session: Session, runs: readonly Session[]): Session[] {
  return runs
    .filter((run) => run.id !== session.id && run.state === 'completed' && run.endedAt !== null)
    .sort((a, b) =>
      a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1,
    )
    .slice(0, FORECAST_RUNS);
}

/**
 * The forecast for `session` from the runs of its project (the session itself may be among them).
 * A phase that fewer than half the past runs went through (an optional one) is not expected.
 */
export function forecastRun(session: Session, projectRuns: readonly Session[], now: number): ForecastResult {
  if (session.endedAt !== null) return none(`the run has ${session.state === 'failed' ? 'failed' : 'ended'}`);
  const past = forecastBasis(session, projectRuns);
  if (past.length === 0) return none(`no completed run of ${session.project} to learn from yet`);

  const pastFigures = past.map((run) => phaseFigures(run, null));
  const order = mergePhaseOrder(pastFigures);
  const done = new Set(
    session.phases.filter((span) => span.status !== 'running').map((span) => alignKey(span.name)),
  );
  const current = session.phases.findLast((span) => span.status === 'running');
  const currentKey = current ? alignKey(current.name) : null;

  const phases: PhaseForecast[] = [];
  let remainingMs = 0;
  let timed = false;
  for (const { key, name } of order) {
    const took = pastFigures.map((figures) => figures.find((figure) => figure.key === key) ?? null);
    if (took.filter((figure) => figure !== null).length * 2 < past.length) continue;
    const spread = spreadOf(took.map((figure) => figure?.durationMs ?? null));
    if (spread !== null) timed = true;
    if (key !== currentKey && done.has(key)) continue;
    if (spread === null) continue;
    phases.push({
      phase: name,
      medianMs: spread.median,
      minMs: spread.min,
      maxMs: spread.max,
      runs: spread.count,
    });
    const started = key === currentKey && current?.startedAt ? Date.parse(current.startedAt) : Number.NaN;
    const elapsed = Number.isNaN(started) ? 0 : Math.max(0, now - started);
    remainingMs += Math.max(0, spread.median - elapsed);
  }
  if (!timed) return none(`the past runs of ${session.project} have no phase timings`);
  remainingMs = Math.round(remainingMs);
  return {
    forecast: {
      remainingMs,
      finishAt: new Date(now + remainingMs).toISOString(),
      basedOnRuns: past.length,
      phases,
    },
    forecastReason: null,
  };
}

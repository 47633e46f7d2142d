/**
 * @module
 * Tokens and cost across runs, by day and by project (SPEC 5 History): what ccusage answers for a
 * person, here for builds. A run counts on the UTC day it started. A range longer than about three
 * months is told by month instead, so the chart stays readable. Pure.
 */
import type { Session } from '../shared/protocol.js';

export interface TotalsRow {
  runs: number;
  /** Summed over runs with real token counts. */
  tokensTotal: number;
  /** Summed over runs whose cost is known. */
  costUsd: number;
  /** Runs with tokens but no known cost (a model without a price), left out of `costUsd`. */
  unpricedRuns: number;
}

export interface PeriodTotals extends TotalsRow {
  /** `2026-11-20` for a day, `2026-11` for a month. */
  period: string;
}

export interface ProjectTotals extends TotalsRow {
  project: string;
}

export interface RunTotalsReport {
  unit: 'day' | 'month';
  /** Every period from the first to the last (empty ones included), oldest first. */
  periods: PeriodTotals[];
  /** Most expensive first. */
  projects: ProjectTotals[];
  all: TotalsRow;
}

/** Longer ranges than this many days are told by month. */
export const MAX_DAYS = 92;
/** Filling empty periods stops here: a bad clock in one run must not make a thousand empty bars. */
const MAX_FILLED = 400;
const DAY_MS = 86_400_000;

const emptyRow = (): TotalsRow => ({ runs: 0, tokensTotal: 0, costUsd: 0, unpricedRuns: 0 });

function add(row: TotalsRow, session: Session): void {
  row.runs++;
  if (session.tokensTotal !== null) row.tokensTotal += session.tokensTotal;
  if (session.costUsd !== null) row.costUsd += session.costUsd;
  else if (session.tokensTotal !== null) row.unpricedRuns++;
}

const tidy = <T extends TotalsRow>(row: T): T => ({ ...row, costUsd: Math.round(row.costUsd * 1e10) / 1e10 });

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** The periods from `first` to `last` inclusive. */
function periodsBetween(first: number, last: number, unit: 'day' | 'month'): string[] {
  const out: string[] = [];
  const at = new Date(first);
  at.setUTCHours(0, 0, 0, 0);
  if (unit === 'month') at.setUTCDate(1);
  const end = unit === 'day' ? dayOf(last) : monthOf(last);
  for (let i = 0; i < MAX_FILLED; i++) {
    const period = unit === 'day' ? dayOf(at.getTime()) : monthOf(at.getTime());
    out.push(period);
    if (period >= end) break;
    if (unit === 'day') at.setUTCDate(at.getUTCDate() + 1);
    else at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return out;
}

/**
 * Totals of `sessions` by period and by project. `range` bounds the periods shown (ms; `to` is
 * exclusive), so a chosen range shows its quiet days too; without it, the runs' own span.
 */
export function runTotals(
  sessions: Iterable<Session>,
  range: { from?: number; to?: number } = {},
): RunTotalsReport {
  const started: Array<[number, Session]> = [];
  let earliest = Infinity;
  let latest = -Infinity;
  const all = emptyRow();
  const projects = new Map<string, ProjectTotals>();
  for (const session of sessions) {
    add(all, session);
    const project = projects.get(session.project) ?? { project: session.project, ...emptyRow() };
    add(project, session);
    projects.set(session.project, project);
    const at = Date.parse(session.startedAt);
    if (Number.isNaN(at)) continue;
    started.push([at, session]);
    earliest = Math.min(earliest, at);
    latest = Math.max(latest, at);
  }
  let first = range.from ?? earliest;
  let last = range.to !== undefined ? range.to - 1 : latest;
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) [first, last] = [0, -1];
  const unit = last - first > MAX_DAYS * DAY_MS ? 'month' : 'day';
  const keyOf = unit === 'day' ? dayOf : monthOf;
  const periods = new Map<string, PeriodTotals>();
  if (last >= first)
    for (const period of periodsBetween(first, last, unit)) periods.set(period, { period, ...emptyRow() });
  for (const [at, session] of started) {
    const period = keyOf(at);
    const row = periods.get(period) ?? { period, ...emptyRow() };
    add(row, session);
    periods.set(period, row);
  }
  return {
    unit,
    periods: [...periods.values()].sort((a, b) => (a.period < b.period ? -1 : 1)).map(tidy),
    projects: [...projects.values()]
      .sort(
        (a, b) => b.costUsd - a.costUsd || b.tokensTotal - a.tokensTotal || (a.project < b.project ? -1 : 1),
      )
      .map(tidy),
    all: tidy(all),
  };
}

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
const MAX_DAYS = 92;
/** Filling empty periods stops here: a bad clock in one run must not make thousands of empty bars. */
const MAX_FILLED = 400;
const DAY_MS = 86_400_000;

const emptyRow = (): TotalsRow => ({ runs: 0, tokensTotal: 0, costUsd: 0, unpricedRuns: 0 });

function add(row: TotalsRow, tokens: number | null, cost: number | null): void {
  row.runs++;
  if (tokens !== null) row.tokensTotal += tokens;
  if (cost !== null) row.costUsd += cost;
  else if (tokens !== null) row.unpricedRuns++;
}

const tidy = <T extends TotalsRow>(row: T): T => ({ ...row, costUsd: Math.round(row.costUsd * 1e10) / 1e10 });

const dayText = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Adds runs up one at a time: by UTC day (a whole number of days since the epoch, turned into
 * text once per day, not once per run) and by project.
 */
export class TotalsBuilder {
  readonly #all = emptyRow();
  readonly #days = new Map<number, TotalsRow>();
  readonly #projects = new Map<string, ProjectTotals>();

  /** One run: its project, start (ms, NaN when unreadable), tokens and cost when known. */
  add(project: string, startedMs: number, tokens: number | null, cost: number | null): void {
    add(this.#all, tokens, cost);
    let byProject = this.#projects.get(project);
    if (!byProject) this.#projects.set(project, (byProject = { project, ...emptyRow() }));
    add(byProject, tokens, cost);
    if (Number.isNaN(startedMs)) return;
    const day = Math.floor(startedMs / DAY_MS);
    let byDay = this.#days.get(day);
    if (!byDay) this.#days.set(day, (byDay = emptyRow()));
    add(byDay, tokens, cost);
  }

  /**
   * The report. `range` bounds the periods shown (ms; `to` exclusive), so a chosen range shows its
   * quiet days too; without it, the runs' own span.
   */
  report(range: { from?: number; to?: number } = {}): RunTotalsReport {
    const days = [...this.#days.keys()];
    const first = range.from !== undefined ? Math.floor(range.from / DAY_MS) : Math.min(...days);
    const last = range.to !== undefined ? Math.floor((range.to - 1) / DAY_MS) : Math.max(...days);
    const bounded = Number.isFinite(first) && Number.isFinite(last) && last >= first;
    const unit = bounded && last - first + 1 > MAX_DAYS ? 'month' : 'day';
    const periods = new Map<string, PeriodTotals>();
    const periodOf = (day: number) => (unit === 'day' ? dayText(day) : dayText(day).slice(0, 7));
    const row = (period: string) => {
      let found = periods.get(period);
      if (!found) periods.set(period, (found = { period, ...emptyRow() }));
      return found;
    };
    if (bounded) {
      // Empty days (or months) in between are shown too, up to a sane number of bars.
      for (let day = first; day <= last && periods.size < MAX_FILLED; day++) row(periodOf(day));
    }
    for (const [day, totals] of this.#days) {
      const into = row(periodOf(day));
      into.runs += totals.runs;
      into.tokensTotal += totals.tokensTotal;
      into.costUsd += totals.costUsd;
      into.unpricedRuns += totals.unpricedRuns;
    }
    return {
      unit,
      periods: [...periods.values()].sort((a, b) => (a.period < b.period ? -1 : 1)).map(tidy),
      projects: [...this.#projects.values()]
        .sort(
          (a, b) =>
            b.costUsd - a.costUsd || b.tokensTotal - a.tokensTotal || (a.project < b.project ? -1 : 1),
        )
        .map(tidy),
      all: tidy(this.#all),
    };
  }
}

/** Totals of `sessions` by period and by project (see {@link TotalsBuilder.report} for `range`). */
export function runTotals(
  sessions: Iterable<Session>,
  range: { from?: number; to?: number } = {},
): RunTotalsReport {
  const builder = new TotalsBuilder();
  for (const s of sessions) builder.add(s.project, Date.parse(s.startedAt), s.tokensTotal, s.costUsd);
  return builder.report(range);
}

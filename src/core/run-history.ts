/**
 * @module
 * History over the registry and the metrics, as the routes and pages ask for it: a comparison of
 * the runs a list of ids names (2 to 10, the first the baseline, each known and named once), the
 * forecast of a running build, everything known about one run for its export, tokens and cost by
 * day and project, and deleting runs. Errors are values naming what is wrong.
 */
import type { Agent, LogLine, PlanPhase, Session } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import type { Clock } from '../shared/clock.js';
import { compareRuns, MAX_COMPARED, MIN_COMPARED } from './compare.js';
import { type Comparison } from './compare-types.js';
import { forecastRun, type ForecastResult } from './forecast.js';
import { runExportJson, type RunExport } from './run-export.js';
import type { RunTotalsReport } from './run-totals.js';
import type { SessionQuery } from './session-query.js';

/** What history needs of the registry. */
export interface HistoryRuns {
  get(id: string): Session | undefined;
  runsOfProject(project: string): Session[];
  /** Tokens and cost by day and project of the runs a query's filters match. */
  totals(query: SessionQuery): RunTotalsReport;
  remove(id: string): Session | undefined;
  raw(id: string): string | null;
}

export interface RunHistoryOptions {
  runs: HistoryRuns;
  clock: Clock;
  metrics: (id: string) => SessionMetrics | null;
  plan: (session: Session) => PlanPhase[];
  agents: (id: string) => Agent[];
  logs: (id: string) => LogLine[];
}

export type HistoryProblem = { code: 'bad_query' | 'not_found'; message: string };
export type HistoryResult<T> = { ok: true; value: T } | { ok: false; problem: HistoryProblem };

const fail = <T>(code: HistoryProblem['code'], message: string): HistoryResult<T> => ({
  ok: false,
  problem: { code, message },
});

/**
 * The ids of `?ids=a,b,c` (also `?ids=a&ids=b`), in order: 2 to 10 of them, none twice. Blank
 * entries (a trailing comma) are ignored.
 */
export function parseCompareIds(values: readonly string[]): HistoryResult<string[]> {
  const ids = values
    .flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length < MIN_COMPARED) {
    const got = ids.length === 0 ? 'none' : `only ${ids[0]}`;
    return fail(
      'bad_query',
      `ids must name ${MIN_COMPARED} to ${MAX_COMPARED} runs, the baseline first; got ${got}`,
    );
  }
  if (ids.length > MAX_COMPARED) {
    return fail('bad_query', `ids may name at most ${MAX_COMPARED} runs; got ${ids.length}`);
  }
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) return fail('bad_query', `ids names run ${repeated} twice`);
  return { ok: true, value: ids };
}

export class RunHistory {
  readonly #o: RunHistoryOptions;

  constructor(options: RunHistoryOptions) {
    this.#o = options;
  }

  /** The comparison of the runs `ids` names (already parsed); 404 `not_found` names unknown ones. */
  compare(ids: readonly string[]): HistoryResult<Comparison> {
    const sessions = ids.map((id) => this.#o.runs.get(id));
    const unknown = ids.filter((_, i) => sessions[i] === undefined);
    if (unknown.length > 0) {
      const which = unknown.map((id) => `"${id}"`).join(', ');
      return fail('not_found', `no session ${which}`);
    }
    const inputs = sessions.map((session) => ({ session: session!, metrics: this.#o.metrics(session!.id) }));
    return { ok: true, value: compareRuns(inputs) };
  }

  /** The expected finish of a run, or why there is none. */
  forecast(session: Session): ForecastResult {
    return forecastRun(session, this.#o.runs.runsOfProject(session.project), this.#o.clock.now());
  }

  /** Everything known about a run. */
  export(session: Session): RunExport {
    const { id } = session;
    return runExportJson({
      exportedAt: new Date(this.#o.clock.now()).toISOString(),
      session,
      plan: this.#o.plan(session),
      metrics: this.#o.metrics(id),
      agents: this.#o.agents(id),
      logs: this.#o.logs(id),
      raw: this.#o.runs.raw(id),
      forecast: this.forecast(session),
    });
  }

  /** Tokens and cost by period and project of every run the query's filters match. */
  totals(query: SessionQuery): RunTotalsReport {
    return this.#o.runs.totals(query);
  }

  /**
   * Deletes a finished (or stalled) run. A build still running is refused: it is still reporting,
   * and every update it sends after the deletion would be dropped without a word.
   */
  delete(
    id: string,
  ): HistoryResult<Session> | { ok: false; problem: { code: 'still_running'; message: string } } {
    const session = this.#o.runs.get(id);
    if (!session) return fail('not_found', `no session "${id}"`);
    if (session.state === 'running') {
      return {
        ok: false,
        problem: {
          code: 'still_running',
          message: `${id} is still running: delete it once it has ended or stalled`,
        },
      };
    }
    this.#o.runs.remove(id);
    return { ok: true, value: session };
  }
}

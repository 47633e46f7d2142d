/**
 * @module
 * Exports (SPEC 4 `GET /api/sessions/:id/export?format=json|csv`, `GET /api/compare?format=`):
 * a run as JSON with everything known about it, a run as CSV (one row per phase with its times
 * and token figures, then what fell outside the phases and the whole run), and a comparison as
 * CSV (one row per run per phase, then its totals). Pure.
 */
import type { Agent, LogLine, PlanPhase, Session } from '../shared/protocol.js';
import { addTokenCounts, type SessionMetrics, type TokenCounts } from '../shared/metrics.js';
import type { Comparison } from './compare-types.js';
import { csvTable, type CsvValue } from './csv.js';
import type { ForecastResult } from './forecast.js';
import { alignKey, runDurationMs, testIterationsOf } from './run-figures.js';

/** Everything known about a run, as `format=json` exports it. */
export interface RunExport {
  format: 'buildcast-run';
  version: 1;
  exportedAt: string;
  session: Session;
  plan: PlanPhase[];
  metrics: SessionMetrics | null;
  agents: Agent[];
  logs: LogLine[];
  /** The last raw phase file (or push body), as received. */
  raw: string | null;
  forecast: ForecastResult['forecast'];
  forecastReason: string | null;
}

export type RunExportParts = Omit<RunExport, 'format' | 'version' | 'forecast' | 'forecastReason'> & {
  forecast: ForecastResult;
};

export function runExportJson({ forecast, ...parts }: RunExportParts): RunExport {
  return { format: 'buildcast-run', version: 1, ...parts, ...forecast };
}

const RUN_HEADER = [
  'phase',
  'status',
  'started_at',
  'ended_at',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'tokens_total',
  'cost_usd',
  'requests',
  'test_iterations',
];

type Counts = Omit<TokenCounts, 'costUsd'> & { costUsd: number | null };

const zero = (): Counts => ({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  total: 0,
  costUsd: 0,
  requests: 0,
});

function countCells(counts: Counts | null): CsvValue[] {
  if (counts === null) return [null, null, null, null, null, null, null];
  const cost = counts.costUsd === null ? null : Math.round(counts.costUsd * 1e10) / 1e10;
  return [
    counts.input,
    counts.output,
    counts.cacheRead,
    counts.cacheWrite,
    counts.total,
    cost,
    counts.requests,
  ];
}

/** A run as CSV: a row per phase (a retried phase once, its times added up), outside phases, total. */
export function runCsv(session: Session, metrics: SessionMetrics | null): string {
  const counted = metrics !== null && metrics.tokens.requests > 0;
  const byKey = new Map<string, Counts>();
  for (const row of metrics?.tokens.byPhase ?? []) {
    if (row.phase === null) continue;
    const counts = byKey.get(alignKey(row.phase)) ?? zero();
    addTokenCounts(counts, row);
    byKey.set(alignKey(row.phase), counts);
  }
  const phases = new Map<string, { name: string; spans: Session['phases'] }>();
  for (const span of session.phases) {
    const key = alignKey(span.name);
    const known = phases.get(key);
    if (known) known.spans.push(span);
    else phases.set(key, { name: span.name, spans: [span] });
  }
  const rows: CsvValue[][] = [...phases].map(([key, { name, spans }]) => {
    const durations = spans.map((span) => span.durationMs).filter((ms): ms is number => ms !== null);
    const last = spans[spans.length - 1]!;
    return [
      name,
      last.status,
      spans[0]!.startedAt,
      last.endedAt,
      durations.length > 0 ? durations.reduce((a, b) => a + b, 0) : null,
      ...countCells(counted ? (byKey.get(key) ?? zero()) : null),
      key === alignKey('Test') ? testIterationsOf(session) : 0,
    ];
  });
  const outside = metrics?.tokens.byPhase.find((row) => row.phase === null);
  if (outside) rows.push(['(outside phases)', null, null, null, null, ...countCells(outside), null]);
  rows.push([
    '(whole run)',
    session.state,
    session.startedAt,
    session.endedAt,
    runDurationMs(session),
    ...countCells(counted ? metrics.tokens : null),
    testIterationsOf(session),
  ]);
  return csvTable(RUN_HEADER, rows);
}

const COMPARE_HEADER = [
  'phase',
  'run',
  'label',
  'project',
  'started_at',
  'duration_ms',
  'delta_duration_ms',
  'delta_duration_percent',
  'tokens_total',
  'delta_tokens_percent',
  'cost_usd',
  'delta_cost_percent',
  'test_iterations',
  'delta_test_iterations',
];

/** A comparison as CSV: a row per run per phase it has (absent phases have no row), then totals. */
export function comparisonCsv(comparison: Comparison): string {
  const rows: CsvValue[][] = [];
  const runOf = (i: number) => comparison.runs[i]!;
  const row = (phase: string, i: number, cell: Comparison['totals'][number]): CsvValue[] => [
    phase,
    cell.id,
    runOf(i).label,
    runOf(i).project,
    runOf(i).startedAt,
    cell.durationMs,
    cell.deltaDurationMs,
    cell.deltaDurationPercent,
    cell.tokensTotal,
    cell.deltaTokensPercent,
    cell.costUsd,
    cell.deltaCostPercent,
    cell.testIterations,
    cell.deltaTestIterations,
  ];
  for (const phase of comparison.phases) {
    phase.runs.forEach((cell, i) => {
      if (cell !== null) rows.push(row(phase.phase, i, cell));
    });
  }
  comparison.totals.forEach((cell, i) => rows.push(row('(total)', i, cell)));
  return csvTable(COMPARE_HEADER, rows);
}

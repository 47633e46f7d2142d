/**
 * @module
 * Cost in the transcript benchmark (bench/transcripts.ts): each generated session's cost at
 * Anthropic's prices (bench/transcript-cost.ts) against what buildcast and ccusage say it cost,
 * session by session. buildcast's sessions are found by project and start (a plain Claude Code
 * session starts at the final line of its first request), ccusage's by Claude Code session id.
 *
 * ccusage 20 prices the long-context tier per kind of token, and only the tokens of a kind
 * past 200k at the higher rate; Anthropic prices every token of a request whose prompt passes
 * 200k at the higher rate. Sessions with such requests are compared apart, and ccusage's figure
 * is checked against that per-field rule applied to the same requests, so the difference is
 * shown to be that rule and nothing else.
 */
import path from 'node:path';
import type { CcusageSession } from './ccusage.js';
import type { GeneratedTranscripts } from './gen-transcripts.js';
import { goal, info, type Figure } from './report.js';
import { dollars } from './transcript-cost.js';
import type { BuildcastSession } from './transcripts-buildcast.js';

/** The most two costs of a session may differ by and still be the same cost, in percent. */
export const COST_TOLERANCE_PERCENT = 0.1;

/** One generated session's cost each way, in US dollars (null where a tool has no figure). */
export interface SessionCostRow {
  sessionId: string;
  project: string;
  longRequests: number;
  /** Share of the session's cache writes that were for an hour, in percent. */
  hourShare: number;
  anthropic: number;
  perFieldTiering: number;
  flat: number;
  buildcast: number | null;
  ccusage: number | null;
}

/** |a - b| as a percentage of `b`; null without both. */
export function differencePercent(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  if (b === 0) return a === 0 ? 0 : null;
  return (Math.abs(a - b) / b) * 100;
}

/** The largest of the differences, null when there is none or one is unknown. */
function largest(values: Array<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return Math.max(...(values as number[]));
}

/** Each generated session with the figures buildcast and ccusage gave for it. */
export function costRows(
  set: GeneratedTranscripts,
  buildcast: readonly BuildcastSession[],
  ccusage: readonly CcusageSession[] | null,
): SessionCostRow[] {
  const byStart = new Map(buildcast.map((s) => [`${s.project}|${s.startedAt}`, s]));
  const byId = new Map((ccusage ?? []).map((s) => [s.id, s]));
  return set.transcripts.map((t) => {
    const project = path.basename(t.cwd);
    const ours = byStart.get(`${project}|${new Date(t.firstRequestAt).toISOString()}`);
    return {
      sessionId: t.sessionId,
      project,
      longRequests: t.cost.longRequests,
      hourShare: t.cost.cacheWrite > 0 ? (t.cost.cacheWrite1h / t.cost.cacheWrite) * 100 : 0,
      anthropic: dollars(t.cost.anthropic),
      perFieldTiering: dollars(t.cost.perFieldTiering),
      flat: dollars(t.cost.flat),
      buildcast: ours?.costUsd ?? null,
      ccusage: byId.get(t.sessionId)?.costUsd ?? null,
    };
  });
}

const sum = (values: Array<number | null>) =>
  values.some((v) => v === null) ? null : values.reduce<number>((total, v) => total + v!, 0);

/** The cost figures of the scenario; ccusage's are n/a, not short, when it did not run. */
export function costFigures(rows: readonly SessionCostRow[], set: GeneratedTranscripts): Figure[] {
  const withCcusage = rows.some((row) => row.ccusage !== null);
  const long = rows.filter((row) => row.longRequests > 0);
  const short = rows.filter((row) => row.longRequests === 0);
  const versus = (list: readonly SessionCostRow[]) =>
    largest(list.map((row) => differencePercent(row.buildcast, row.ccusage)));
  const tolerance = (label: string, value: number | null) =>
    withCcusage ? goal(label, value, '%', '<=', COST_TOLERANCE_PERCENT) : info(label, null, '%');
  const flatTotal = dollars(set.cost.flat);
  const anthropicTotal = dollars(set.cost.anthropic);
  return [
    info('cost: sessions priced', rows.length, ''),
    info('cost: sessions with requests over 200k prompt tokens', long.length, ''),
    info('cost: requests over 200k prompt tokens', set.cost.longRequests, ''),
    info('cost: 1-hour share of cache writes', (set.cost.cacheWrite1h / set.cost.cacheWrite) * 100, '%'),
    goal(
      "buildcast cost vs Anthropic's prices, largest per session",
      largest(rows.map((row) => differencePercent(row.buildcast, row.anthropic))),
      '%',
      '<=',
      COST_TOLERANCE_PERCENT,
    ),
    tolerance('buildcast vs ccusage, largest per session (none over 200k)', versus(short)),
    info(
      'buildcast vs ccusage, largest per session (some over 200k)',
      withCcusage ? versus(long) : null,
      '%',
    ),
    tolerance(
      'ccusage vs per-field 200k tiering, largest per session',
      largest(rows.map((row) => differencePercent(row.ccusage, row.perFieldTiering))),
    ),
    info("generated cost at Anthropic's prices", anthropicTotal, 'USD'),
    info('buildcast cost', sum(rows.map((row) => row.buildcast)), 'USD'),
    info('ccusage cost', withCcusage ? sum(rows.map((row) => row.ccusage)) : null, 'USD'),
    info(
      'all writes at the 5-minute rate, no tier: total off by',
      ((flatTotal - anthropicTotal) / anthropicTotal) * 100,
      '%',
    ),
    info(
      'all writes at the 5-minute rate, no tier: largest per session',
      largest(rows.map((row) => differencePercent(row.flat, row.anthropic))),
      '%',
    ),
  ];
}

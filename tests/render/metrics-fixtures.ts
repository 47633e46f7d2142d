/**
 * @module
 * Realistic metrics for the session of `makeSession()` (weather-app, started 13:40, in its Test
 * phase since 13:55): one-minute token buckets dominated by cache reads as Claude Code's are,
 * four phases, two models (one without a known price), and three test iterations with two
 * tests stuck.
 */
import { FakeClock } from '../../src/shared/clock.js';
import type { BackfillProgress, Session } from '../../src/shared/protocol.js';
import type { PhaseTokens, SessionMetrics, TokenCounts, TokenPoint } from '../../src/shared/metrics.js';
import { createPageRoutes } from '../../src/server/pages.js';
import { ArrayReader, makeSession } from './fixtures.js';

const START = Date.parse('2026-11-20T13:40:00Z');
const MINUTE = 60_000;

/** Counts with their total filled in. */
export function counts(
  input: number,
  output: number,
  cacheWrite: number,
  cacheRead: number,
  costUsd: number | null,
  requests: number,
): TokenCounts {
  return {
    input,
    output,
    cacheWrite,
    cacheRead,
    total: input + output + cacheWrite + cacheRead,
    costUsd,
    requests,
  };
}

/** Twenty one-minute buckets, 13:40 to 13:59, with a quiet gap at 13:47-13:48. */
export function makeSeries(): TokenPoint[] {
  const points: TokenPoint[] = [];
  for (let i = 0; i < 20; i++) {
    if (i === 7 || i === 8) continue;
    const busy = 1 + ((i * 7) % 5);
    points.push({
      at: new Date(START + i * MINUTE).toISOString(),
      input: 1_200 * busy,
      output: 900 * busy,
      cacheWrite: i % 4 === 0 ? 14_000 : 2_000,
      cacheRead: 18_000 * busy,
    });
  }
  return points;
}

function sum(points: TokenPoint[]): Omit<TokenCounts, 'costUsd' | 'requests'> {
  const input = points.reduce((n, p) => n + p.input, 0);
  const output = points.reduce((n, p) => n + p.output, 0);
  const cacheWrite = points.reduce((n, p) => n + p.cacheWrite, 0);
  const cacheRead = points.reduce((n, p) => n + p.cacheRead, 0);
  return { input, output, cacheWrite, cacheRead, total: input + output + cacheWrite + cacheRead };
}

/** The phase a bucket falls in, by the fixture session's phase times. */
function phaseOf(at: string): string {
  const t = Date.parse(at);
  if (t < Date.parse('2026-11-20T13:44:12Z')) return 'Scout';
  if (t < Date.parse('2026-11-20T13:50:00Z')) return 'Architect';
  if (t < Date.parse('2026-11-20T13:55:00Z')) return 'Builder';
  return 'Test';
}

/** Metrics for `makeSession()`, with the sonnet share priced and the haiku share not. */
export function makeMetrics(overrides: Partial<SessionMetrics> = {}): SessionMetrics {
  const series = makeSeries();
  const all = sum(series);
  const byPhase: PhaseTokens[] = ['Scout', 'Architect', 'Builder', 'Test'].map((phase, i) => {
    const slice = sum(series.filter((point) => phaseOf(point.at) === phase));
    return {
      ...slice,
      phase,
      costUsd: i === 3 ? null : Math.round(slice.total * 0.0000045 * 100) / 100,
      requests: 6 + i,
    };
  });
  byPhase.push({ ...counts(800, 300, 0, 4_000, 0.02, 2), phase: null });
  const haiku = counts(3_000, 1_000, 0, 40_000, null, 5);
  return {
    sessionId: 'weather-app-20261120T140211Z',
    tokens: {
      ...all,
      costUsd: null,
      requests: 34,
      byPhase,
      byModel: [
        {
          model: 'claude-sonnet-4-5-20250929',
          priced: true,
          ...counts(all.input - 3_000, all.output - 1_000, all.cacheWrite, all.cacheRead - 40_000, 1.87, 29),
        },
        { model: 'claude-haiku-9-20990101', priced: false, ...haiku },
      ],
      series,
      bucketMs: MINUTE,
      subagent: counts(2_000, 1_500, 4_000, 60_000, null, 6),
    },
    context: {
      usedTokens: 124_000,
      limit: 200_000,
      percent: 62,
      level: 'warning',
      model: 'claude-sonnet-4-5-20250929',
    },
    tests: {
      iterations: [
        {
          iteration: 1,
          passed: 9,
          failed: 6,
          failing: ['parseForecast converts units', 'cache expires', 'a', 'b', 'c', 'd'],
        },
        {
          iteration: 2,
          passed: 12,
          failed: 3,
          failing: ['parseForecast converts units', 'cache expires', 'e'],
        },
        { iteration: 3, passed: 13, failed: 2, failing: ['parseForecast converts units', 'cache expires'] },
      ],
      current: 3,
      stuck: ['parseForecast converts units', 'cache expires'],
    },
    ...overrides,
  };
}

/** Page routes over `sessions`, with metrics looked up in `byId` and an optional backfill. */
export function metricsPages(
  sessions: Session[],
  byId: Record<string, SessionMetrics>,
  backfill?: () => BackfillProgress | null,
) {
  const asked: string[] = [];
  const app = createPageRoutes({
    reader: new ArrayReader(sessions),
    clock: new FakeClock('2026-11-20T14:00:00Z'),
    packageRoot: process.cwd(),
    metrics: (id) => {
      asked.push(id);
      return byId[id] ?? null;
    },
    backfill,
  });
  return { app, asked };
}

/** The metrics fragment of the session `makeSession()` builds, with these metrics. */
export async function metricsFragment(metrics: SessionMetrics | null, session: Session = makeSession()) {
  const { app } = metricsPages([session], metrics === null ? {} : { [session.id]: metrics });
  const res = await app.request(`/fragments/sessions/${encodeURIComponent(session.id)}/metrics`);
  return { status: res.status, body: await res.text() };
}

/** Markup with its layout whitespace folded, so tests can match tags whatever the line breaks. */
export const flat = (markup: string): string => markup.replace(/\s+/g, ' ').replace(/ >/g, '>');

/** The first `<svg>` with this class, as {@link flat} markup; empty when there is none. */
export function svgWithClass(markup: string, className: string): string {
  const folded = flat(markup);
  const at = folded.indexOf(`<svg class="chart ${className}"`);
  if (at < 0) return '';
  return folded.slice(at, folded.indexOf('</svg>', at) + '</svg>'.length);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#96;': '`',
  '&amp;': '&',
};

/** Markup as the words a reader sees: tags dropped, entities decoded, whitespace folded. */
export const words = (markup: string): string =>
  markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(lt|gt|quot|#39|#96|amp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:])/g, '$1')
    .trim();

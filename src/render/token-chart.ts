/**
 * @module
 * Tokens over time (SPEC 5, session page): a stacked bar per time bucket, split by token type,
 * with the session's phase starts marked as vertical lines. Bars sit at their real times on a
 * continuous axis, so quiet stretches show as gaps rather than being squeezed out.
 */
import type { Session } from '../shared/protocol.js';
import type { SessionMetrics, TokenPoint } from '../shared/metrics.js';
import { html, type SafeHtml } from './html.js';
import { parseTime } from '../shared/format.js';
import { formatTokens } from './format.js';
import {
  bottomLabels,
  chartSvg,
  clip,
  niceTicks,
  plotSize,
  px,
  textWidth,
  timeTicks,
  valueAxis,
  type PlotArea,
} from './charts.js';

/** The token types, bottom of the stack first, with the words the legend uses. */
export const TOKEN_TYPES = [
  { key: 'input', label: 'Input' },
  { key: 'output', label: 'Output' },
  { key: 'cacheWrite', label: 'Cache write' },
  { key: 'cacheRead', label: 'Cache read' },
] as const;

export type TokenType = (typeof TOKEN_TYPES)[number]['key'];

/** More bars than this are merged into wider buckets, so a day-long build stays a light fragment. */
export const MAX_BARS = 120;
const DEFAULT_BUCKET_MS = 60_000;
const AREA: PlotArea = { width: 960, height: 300, left: 52, right: 14, top: 40, bottom: 26 };
const LABEL_ROWS = [13, 27];

/** One drawn bar: a time slot and the tokens of each type used in it. */
export interface TokenBar {
  at: number;
  widthMs: number;
  counts: Record<TokenType, number>;
  total: number;
}

const zero = (): Record<TokenType, number> => ({ input: 0, output: 0, cacheWrite: 0, cacheRead: 0 });

/**
 * The series as bars: each bucket at its own time, buckets merged into wider ones (aligned to
 * the clock, as the server aligns its buckets) when there would be more than {@link MAX_BARS},
 * empty ones left out.
 */
export function tokenBars(series: TokenPoint[], bucketMs: number): TokenBar[] {
  const bucket = Number.isFinite(bucketMs) && bucketMs > 0 ? bucketMs : DEFAULT_BUCKET_MS;
  const times = series.map((point) => parseTime(point.at)).filter((at): at is number => at !== null);
  if (times.length === 0) return [];
  const span = Math.max(...times) + bucket - Math.min(...times);
  const slotMs = bucket * Math.max(1, Math.ceil(span / bucket / MAX_BARS));
  const slots = new Map<number, TokenBar>();
  for (const point of series) {
    const at = parseTime(point.at);
    if (at === null) continue;
    const slot = slotMs === bucket ? at : Math.floor(at / slotMs) * slotMs;
    let bar = slots.get(slot);
    if (!bar) {
      bar = { at: slot, widthMs: slotMs, counts: zero(), total: 0 };
      slots.set(slot, bar);
    }
    for (const { key } of TOKEN_TYPES) {
      const n = Math.max(0, point[key]);
      bar.counts[key] += n;
      bar.total += n;
    }
  }
  return [...slots.values()].filter((bar) => bar.total > 0).sort((a, b) => a.at - b.at);
}

/** The time axis: from the first bar (or the session's start, if earlier) to the last bar's end (or the session's). */
function timeDomain(session: Session, bars: TokenBar[]): { start: number; end: number } {
  const first = bars[0]?.at ?? 0;
  const lastBar = bars[bars.length - 1];
  const last = lastBar ? lastBar.at + lastBar.widthMs : first;
  const started = parseTime(session.startedAt);
  const ended = parseTime(session.endedAt);
  // A start or end far off the data (a bad clock, a reused id) would squash every bar into a sliver.
  const near = (t: number | null): t is number => t !== null && Math.abs(t - first) < 7 * 24 * 3600_000;
  const start = near(started) ? Math.min(first, started) : first;
  const end = near(ended) ? Math.max(last, ended) : last;
  return { start, end: Math.max(end, start + 1) };
}

const clockLabel = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** A bucket width in words: "30 seconds", "1 minute", "5 minutes", "2 hours". */
export function bucketLabel(ms: number): string {
  const [unit, size] =
    ms >= 3600_000 && ms % 3600_000 === 0
      ? ['hour', 3600_000]
      : ms >= 60_000 && ms % 60_000 === 0
        ? ['minute', 60_000]
        : ['second', 1000];
  const n = Math.max(1, Math.round(ms / size));
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function barTitle(bar: TokenBar): string {
  const parts = TOKEN_TYPES.map(
    ({ key, label }) => `${label.toLowerCase()} ${formatTokens(bar.counts[key])}`,
  );
  return `${clockLabel(bar.at)} UTC, ${bucketLabel(bar.widthMs)}: ${formatTokens(bar.total)} tokens (${parts.join(', ')})`;
}

/** Vertical lines at each phase start inside the domain, names placed in two rows so they do not collide. */
function phaseMarkers(session: Session, x: (t: number) => number, start: number, end: number): SafeHtml {
  const { h } = plotSize(AREA);
  const rowEnds = LABEL_ROWS.map(() => -Infinity);
  const markers = session.phases.flatMap((span) => {
    const at = parseTime(span.startedAt);
    if (at === null || at < start || at > end) return [];
    const lineX = px(x(at));
    const name = clip(span.name, 22);
    const width = textWidth(name);
    // Labels near the right edge are anchored to end at their line.
    const anchorEnd = lineX + 3 + width > AREA.width - AREA.right;
    const from = anchorEnd ? lineX - 3 - width : lineX + 3;
    const row = rowEnds.findIndex((rowEnd) => from > rowEnd + 6);
    if (row >= 0) rowEnds[row] = from + width;
    const labelY = row >= 0 ? LABEL_ROWS[row] : undefined;
    return [
      html`<g class="phase-marker" data-phase="${span.name}">
        <title>${span.name} started ${clockLabel(at)} UTC</title>
        <line
          x1="${lineX}"
          x2="${lineX}"
          y1="${labelY === undefined ? AREA.top : labelY + 3}"
          y2="${AREA.top + h}"
        ></line>
        ${
          labelY !== undefined &&
          html`<text
            x="${anchorEnd ? px(lineX - 3) : px(lineX + 3)}"
            y="${labelY}"
            text-anchor="${anchorEnd ? 'end' : 'start'}"
            >${name}</text
          >`
        }
      </g>`,
    ];
  });
  return html`<g class="phase-markers">${markers}</g>`;
}

/** The chart's summary for screen readers. */
function describe(bars: TokenBar[], total: number, start: number, end: number, phases: number): string {
  const peak = bars.reduce((best, bar) => (bar.total > best.total ? bar : best), bars[0] as TokenBar);
  const phaseText = phases === 0 ? '' : `, ${phases} phase ${phases === 1 ? 'start' : 'starts'} marked`;
  return (
    `${formatTokens(total)} tokens from ${clockLabel(start)} to ${clockLabel(end)} UTC in ${bars.length} ` +
    `${bars.length === 1 ? 'bar' : 'bars'} of ${bucketLabel(peak.widthMs)}; ` +
    `busiest ${clockLabel(peak.at)} UTC with ${formatTokens(peak.total)}${phaseText}. ` +
    `Stacked from the bottom: input, output, cache write, cache read.`
  );
}

/** The legend: one swatch per token type with its total. */
function tokenLegend(totals: Record<TokenType, number>): SafeHtml {
  return html`<ul class="legend" aria-label="Token types">
    ${TOKEN_TYPES.map(
      ({ key, label }) =>
        html`<li>
          <span class="swatch tk-${key}" aria-hidden="true"></span>${label}
          <span class="legend-value">${formatTokens(totals[key])}</span>
        </li>`,
    )}
  </ul>`;
}

/** The tokens-over-time chart with its legend, or a plain sentence when there is nothing to draw. */
export function renderTokenChart(session: Session, tokens: SessionMetrics['tokens']): SafeHtml {
  const bars = tokenBars(tokens.series, tokens.bucketMs);
  if (bars.length === 0) {
    return html`<p class="muted chart-empty">No token usage over time recorded yet.</p>`;
  }
  const { start, end } = timeDomain(session, bars);
  const { w, h } = plotSize(AREA);
  const ticks = niceTicks(Math.max(...bars.map((bar) => bar.total)));
  const top = ticks[ticks.length - 1] ?? 1;
  const x = (t: number): number => AREA.left + ((t - start) / (end - start)) * w;
  const y = (n: number): number => (n / top) * h;
  const total = bars.reduce((sum, bar) => sum + bar.total, 0);
  const drawn = bars.map((bar) => {
    const slot = (bar.widthMs / (end - start)) * w;
    // A gap between bars once they are wide enough to spare one.
    const width = Math.max(0.8, slot > 4 ? slot * 0.82 : slot);
    let base = AREA.top + h;
    const left = px(x(bar.at) + (slot - width) / 2);
    const rects = TOKEN_TYPES.map(({ key }) => {
      const height = y(bar.counts[key]);
      if (height <= 0) return null;
      base -= height;
      // prettier-ignore
      return html`<rect class="tk-${key}" x="${left}" y="${px(base)}" width="${px(width)}" height="${px(height)}"></rect>`;
    });
    // Kept on one line: a long build draws this a hundred times, and every byte is sent on each refresh.
    // prettier-ignore
    return html`<g class="bar" data-at="${new Date(bar.at).toISOString()}" data-total="${bar.total}"><title>${barTitle(bar)}</title>${rects}</g>`;
  });
  const inDomain = session.phases.filter((span) => {
    const at = parseTime(span.startedAt);
    return at !== null && at >= start && at <= end;
  }).length;
  const svg = chartSvg({
    id: 'tokens-chart',
    className: 'token-chart',
    width: AREA.width,
    height: AREA.height,
    title: 'Tokens over time',
    description: describe(bars, total, start, end, inDomain),
    body: html`${valueAxis(AREA, ticks)}
      <g class="bars">${drawn}</g>
      ${phaseMarkers(session, x, start, end)}
      ${bottomLabels(
        AREA,
        timeTicks(start, end).map((tick) => ({
          x: x(tick.at),
          text: tick.label,
          time: { iso: new Date(tick.at).toISOString(), style: tick.style },
        })),
      )}`,
  });
  return html`<div class="chart-scroll">${svg}</div>
    ${tokenLegend(tokens)}
    <p class="chart-note muted">
      Times of day in your time zone (UTC in the tooltips); each bar is ${bucketLabel(bars[0]?.widthMs ?? 0)}.
    </p>`;
}

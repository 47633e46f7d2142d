/**
 * @module
 * Words and numbers the history and comparison pages share: a run's short name, signed
 * differences ("−15m 00s", "+36 %"), whether a difference is better or worse, and a spread as
 * "median (min–max)". Pure.
 */
import { formatDuration, formatTimestamp, parseTime, UNKNOWN } from '../shared/format.js';
import { formatTokens, formatUsd } from './format.js';

/** The figures the pages compare, as core names them. */
export type FigureName = 'durationMs' | 'tokensTotal' | 'costUsd' | 'testIterations';

/** Row labels of the figures. */
export const FIGURE_LABELS: Readonly<Record<FigureName, string>> = {
  durationMs: 'Duration',
  tokensTotal: 'Tokens',
  costUsd: 'Cost',
  testIterations: 'Test iterations',
};

/** A figure as the pages show it; "—" when unknown. */
export function formatFigure(figure: FigureName, value: number | null): string {
  if (value === null) return UNKNOWN;
  switch (figure) {
    case 'durationMs':
      return formatDuration(value);
    case 'tokensTotal':
      return formatTokens(value);
    case 'costUsd':
      return formatUsd(value);
    case 'testIterations':
      return String(value);
  }
}

const MINUS = '\u2212';

/** A difference with its sign: "−15m 00s", "+$0.02", "+1", "±0". */
export function formatDelta(figure: FigureName, delta: number | null): string {
  if (delta === null) return UNKNOWN;
  if (delta === 0) return '±0';
  const sign = delta < 0 ? MINUS : '+';
  const size = Math.abs(delta);
  if (figure === 'costUsd') return `${sign}${formatUsd(size)}`;
  return `${sign}${formatFigure(figure, size)}`;
}

/** A percentage change with its sign: "−31 %", "+4.5 %". */
export function formatPercentChange(percent: number | null): string {
  if (percent === null) return '';
  if (percent === 0) return '±0 %';
  const text = Math.abs(percent) >= 10 ? String(Math.round(Math.abs(percent))) : String(Math.abs(percent));
  return `${percent < 0 ? MINUS : '+'}${text} %`;
}

/** Less is better for every compared figure: time, tokens, dollars, loops. */
export function deltaClass(delta: number | null): string {
  if (delta === null || delta === 0) return 'delta-same';
  return delta < 0 ? 'delta-better' : 'delta-worse';
}

/** A spread as "12m 00s (8m 00s–15m 00s)". */
export function formatSpread(
  figure: FigureName,
  spread: { median: number; min: number; max: number } | null,
): string {
  if (spread === null) return UNKNOWN;
  return `${formatFigure(figure, spread.median)} (${formatFigure(figure, spread.min)}–${formatFigure(figure, spread.max)})`;
}

/** "2026-11-20 14:02 UTC": when a run started, short enough for a column heading. */
export function shortStart(iso: string): string {
  const ms = parseTime(iso);
  return ms === null ? UNKNOWN : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A run's name in a selection or a chart legend: "weather-app, 2026-11-20 14:02 UTC". */
export function runName(run: { project: string; startedAt: string }): string {
  return `${run.project}, ${shortStart(run.startedAt)}`;
}

/** The full start time, for tooltips. */
export const fullStart = formatTimestamp;

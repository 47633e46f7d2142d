/**
 * @module
 * The comparison's two charts (SPEC 5 Compare): per-phase durations side by side (a group of bars
 * per phase, a bar per run, none where a run lacks the phase), and cumulative tokens and cost over
 * time with every run aligned at its own start. Server-rendered SVG; each run has its own colour
 * class (`run-0`…`run-9`) from the stylesheet, and the legend names them.
 */
import type { Comparison } from '../core/compare-types.js';
import { formatDuration } from '../shared/format.js';
import { html, type SafeHtml } from './html.js';
import { formatTokens, formatUsd } from './format.js';
import { runName } from './history-format.js';
import { bottomLabels, chartSvg, clip, niceTicks, plotSize, px, valueAxis, type PlotArea } from './charts.js';

const MINUTE = 60_000;
const DURATION_AREA: PlotArea = { width: 960, height: 240, left: 60, right: 14, top: 14, bottom: 30 };
const CURVE_AREA: PlotArea = { width: 640, height: 260, left: 60, right: 14, top: 14, bottom: 26 };
const ELAPSED_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE);

/** Round elapsed times from 0 to `end`, about `target` of them ("30m", "1h 30m"). */
function elapsedTicks(end: number, target = 8): number[] {
  const step =
    ELAPSED_STEPS.find((s) => end / s <= target) ?? Math.ceil(end / target / (1440 * MINUTE)) * 1440 * MINUTE;
  const ticks: number[] = [];
  for (let at = 0; at <= end; at += step) ticks.push(at);
  return ticks;
}

const elapsedLabel = (ms: number): string => {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
};

/** The legend: one swatch per run, its label and name. */
export function runLegend(comparison: Comparison): SafeHtml {
  return html`<ul class="legend compare-legend" aria-label="Runs">
    ${comparison.runs.map(
      (run, i) =>
        html`<li>
          <span class="swatch run-${i}" aria-hidden="true"></span
          ><strong>${run.label}</strong> ${runName(run)}
        </li>`,
    )}
  </ul>`;
}

/** Per-phase durations, a group of bars per phase. */
export function renderDurationChart(comparison: Comparison): SafeHtml {
  const { phases, runs } = comparison;
  if (phases.length === 0)
    return html`<p class="muted chart-empty">None of these runs has a phase timeline.</p>`;
  const { w, h } = plotSize(DURATION_AREA);
  const longest = Math.max(0, ...phases.flatMap((row) => row.runs.map((cell) => cell?.durationMs ?? 0)));
  if (longest === 0) return html`<p class="muted chart-empty">No phase has a duration yet.</p>`;
  const ticks = niceTicks(longest / MINUTE).map((m) => m * MINUTE);
  const top = ticks[ticks.length - 1] || MINUTE;
  const group = w / phases.length;
  const bar = Math.max(1, (group * 0.8) / runs.length);
  const groups = phases.map((row, p) => {
    const left = DURATION_AREA.left + p * group + group * 0.1;
    const bars = row.runs.map((cell, r) => {
      if (cell === null || cell.durationMs === null) return null;
      const height = (cell.durationMs / top) * h;
      // prettier-ignore
      return html`<rect class="run-${r}" x="${px(left + r * bar)}" y="${px(DURATION_AREA.top + h - height)}" width="${px(bar * 0.9)}" height="${px(height)}" data-run="${runs[r]!.label}"><title>${row.phase}, ${runs[r]!.label}: ${formatDuration(cell.durationMs)}</title></rect>`;
    });
    return html`<g class="phase-group" data-phase="${row.phase}">${bars}</g>`;
  });
  const labels = phases.map((row, p) => ({
    x: DURATION_AREA.left + p * group + group / 2,
    text: clip(row.phase, Math.max(4, Math.floor(group / 7))),
  }));
  return chartSvg({
    id: 'compare-durations',
    className: 'compare-chart duration-chart',
    width: DURATION_AREA.width,
    height: DURATION_AREA.height,
    title: 'Duration of each phase, run by run',
    description: `${phases.length} phase${phases.length === 1 ? '' : 's'}, ${runs.length} runs; the longest took ${formatDuration(longest)}.`,
    body: html`${valueAxis(DURATION_AREA, ticks, elapsedLabel)}${groups}${bottomLabels(DURATION_AREA, labels)}`,
  });
}

type Curve = { atMs: number; value: number }[];

/** One plot of cumulative curves, a line per run (and a dot per point when there are few). */
function curvePlot(
  comparison: Comparison,
  pick: (curves: Comparison['curves'][number]) => Curve,
  end: number,
  id: string,
  title: string,
  format: (n: number) => string,
): SafeHtml {
  const { w, h } = plotSize(CURVE_AREA);
  const curves = comparison.curves.map(pick);
  const most = Math.max(0, ...curves.flatMap((curve) => curve.map((point) => point.value)));
  const ticks = niceTicks(most);
  const top = ticks[ticks.length - 1] || 1;
  const x = (at: number) => CURVE_AREA.left + (Math.min(at, end) / end) * w;
  const y = (value: number) => CURVE_AREA.top + h - (value / top) * h;
  const lines = curves.map((curve, r) => {
    if (curve.length === 0) return null;
    const d = curve
      .map((point, i) => `${i === 0 ? 'M' : 'L'} ${px(x(point.atMs))} ${px(y(point.value))}`)
      .join(' ');
    const run = comparison.runs[r]!;
    const dots =
      curve.length <= 24
        ? curve.map(
            (point) =>
              // prettier-ignore
              html`<circle class="run-${r}" cx="${px(x(point.atMs))}" cy="${px(y(point.value))}" r="3"><title>${run.label} after ${elapsedLabel(point.atMs)}: ${format(point.value)}</title></circle>`,
          )
        : null;
    return html`<g class="curve" data-run="${run.label}"
      ><path class="line run-${r}" d="${d}"
        ><title>${run.label}: ${format(curve[curve.length - 1]!.value)} in all</title></path
      >${dots}</g
    >`;
  });
  const labels = elapsedTicks(end).map((at) => ({ x: x(at), text: elapsedLabel(at) }));
  const drawn = curves.filter((curve) => curve.length > 0).length;
  return chartSvg({
    id,
    className: 'compare-chart curve-chart',
    width: CURVE_AREA.width,
    height: CURVE_AREA.height,
    title,
    description: `${drawn} of ${curves.length} runs drawn from their own start; at most ${format(most)}.`,
    body: html`${valueAxis(CURVE_AREA, ticks, format)}${lines}${bottomLabels(CURVE_AREA, labels)}`,
  });
}

/** Cumulative tokens and cost over time, every run from its own start. */
export function renderCumulativeChart(comparison: Comparison): SafeHtml {
  const all = comparison.curves.flatMap((curve) => [...curve.tokens, ...curve.costUsd]);
  if (all.length === 0) return html`<p class="muted chart-empty">None of these runs has token counts.</p>`;
  const end = Math.max(MINUTE, ...all.map((point) => point.atMs));
  return html`<div class="chart-pair">
      <figure class="chart-figure">
        <figcaption>Tokens, cumulative</figcaption>
        <div class="chart-scroll">
          ${curvePlot(comparison, (c) => c.tokens, end, 'compare-tokens', 'Cumulative tokens since each run started', formatTokens)}
        </div>
      </figure>
      <figure class="chart-figure">
        <figcaption>Cost, cumulative</figcaption>
        <div class="chart-scroll">
          ${curvePlot(comparison, (c) => c.costUsd, end, 'compare-cost', 'Cumulative cost since each run started', formatUsd)}
        </div>
      </figure>
    </div>
    <p class="chart-note muted">Cost is known at the end of each phase, so its line joins those points.</p>`;
}

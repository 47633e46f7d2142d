/**
 * @module
 * Small SVG chart primitives for the metrics section: round axis ticks, time ticks, the plot
 * frame with its grid and labels, and arcs for gauges.
 *
 * The pages' Content-Security-Policy allows no inline styles, so every chart is plain SVG
 * markup with presentation attributes (`x`, `height`, `d`) and CSS classes from
 * `public/styles.css`; colours live in the stylesheet so light and dark themes both work.
 * Charts draw in a fixed `viewBox` and scale to the width of their panel.
 */
import { html, type SafeHtml } from './html.js';
import { formatTokens } from './format.js';
import { DATA } from '../shared/dom.js';

/** The drawing area inside a chart's viewBox, after room for the axes. */
export interface PlotArea {
  /** viewBox width and height. */
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Rounds a coordinate to one decimal, enough for a crisp chart and half the markup. */
export const px = (n: number): number => Math.round(n * 10) / 10;

/** The plot's inner width and height. */
export function plotSize(area: PlotArea): { w: number; h: number } {
  return { w: area.width - area.left - area.right, h: area.height - area.top - area.bottom };
}

/**
 * Round value axis ticks from 0 up to at least `max`: steps of 1, 2 or 5 times a power of ten,
 * never finer than `minStep` (1 for counts of things, so no axis says "2.5 tests").
 */
export function niceTicks(max: number, target = 4, minStep = 0): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(rough));
  const nice = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const step = Math.max(minStep, nice);
  const ticks = [0];
  // Multiplying (not adding) keeps float error from creeping into the labels.
  for (let i = 1; ticks[ticks.length - 1]! < top; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TIME_STEPS = [
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];

/** A tick of a time axis: where, its UTC label, and how the client relabels it in the viewer's zone. */
export interface TimeTick {
  at: number;
  label: string;
  style: 'clock' | 'minutes';
}

/**
 * Time axis ticks on round UTC clock times between `start` and `end` (ms), about `target` of them.
 * Round in UTC is round in every zone whose offset is whole hours, and a half-hour off elsewhere.
 */
export function timeTicks(start: number, end: number, target = 6): TimeTick[] {
  const span = Math.max(1, end - start);
  const step =
    TIME_STEPS.find((s) => span / s <= target) ?? Math.ceil(span / target / (24 * HOUR)) * 24 * HOUR;
  const ticks: TimeTick[] = [];
  const style = step < MINUTE ? 'clock' : 'minutes';
  for (let at = Math.ceil(start / step) * step; at <= end; at += step) {
    const iso = new Date(at).toISOString();
    ticks.push({ at, label: style === 'clock' ? iso.slice(11, 19) : iso.slice(11, 16), style });
  }
  return ticks;
}

/** The horizontal grid lines and token labels of a value axis. */
export function valueAxis(
  area: PlotArea,
  ticks: number[],
  label: (n: number) => string = formatTokens,
): SafeHtml {
  const { w, h } = plotSize(area);
  const top = ticks[ticks.length - 1] ?? 1;
  return html`<g class="axis axis-y">
    ${ticks.map((tick) => {
      const y = px(area.top + h - (tick / top) * h);
      return html`<line class="grid" x1="${area.left}" x2="${px(area.left + w)}" y1="${y}" y2="${y}"></line
        ><text x="${area.left - 6}" y="${px(y + 4)}" text-anchor="end">${label(tick)}</text>`;
    })}
  </g>`;
}

/** A label along the bottom edge; a time of day carries its time for the client to relabel. */
export interface BottomLabel {
  x: number;
  text: string;
  className?: string;
  time?: { iso: string; style: TimeTick['style'] };
}

/** Labels along the bottom edge, each at an x coordinate. */
export function bottomLabels(area: PlotArea, labels: BottomLabel[]): SafeHtml {
  const y = area.height - area.bottom + 16;
  return html`<g class="axis axis-x">
    <line
      class="baseline"
      x1="${area.left}"
      x2="${area.width - area.right}"
      y1="${area.height - area.bottom}"
      y2="${area.height - area.bottom}"
    ></line>
    ${labels.map((label) => {
      // A label at either end is kept inside the drawing rather than cut in half.
      const half = textWidth(label.text) / 2;
      const anchor = label.x + half > area.width ? 'end' : label.x - half < 0 ? 'start' : 'middle';
      return html`<text
        class="${label.className ?? 'tick'}"
        x="${px(label.x)}"
        y="${y}"
        text-anchor="${anchor}"
        ${label.time && html`${DATA.at}="${label.time.iso}" ${DATA.local}="${label.time.style}"`}
        >${label.text}</text
      >`;
    })}
  </g>`;
}

/**
 * An `<svg>` that scales to its container: a fixed viewBox, `width="100%"`, and a title and
 * description that screen readers announce in place of the drawing.
 */
export function chartSvg(options: {
  id: string;
  className: string;
  width: number;
  height: number;
  title: string;
  description: string;
  body: SafeHtml;
}): SafeHtml {
  const { id, className, width, height, title, description, body } = options;
  return html`<svg
    class="chart ${className}"
    viewBox="0 0 ${width} ${height}"
    width="100%"
    preserveAspectRatio="xMidYMid meet"
    role="img"
    aria-labelledby="${id}-title ${id}-desc"
  >
    <title id="${id}-title">${title}</title>
    <desc id="${id}-desc">${description}</desc>
    ${body}
  </svg>`;
}

/**
 * The path of a circular arc around (cx, cy), from `from` to `to` as fractions of a half turn
 * drawn left to right over the top: 0 is the left end, 1 the right end.
 */
export function halfArcPath(cx: number, cy: number, r: number, from: number, to: number): string {
  const point = (fraction: number): string => {
    const angle = Math.PI * (1 - Math.min(1, Math.max(0, fraction)));
    return `${px(cx + r * Math.cos(angle))} ${px(cy - r * Math.sin(angle))}`;
  };
  return `M ${point(from)} A ${r} ${r} 0 0 1 ${point(to)}`;
}

/** A rough width of text in the charts' 11px sans font, to keep labels from running into each other. */
export function textWidth(text: string, fontSize = 11): number {
  return text.length * fontSize * 0.58;
}

/** Text cut to `max` characters with an ellipsis, for labels inside charts (the full text goes in a title). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

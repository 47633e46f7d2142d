/**
 * @module
 * Tokens and cost across runs (SPEC 5 History): a bar per day (or month) of tokens with the cost
 * of each period in its title and on a second row of bars, and the projects ranked by cost.
 * Server-rendered SVG from src/render/charts.ts; no inline styles, colours from the stylesheet.
 */
import type { RunTotalsReport } from '../core/run-totals.js';
import { html, type SafeHtml } from './html.js';
import { formatTokens, formatUsd } from './format.js';
import { bottomLabels, chartSvg, clip, niceTicks, plotSize, px, valueAxis, type PlotArea } from './charts.js';

const AREA: PlotArea = { width: 640, height: 220, left: 60, right: 14, top: 14, bottom: 26 };

const periodWord = (report: RunTotalsReport) => (report.unit === 'day' ? 'day' : 'month');

/** One bar chart over the periods: `value` of each, labelled with `format`. */
function periodBars(
  report: RunTotalsReport,
  id: string,
  title: string,
  value: (row: RunTotalsReport['periods'][number]) => number,
  format: (n: number) => string,
  className: string,
): SafeHtml {
  const rows = report.periods;
  const { w, h } = plotSize(AREA);
  const ticks = niceTicks(Math.max(0, ...rows.map(value)));
  const top = ticks[ticks.length - 1] ?? 1;
  const slot = w / Math.max(1, rows.length);
  const width = Math.max(1, slot * 0.8);
  const every = Math.max(1, Math.ceil(rows.length / 10));
  const bars = rows.map((row, i) => {
    const height = (value(row) / top) * h;
    const x = AREA.left + i * slot + (slot - width) / 2;
    // prettier-ignore
    return html`<rect class="${className}" x="${px(x)}" y="${px(AREA.top + h - height)}" width="${px(width)}" height="${px(height)}" data-period="${row.period}"><title>${row.period}: ${row.runs} run${row.runs === 1 ? '' : 's'}, ${formatTokens(row.tokensTotal)} tokens, ${formatUsd(row.costUsd)}</title></rect>`;
  });
  const labels = rows.flatMap((row, i) =>
    i % every === 0
      ? [
          {
            x: AREA.left + i * slot + slot / 2,
            text: report.unit === 'day' ? row.period.slice(5) : row.period,
          },
        ]
      : [],
  );
  const busiest = rows.reduce((best, row) => (value(row) > value(best) ? row : best), rows[0]!);
  return chartSvg({
    id,
    className: 'totals-chart',
    width: AREA.width,
    height: AREA.height,
    title,
    description:
      `${rows.length} ${periodWord(report)}s from ${rows[0]!.period} to ${rows[rows.length - 1]!.period}; ` +
      `the most on ${busiest.period} with ${format(value(busiest))}.`,
    body: html`${valueAxis(AREA, ticks, format)}<g class="bars">${bars}</g>${bottomLabels(AREA, labels)}`,
  });
}

/** Projects ranked by cost, as horizontal bars with their figures. */
function projectBars(report: RunTotalsReport): SafeHtml {
  const rows = report.projects.slice(0, 12);
  const rowHeight = 22;
  const left = 170;
  const width = 960;
  const height = rows.length * rowHeight + 8;
  const most = Math.max(...rows.map((row) => row.costUsd), 0);
  const bars = rows.map((row, i) => {
    const y = 4 + i * rowHeight;
    const length = most > 0 ? (row.costUsd / most) * (width - left - 220) : 0;
    // prettier-ignore
    return html`<g class="project-bar" data-project="${row.project}"><title>${row.project}: ${row.runs} runs, ${formatTokens(row.tokensTotal)} tokens, ${formatUsd(row.costUsd)}</title><text class="tick" x="${left - 8}" y="${y + 15}" text-anchor="end">${clip(row.project, 26)}</text><rect class="totals-cost" x="${left}" y="${y + 3}" width="${px(Math.max(length, 1))}" height="${rowHeight - 8}"></rect><text class="tick" x="${px(left + Math.max(length, 1) + 6)}" y="${y + 15}">${formatUsd(row.costUsd)} · ${formatTokens(row.tokensTotal)} tokens · ${row.runs} run${row.runs === 1 ? '' : 's'}</text></g>`;
  });
  return chartSvg({
    id: 'totals-projects',
    className: 'totals-chart projects-chart',
    width,
    height,
    title: 'Cost by project',
    description: `${report.projects.length} project${report.projects.length === 1 ? '' : 's'}; the most expensive is ${rows[0]?.project ?? 'none'}.`,
    body: html`${bars}`,
  });
}

/** The totals section: charts by period and by project, and the table by project under them. */
export function renderRunTotals(report: RunTotalsReport): SafeHtml {
  if (report.all.runs === 0 || report.periods.length === 0) {
    return html`<section class="panel history-totals" aria-labelledby="totals-title">
      <h2 id="totals-title">Tokens and cost</h2>
      <p class="muted">No runs in this range.</p>
    </section>`;
  }
  const unpriced =
    report.all.unpricedRuns > 0
      ? html`<p class="muted">
          ${report.all.unpricedRuns} run${report.all.unpricedRuns === 1 ? '' : 's'} used a model without a
          known price and ${report.all.unpricedRuns === 1 ? 'is' : 'are'} not in the cost.
        </p>`
      : null;
  return html`<section class="panel history-totals" aria-labelledby="totals-title">
    <h2 id="totals-title">Tokens and cost by ${periodWord(report)} and project</h2>
    <div class="chart-pair">
      <figure class="chart-figure">
        <figcaption>Tokens by ${periodWord(report)}</figcaption>
        <div class="chart-scroll">
          ${periodBars(report, 'totals-tokens', `Tokens by ${periodWord(report)}`, (row) => row.tokensTotal, formatTokens, 'totals-tokens')}
        </div>
      </figure>
      <figure class="chart-figure">
        <figcaption>Cost by ${periodWord(report)}</figcaption>
        <div class="chart-scroll">
          ${periodBars(report, 'totals-cost', `Cost by ${periodWord(report)}`, (row) => row.costUsd, formatUsd, 'totals-cost')}
        </div>
      </figure>
    </div>
    <figure class="chart-figure">
      <figcaption>Cost by project</figcaption>
      <div class="chart-scroll">${projectBars(report)}</div>
    </figure>
    ${unpriced}
    <table class="history-table totals-table">
      <caption class="sr-only">
        Totals by project
      </caption>
      <thead>
        <tr>
          <th scope="col">Project</th>
          <th scope="col" class="num">Runs</th>
          <th scope="col" class="num">Tokens</th>
          <th scope="col" class="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        ${report.projects.map(
          (row) =>
            html`<tr>
              <th scope="row">${row.project}</th>
              <td class="num">${row.runs}</td>
              <td class="num">${formatTokens(row.tokensTotal)}</td>
              <td class="num">${formatUsd(row.costUsd)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

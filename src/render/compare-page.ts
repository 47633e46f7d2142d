/**
 * @module
 * The comparison page (SPEC 5 Compare): a column per run, the baseline first; a row per figure,
 * for the runs as a whole and phase by phase, each value beside its difference from the baseline
 * as a number and a percentage; the verdict, the warnings, the spread of three or more runs of a
 * project, both charts, exports and a "differences only" switch. The switch is a checkbox the
 * stylesheet reads (`:has(#diff-only:checked)` hides rows marked `same`), so it needs no script.
 */
import type {
  Comparison,
  ComparedRun,
  Figure,
  PhaseCell,
  ProjectSpread,
  RunTotals,
} from '../core/compare-types.js';
import type { Spread } from '../core/run-figures.js';
import { IDS, QUERY, ROUTES } from '../shared/dom.js';
import { comparePath, sessionPath } from '../shared/paths.js';
import { stateBadge } from './card.js';
import { renderCumulativeChart, renderDurationChart, runLegend } from './compare-charts.js';
import {
  deltaClass,
  FIGURE_LABELS,
  formatDelta,
  formatFigure,
  formatPercentChange,
  formatSpread,
  fullStart,
  shortStart,
} from './history-format.js';
import { classes, html, type SafeHtml } from './html.js';
import { renderPage } from './layout.js';
import type { PageShell } from './page-shell.js';

const FIGURES: readonly Figure[] = ['durationMs', 'tokensTotal', 'costUsd', 'testIterations'];

export interface CompareView {
  /** The ids as asked, for the retry links. */
  ids: readonly string[];
  comparison: Comparison | null;
  /** Why there is no comparison (bad ids, unknown runs). */
  problem: string | null;
  /** Differences only, from `diff=1`. */
  diff: boolean;
}

const PERCENT_OF: Partial<
  Record<Figure, 'deltaDurationPercent' | 'deltaTokensPercent' | 'deltaCostPercent'>
> = {
  durationMs: 'deltaDurationPercent',
  tokensTotal: 'deltaTokensPercent',
  costUsd: 'deltaCostPercent',
};
const DELTA_OF: Record<
  Figure,
  'deltaDurationMs' | 'deltaTokensTotal' | 'deltaCostUsd' | 'deltaTestIterations'
> = {
  durationMs: 'deltaDurationMs',
  tokensTotal: 'deltaTokensTotal',
  costUsd: 'deltaCostUsd',
  testIterations: 'deltaTestIterations',
};

/** One run's value of a figure, with its difference from the baseline under it. */
function cell(figure: Figure, value: PhaseCell | RunTotals | null, baseline: boolean): SafeHtml {
  if (value === null) return html`<td class="absent" title="Not in this run">—</td>`;
  const delta = value[DELTA_OF[figure]];
  const percentKey = PERCENT_OF[figure];
  const percent = percentKey ? value[percentKey] : null;
  // The baseline's column heading says what it is; its own cells need no "±0" under each value.
  const diff = baseline
    ? null
    : delta === null
      ? null
      : html`<span class="${classes('delta', deltaClass(delta))}"
          >${formatDelta(figure, delta)}${percent !== null && html` <span class="pct">(${formatPercentChange(percent)})</span>`}</span
        >`;
  return html`<td class="num"><span class="value">${formatFigure(figure, value[figure])}</span>${diff}</td>`;
}

function spreadCell(figure: Figure, spread: Spread | null | undefined): SafeHtml | null {
  if (spread === undefined) return null;
  return html`<td class="num spread">${formatSpread(figure, spread)}</td>`;
}

function runHeading(run: ComparedRun, i: number, ids: readonly string[]): SafeHtml {
  const others = ids.filter((id) => id !== run.id);
  const rebase =
    i === 0
      ? html`<span class="muted">baseline</span>`
      : html`<a class="rebase" href="${comparePath([run.id, ...others])}">make baseline</a>`;
  return html`<th scope="col" class="run-col">
    <span class="run-label"><span class="swatch run-${i}" aria-hidden="true"></span>${run.label}</span>
    <a href="${sessionPath(run.id)}">${run.project}</a>
    <time datetime="${run.startedAt}" title="${fullStart(run.startedAt)}">${shortStart(run.startedAt)}</time>
    ${rebase}
  </th>`;
}

/** The single project all runs share with its spread, shown as a column; otherwise none. */
function columnSpread(c: Comparison): ProjectSpread | null {
  const [only] = c.spread;
  return c.spread.length === 1 && only && only.runs === c.runs.length ? only : null;
}

function figureRows(
  c: Comparison,
  group: string,
  cells: readonly (PhaseCell | RunTotals | null)[],
  differs: Record<Figure, boolean>,
  spread: Partial<Record<Figure, Spread | null>> | null,
): SafeHtml[] {
  return FIGURES.map((figure) => {
    const same = !differs[figure];
    return html`<tr class="${classes('figure-row', same && 'same')}" data-figure="${figure}">
      <th scope="row"><span class="group-name">${group}</span> ${FIGURE_LABELS[figure]}</th>
      ${cells.map((value, i) => cell(figure, value, i === 0))}
      ${spread && spreadCell(figure, spread[figure] ?? null)}
    </tr>`;
  });
}

function table(c: Comparison, ids: readonly string[]): SafeHtml {
  const spread = columnSpread(c);
  const totalsDiffer = {} as Record<Figure, boolean>;
  for (const figure of FIGURES)
    totalsDiffer[figure] = c.totals.some((t) => t[figure] !== c.totals[0]![figure]);
  const outcomeSame = c.runs.every((run) => run.state === c.runs[0]!.state);
  const projectSame = c.runs.every((run) => run.project === c.runs[0]!.project);
  return html`<div class="table-scroll">
    <table id="${IDS.compareTable}" class="compare-table">
      <caption class="sr-only">
        Runs compared with the baseline ${c.runs[0]!.label}
      </caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          ${c.runs.map((run, i) => runHeading(run, i, ids))}
          ${spread && html`<th scope="col" class="num">Median (range) of ${spread.runs} runs</th>`}
        </tr>
      </thead>
      <tbody class="run-rows">
        <tr class="${classes('figure-row', projectSame && 'same')}">
          <th scope="row">Project</th>
          ${c.runs.map((run) => html`<td>${run.project}</td>`)} ${spread && html`<td></td>`}
        </tr>
        <tr class="${classes('figure-row', outcomeSame && 'same')}">
          <th scope="row">Outcome</th>
          ${c.runs.map((run) => html`<td>${stateBadge(run.state)}</td>`)} ${spread && html`<td></td>`}
        </tr>
      </tbody>
      <tbody class="totals-rows">
        ${figureRows(c, 'Whole run ·', c.totals, totalsDiffer, spread?.totals ?? null)}
      </tbody>
      ${c.phases.map((row, p) => {
        const phaseSpread = spread?.phases[p] ?? null;
        return html`<tbody class="phase-rows" data-phase="${row.phase}">
          ${figureRows(c, `${row.phase} ·`, row.runs, row.differs, phaseSpread)}
        </tbody>`;
      })}
    </table>
  </div>`;
}

/** Spreads of projects that do not cover every run, each in a small table of its own. */
function separateSpreads(c: Comparison): SafeHtml | null {
  if (columnSpread(c) !== null || c.spread.length === 0) return null;
  return html`${c.spread.map(
    (spread) =>
      html`<section class="panel" aria-label="Spread of ${spread.project}">
        <h2>Spread of ${spread.project} (${spread.runs} runs)</h2>
        <table class="compare-table spread-table">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col" class="num">Median (range)</th>
            </tr>
          </thead>
          <tbody>
            ${FIGURES.map(
              (figure) =>
                html`<tr>
                  <th scope="row">Whole run · ${FIGURE_LABELS[figure]}</th>
                  ${spreadCell(figure, spread.totals[figure])}
                </tr>`,
            )}
            ${spread.phases.map(
              (row) =>
                html`<tr>
                  <th scope="row">${row.phase} · Duration</th>
                  ${spreadCell('durationMs', row.durationMs)}
                </tr>`,
            )}
          </tbody>
        </table>
      </section>`,
  )}`;
}

function comparison(c: Comparison, view: CompareView): SafeHtml {
  return html`<p class="verdict">${c.verdict}</p>
    ${
      c.warnings.length > 0 &&
      html`<ul class="compare-warnings" aria-label="Warnings">
        ${c.warnings.map((w) => html`<li class="warning" data-code="${w.code}">${w.message}</li>`)}
      </ul>`
    }
    <div class="compare-tools">
      <label class="toggle"
        ><input
          type="checkbox"
          id="${IDS.diffOnly}"
          name="${QUERY.diff}"
          value="1"
          ${view.diff && 'checked'}
        />
        Differences only</label
      >
      <span class="exports"
        >Export:
        <a href="${comparePath(view.ids, { format: 'csv' })}" download>CSV</a>
        <a href="${comparePath(view.ids, { format: 'json' })}" download>JSON</a>
      </span>
    </div>
    ${table(c, view.ids)} ${separateSpreads(c)}
    <section class="panel" aria-labelledby="durations-title">
      <h2 id="durations-title">Phase durations</h2>
      ${runLegend(c)}
      <div class="chart-scroll">${renderDurationChart(c)}</div>
    </section>
    <section class="panel" aria-labelledby="cumulative-title">
      <h2 id="cumulative-title">Tokens and cost over time</h2>
      ${runLegend(c)} ${renderCumulativeChart(c)}
    </section>`;
}

/** The whole comparison page (or what is wrong with the ids), in the page shell. */
export function renderComparePage(shell: PageShell, view: CompareView): SafeHtml {
  const body =
    view.comparison === null
      ? html`<p class="problem" role="alert">These runs cannot be compared: ${view.problem}.</p>
          <p><a href="${ROUTES.history}">Pick 2 to 10 runs on the history page</a>.</p>`
      : comparison(view.comparison, view);
  return renderPage(shell, {
    title: 'Compare runs',
    main: html`<script type="module" src="${ROUTES.historyClient}"></script>
      <div class="compare-page">
        <p class="crumbs"><a href="${ROUTES.history}">← History</a></p>
        <h1>Compare runs</h1>
        ${body}
      </div>`,
  });
}

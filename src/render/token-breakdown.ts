/**
 * @module
 * Where a session's tokens and dollars went (SPEC 5, session page): the totals, each phase as a
 * horizontal bar split by token type with a table of tokens, cost and share, and each model in a
 * table. A cost buildcast does not know is said to be unknown, never estimated.
 */
import type { Session } from '../shared/protocol.js';
import {
  addTokenCounts,
  type ModelTokens,
  type PhaseTokens,
  type SessionMetrics,
} from '../shared/metrics.js';
import { html, type SafeHtml } from './html.js';
import { UNKNOWN } from '../shared/format.js';
import { formatShare, formatTokens, formatUsd } from './format.js';
import { chartSvg, clip, niceTicks, px } from './charts.js';
import { TOKEN_TYPES } from './token-chart.js';

/** What a slice of requests outside every phase is called. */
const NO_PHASE = 'Outside any phase';
const ROW = 26;
const LABEL_WIDTH = 150;
const WIDTH = 560;

const phaseLabel = (slice: PhaseTokens): string => slice.phase ?? NO_PHASE;

/** A cost as text: dollars when known, "cost unknown" when it is not. */
function costText(costUsd: number | null): string {
  return costUsd === null ? 'cost unknown' : formatUsd(costUsd);
}

/**
 * One row per phase name, in the order the session first ran them; phases it does not list
 * after, requests outside any phase last. A phase that ran more than once (Test in a
 * self-healing loop) is one row: its runs added up, its cost unknown if any run's is.
 */
function orderedPhases(session: Session, byPhase: PhaseTokens[]): PhaseTokens[] {
  const merged = new Map<string | null, PhaseTokens>();
  for (const slice of byPhase) {
    const seen = merged.get(slice.phase);
    if (!seen) {
      merged.set(slice.phase, { ...slice });
      continue;
    }
    addTokenCounts(seen, slice);
  }
  const order = new Map<string, number>();
  session.phases.forEach((span, i) => {
    if (!order.has(span.name)) order.set(span.name, i);
  });
  const rank = (slice: PhaseTokens): number =>
    slice.phase === null ? Infinity : (order.get(slice.phase) ?? session.phases.length);
  return [...merged.values()]
    .map((slice, i) => ({ slice, i }))
    .sort((a, b) => rank(a.slice) - rank(b.slice) || a.i - b.i)
    .map(({ slice }) => slice);
}

/** The session's totals as a row of figures. */
export function renderTotals(tokens: SessionMetrics['tokens']): SafeHtml {
  const unpriced = tokens.byModel.filter((model) => !model.priced).map((model) => model.model);
  const cost =
    tokens.costUsd === null
      ? html`<dd class="unknown">Unknown</dd>`
      : html`<dd>${formatUsd(tokens.costUsd)}</dd>`;
  const stat = (label: string, value: string, className = ''): SafeHtml =>
    html`<div class="stat ${className}">
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`;
  const subagentShare = formatShare(tokens.subagent.total, tokens.total);
  return html`<dl class="stats stats-wide totals">
      ${stat('Total tokens', formatTokens(tokens.total), 'stat-total')}
      ${TOKEN_TYPES.map(({ key, label }) => stat(label, formatTokens(tokens[key]), `stat-${key}`))}
      <div class="stat stat-cost">
        <dt>Cost</dt>
        ${cost}
      </div>
      ${stat('Requests', String(tokens.requests), 'stat-requests')}
      ${stat(
        'Subagents',
        subagentShare === UNKNOWN ? UNKNOWN : `${subagentShare} (${formatTokens(tokens.subagent.total)})`,
        'stat-subagents',
      )}
    </dl>
    ${
      tokens.costUsd === null &&
      html`<p class="muted cost-note">
        Cost unknown: buildcast has no price for
        ${unpriced.length === 0 ? 'some of the models used' : unpriced.join(', ')}, and does not guess one.
      </p>`
    }`;
}

function phaseBars(slices: PhaseTokens[], grandTotal: number): SafeHtml {
  const max = Math.max(1, ...slices.map((slice) => slice.total));
  const ticks = niceTicks(max, 3);
  const top = ticks[ticks.length - 1] ?? 1;
  const barSpace = WIDTH - LABEL_WIDTH - 60;
  const height = slices.length * ROW + 6;
  const rows = slices.map((slice, i) => {
    const y = 4 + i * ROW;
    let x = LABEL_WIDTH;
    const rects = TOKEN_TYPES.map(({ key }) => {
      const width = (slice[key] / top) * barSpace;
      if (width <= 0) return null;
      const rect = html`<rect
        class="tk-${key}"
        x="${px(x)}"
        y="${y + 3}"
        width="${px(width)}"
        height="${ROW - 8}"
      ></rect>`;
      x += width;
      return rect;
    });
    const name = phaseLabel(slice);
    return html`<g class="phase-bar" data-phase="${name}" data-total="${slice.total}">
      <title>
        ${name}: ${formatTokens(slice.total)} tokens, ${formatShare(slice.total, grandTotal)},
        ${costText(slice.costUsd)}
      </title>
      <text
        class="${slice.phase === null ? 'row-label no-phase' : 'row-label'}"
        x="${LABEL_WIDTH - 8}"
        y="${y + ROW / 2 + 3}"
        text-anchor="end"
        >${clip(name, 22)}</text
      >
      ${rects}
      <text class="bar-value" x="${px(x + 6)}" y="${y + ROW / 2 + 3}">${formatTokens(slice.total)}</text>
    </g>`;
  });
  const summary = slices.map((slice) => `${phaseLabel(slice)} ${formatTokens(slice.total)}`).join(', ');
  return chartSvg({
    id: 'phase-chart',
    className: 'phase-chart',
    width: WIDTH,
    height,
    title: 'Tokens by phase',
    description: `Tokens by phase, split by type: ${summary}.`,
    body: html`${rows}`,
  });
}

/** Tokens and cost per phase: bars, then a table of the same figures. */
export function renderByPhase(session: Session, tokens: SessionMetrics['tokens']): SafeHtml {
  const slices = orderedPhases(session, tokens.byPhase).filter((slice) => slice.total > 0);
  if (slices.length === 0) return html`<p class="muted chart-empty">No tokens attributed to a phase yet.</p>`;
  return html`${phaseBars(slices, tokens.total)}
    <div class="table-wrap">
      <table class="data-table by-phase">
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col" class="num">Tokens</th>
            <th scope="col" class="num">Cost</th>
            <th scope="col" class="num">Share</th>
          </tr>
        </thead>
        <tbody>
          ${slices.map(
            (slice) =>
              html`<tr data-phase="${phaseLabel(slice)}">
                ${
                  slice.phase === null
                    ? html`<th scope="row" class="no-phase">${NO_PHASE}</th>`
                    : html`<th scope="row">${slice.phase}</th>`
                }
                <td class="num">${formatTokens(slice.total)}</td>
                <td class="${slice.costUsd === null ? 'num unknown' : 'num'}">${costText(slice.costUsd)}</td>
                <td class="num">${formatShare(slice.total, tokens.total)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

function modelCost(model: ModelTokens): SafeHtml {
  if (!model.priced) return html`<td class="num unknown">unknown price</td>`;
  if (model.costUsd === null) return html`<td class="num unknown">cost unknown</td>`;
  return html`<td class="num">${formatUsd(model.costUsd)}</td>`;
}

/** Tokens, requests and cost per model, biggest first. */
export function renderByModel(tokens: SessionMetrics['tokens']): SafeHtml {
  const models = [...tokens.byModel].sort((a, b) => b.total - a.total);
  if (models.length === 0) return html`<p class="muted chart-empty">No model recorded yet.</p>`;
  return html`<div class="table-wrap">
    <table class="data-table by-model">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" class="num">Requests</th>
          <th scope="col" class="num">Tokens</th>
          <th scope="col" class="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        ${models.map(
          (model) =>
            html`<tr data-model="${model.model}">
              <th scope="row"><code>${model.model}</code></th>
              <td class="num">${model.requests}</td>
              <td class="num">${formatTokens(model.total)}</td>
              ${modelCost(model)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

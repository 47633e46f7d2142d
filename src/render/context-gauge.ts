/**
 * @module
 * The context-window gauge (SPEC 5, session page): how full the model's context was on the
 * latest request, as a half-circle dial coloured safe, warning or critical.
 */
import type { ContextLevel, SessionMetrics } from '../shared/metrics.js';
import { html, type SafeHtml } from './html.js';
import { UNKNOWN } from '../shared/format.js';
import { clampPercent, formatPercent, formatTokens } from './format.js';
import { chartSvg, halfArcPath } from './charts.js';

/** Under this percentage the context is safe, under {@link CONTEXT_CRITICAL_PERCENT} a warning. */
const CONTEXT_WARNING_PERCENT = 50;
const CONTEXT_CRITICAL_PERCENT = 75;

const LEVEL_LABELS: Readonly<Record<ContextLevel, string>> = {
  safe: 'safe',
  warning: 'filling up',
  critical: 'nearly full',
};

/** The level for a percentage, for when the metrics do not say. */
export function contextLevel(percent: number): ContextLevel {
  if (percent < CONTEXT_WARNING_PERCENT) return 'safe';
  if (percent < CONTEXT_CRITICAL_PERCENT) return 'warning';
  return 'critical';
}

function usedText(context: SessionMetrics['context']): string {
  if (context.usedTokens === null) return UNKNOWN;
  const limit = context.limit === null ? UNKNOWN : formatTokens(context.limit);
  return `${formatTokens(context.usedTokens)} of ${limit} tokens`;
}

function unknownText(context: SessionMetrics['context'] | null): string {
  if (context === null || context.usedTokens === null) return 'Context window use is not known yet.';
  const model = context.model === null ? 'this model' : context.model;
  return `${formatTokens(context.usedTokens)} tokens in context; the context window of ${model} is not known.`;
}

/** The gauge and its figures; a dash and a sentence when the context use is not known. */
export function renderContextGauge(context: SessionMetrics['context'] | null): SafeHtml {
  const percent = context === null ? null : clampPercent(context.percent);
  if (context === null || percent === null) {
    return html`<div class="gauge gauge-unknown" data-level="unknown">
      <p class="gauge-figure">${UNKNOWN}</p>
      <p class="muted">${unknownText(context)}</p>
    </div>`;
  }
  const level = context.level ?? contextLevel(context.percent ?? percent);
  const label = `Context window ${formatPercent(percent)} full (${LEVEL_LABELS[level]}): ${usedText(context)}${
    context.model === null ? '' : `, ${context.model}`
  }`;
  const svg = chartSvg({
    id: 'context-gauge',
    className: 'gauge-dial',
    width: 200,
    height: 116,
    title: 'Context window',
    description: label,
    body: html`<path class="gauge-track" d="${halfArcPath(100, 100, 80, 0, 1)}"></path>
      ${percent > 0 && html`<path class="gauge-value level-${level}" d="${halfArcPath(100, 100, 80, 0, percent / 100)}"></path>`}
      <text class="gauge-percent" x="100" y="94" text-anchor="middle">${formatPercent(percent)}</text>`,
  });
  return html`<div class="gauge gauge-${level}" data-level="${level}" data-percent="${percent}">
    ${svg}
    <p class="gauge-used">${usedText(context)}</p>
    ${context.model !== null && html`<p class="muted gauge-model"><code>${context.model}</code></p>`}
  </div>`;
}

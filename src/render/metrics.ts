/**
 * @module
 * The metrics section of a session page (SPEC 5): real token counts over time and by phase and
 * model, cost, the context-window gauge and the test-iteration chart. It is its own fragment
 * (`#session-metrics`), refreshed when the client fires `bc:metrics` on it for a `metrics`
 * frame of this session, so a busy transcript does not redraw the rest of the page.
 */
import type { Session } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import { html, raw, type SafeHtml } from './html.js';
import { DATA, EVENTS, IDS } from '../shared/dom.js';
import { metricsFragmentPath } from '../shared/paths.js';
import { renderContextGauge } from './context-gauge.js';
import { renderTestChart } from './test-chart.js';
import { renderTokenChart } from './token-chart.js';
import { renderByModel, renderByPhase, renderTotals } from './token-breakdown.js';

/** What the page says when no tokens are known, with where buildcast looks for them. */
const NO_TOKENS = raw(
  '<strong>No token usage recorded for this build yet.</strong> buildcast reads Claude Code transcripts ' +
    'from <code>~/.claude/projects</code> and OpenTelemetry sent to <code>/v1/logs</code>.',
);

const EMPTY_TESTS: SessionMetrics['tests'] = { iterations: [], current: null, stuck: [] };

function panel(id: string, title: string, body: SafeHtml, wide = false): SafeHtml {
  return html`<section
    class="${wide ? 'panel panel-wide' : 'panel'}"
    id="${id}"
    aria-labelledby="${id}-title"
  >
    <h2 id="${id}-title">${title}</h2>
    ${body}
  </section>`;
}

function tokenPanels(session: Session, tokens: SessionMetrics['tokens']): SafeHtml {
  return html`${panel('metrics-totals', 'Tokens and cost', renderTotals(tokens), true)}
  ${panel('metrics-over-time', 'Tokens over time', renderTokenChart(session, tokens), true)}
  ${panel('metrics-by-phase', 'Tokens and cost by phase', renderByPhase(session, tokens))}
  ${panel('metrics-by-model', 'By model', renderByModel(tokens))}`;
}

/**
 * The whole section: what `/fragments/sessions/:id/metrics` returns and swaps. `metrics` is
 * null when buildcast has none for the session (or runs without a metrics source).
 */
export function renderMetricsSection(session: Session, metrics: SessionMetrics | null): SafeHtml {
  const tokens = metrics?.tokens;
  const hasTokens = tokens !== undefined && (tokens.total > 0 || tokens.requests > 0);
  return html`<section
    id="${IDS.sessionMetrics}"
    class="metrics"
    aria-label="Tokens, cost, context and tests"
    ${DATA.sessionId}="${session.id}"
    data-tokens="${tokens?.total ?? 0}"
    hx-get="${metricsFragmentPath(session.id)}"
    hx-trigger="${EVENTS.metrics}"
    hx-swap="outerHTML"
  >
    ${
      hasTokens
        ? tokenPanels(session, tokens)
        : panel(
            'metrics-totals',
            'Tokens and cost',
            html`<p class="empty metrics-empty">${NO_TOKENS}</p>`,
            true,
          )
    }
    ${panel('metrics-context', 'Context window', renderContextGauge(metrics?.context ?? null))}
    ${panel('metrics-tests', 'Test iterations', renderTestChart(metrics?.tests ?? EMPTY_TESTS))}
  </section>`;
}

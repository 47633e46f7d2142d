/**
 * @module
 * One session as a dashboard card (SPEC 5): project, state, phase pipeline, activity,
 * progress, test iteration, tokens and cost, source, warnings and freshness. The card refreshes
 * itself when the client fires `bc:session` on it.
 */
import type { Agent, Session, SessionState } from '../shared/protocol.js';
import type { TestIteration } from '../shared/metrics.js';
import { agentsSummary } from './agent-summary.js';
import { classes, html, type SafeHtml } from './html.js';
import { formatDuration, UNKNOWN } from '../shared/format.js';
import { clampPercent, formatPercent, formatTokens, formatUsd } from './format.js';
import { phasePipeline, type PipelineSegment, type SegmentStatus } from './pipeline.js';
import type { PlannedPhase } from './planned-phase.js';
import { cardId, DATA, EVENTS, IDS } from '../shared/dom.js';
import { cardFragmentPath, sessionPath } from '../shared/paths.js';
import { elapsed, sessionStamp } from './stamps.js';

const STATE_LABELS: Readonly<Record<SessionState, string>> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  stalled: 'Stalled',
};

const SEGMENT_LABELS: Readonly<Record<SegmentStatus, string>> = {
  done: 'done',
  current: 'in progress',
  failed: 'failed',
  upcoming: 'upcoming',
  skipped: 'not run',
  blocked: 'blocked',
};

/** The state badge: `<span class="badge badge-running" data-state="running">Running</span>`. */
export function stateBadge(state: SessionState): SafeHtml {
  return html`<span class="badge badge-${state}" data-state="${state}">${STATE_LABELS[state]}</span>`;
}

/** Where the data came from: live file, HTTP push or checkpoint. */
export function sourceBadge(session: Session): SafeHtml {
  return html`<span class="source source-${session.source}" title="Data source">${session.source}</span>`;
}

/** A progress bar with its percentage; a native `<progress>` so no inline style is needed. */
export function progressBar(percent: number | null, label: string): SafeHtml {
  const value = clampPercent(percent);
  if (value === null) {
    return html`<div class="progress progress-unknown">
      <progress class="bar" max="100" aria-label="${label}">${UNKNOWN}</progress
      ><span class="progress-percent">${UNKNOWN}</span>
    </div>`;
  }
  return html`<div class="progress">
    <progress class="bar" max="100" value="${value}" aria-label="${label}">${formatPercent(value)}</progress
    ><span class="progress-percent">${formatPercent(value)}</span>
  </div>`;
}

function segmentTime(segment: PipelineSegment, now: number): SafeHtml | null {
  if (segment.status === 'current' && segment.startedAt !== null)
    return elapsed(segment.startedAt, null, now);
  if (segment.durationMs !== null)
    return html`<span class="elapsed">${formatDuration(segment.durationMs)}</span>`;
  return null;
}

/**
 * "Test failed · 5 phases blocked" under the pipeline of a build that stopped, so a glance at
 * the card says where and what it held up; nothing while nothing failed.
 */
function blockedNote(segments: readonly PipelineSegment[]): SafeHtml | null {
  const failed = segments.find((segment) => segment.status === 'failed');
  const blocked = segments.filter((segment) => segment.status === 'blocked').length;
  if (!failed && blocked === 0) return null;
  const parts = [
    failed && `${failed.name} failed`,
    blocked > 0 && `${blocked} ${blocked === 1 ? 'phase' : 'phases'} blocked`,
  ].filter((part): part is string => typeof part === 'string');
  return html`<p class="pipeline-note" data-blocked="${blocked}">${parts.join(' · ')}</p>`;
}

/**
 * The compact row of phase segments: done ones with their durations, the current one ticking,
 * failed and blocked ones marked, and a note saying what failed and how much it blocked.
 */
function pipelineRow(plan: readonly PlannedPhase[], now: number): SafeHtml {
  const segments = phasePipeline(plan);
  if (segments.length === 0) return html``;
  return html`<ol class="pipeline" aria-label="Phases">
      ${segments.map((segment) => {
        const time = segmentTime(segment, now);
        const took = segment.status !== 'current' && segment.durationMs !== null;
        const why = segment.status === 'blocked' && segment.reason !== null ? ` (${segment.reason})` : '';
        const label = `${segment.name}: ${SEGMENT_LABELS[segment.status]}${why}${took ? ` in ${formatDuration(segment.durationMs ?? 0)}` : ''}`;
        return html`<li
          class="${classes('seg', `seg-${segment.status}`, !segment.canonical && 'seg-extra')}"
          data-status="${segment.status}"
          title="${label}"
        >
          <span class="seg-name">${segment.name}</span>
          <span class="sr-only">${SEGMENT_LABELS[segment.status]}${why}</span>
          ${time && html`<span class="seg-time">${time}</span>`}
        </li>`;
      })}
    </ol>
    ${blockedNote(segments)}`;
}

function phaseLine(session: Session): SafeHtml {
  const phase = session.currentPhase ?? 'No phase yet';
  return html`<p class="card-phase">
    <span class="phase-name">${phase}</span>
    ${session.phaseNumber !== null && html`<span class="phase-number">${session.phaseNumber}</span>`}
    ${session.activity !== null && html`<span class="activity">${session.activity}</span>`}
  </p>`;
}

function warningsBadge(session: Session): SafeHtml | null {
  const count = session.warnings.length;
  if (count === 0) return null;
  return html`<a class="badge badge-warn" href="${sessionPath(session.id)}#${IDS.warnings}"
    >${count} ${count === 1 ? 'warning' : 'warnings'}</a
  >`;
}

/** What a card shows beyond the session itself. */
export interface CardData {
  /** The session's plan (without Builder's tasks, which cards do not show), drawn as the pipeline. */
  plan: readonly PlannedPhase[];
  // The pages look these two up only for sessions still running.
  /** The latest test iteration with a result, shown as "2 · 12 ✓ 3 ✗". */
  tests?: TestIteration | null;
  /** The build's agents, summed up as "3 agents: 2 active, 1 failed". */
  agents?: readonly Agent[] | null;
}

/** The agents line of a card; nothing when the build has reported none. */
function agentsLine(agents: readonly Agent[] | null | undefined): SafeHtml | null {
  const summary = agentsSummary(agents ?? []);
  return summary && html`<p class="card-agents">${summary}</p>`;
}

/** "13 ✓" for the eye, "13 passed" for screen readers. */
function resultCount(count: number, mark: string, word: string, className: string): SafeHtml {
  return html`<span class="${className}"
    >${count}<span aria-hidden="true"> ${mark}</span><span class="sr-only"> ${word}</span></span
  >`;
}

/**
 * The test figure: the session's iteration, with the latest result's passed and failed counts
 * under it when known ("2", then "13 ✓ 2 ✗").
 */
function testState(session: Session, tests: TestIteration | null | undefined): SafeHtml {
  const iteration = session.testIteration ?? tests?.iteration ?? null;
  if (!tests || (tests.passed === null && tests.failed === null)) return html`${iteration ?? UNKNOWN}`;
  const passed = tests.passed !== null && resultCount(tests.passed, '✓', 'passed', 'pass');
  const failed =
    tests.failed !== null &&
    resultCount(tests.failed, '✗', 'failed', tests.failed > 0 ? 'fail' : 'fail none');
  return html`${iteration ?? UNKNOWN}
    <span class="test-result" title="Iteration ${tests.iteration}">${passed} ${failed}</span>`;
}

/** Cost as the card shows it: dollars, "unknown" when tokens are known but a price is not, "—" when nothing is. */
export function cardCost(session: Session): string {
  if (session.costUsd !== null) return formatUsd(session.costUsd);
  return session.tokensTotal !== null && session.tokensTotal > 0 ? 'unknown' : UNKNOWN;
}

function elapsedLabel(session: Session): string {
  return session.endedAt === null ? 'Running for' : 'Took';
}

/** One card. The whole `<article>` is what `/fragments/cards/:id` returns and swaps. */
export function renderCard(session: Session, now: number, data: CardData): SafeHtml {
  const id = cardId(session.id);
  return html`<article
    id="${id}"
    class="card state-${session.state}"
    ${DATA.state}="${session.state}"
    ${DATA.sessionId}="${session.id}"
    ${DATA.updated}="${session.updatedAt}"
    aria-labelledby="${id}-title"
    hx-get="${cardFragmentPath(session.id)}"
    hx-trigger="${EVENTS.session}"
    hx-swap="outerHTML"
  >
    <header class="card-head">
      <h3 class="card-title" id="${id}-title">
        <a href="${sessionPath(session.id)}">${session.project}</a>
      </h3>
      ${stateBadge(session.state)}
    </header>
    ${pipelineRow(data.plan, now)} ${phaseLine(session)}
    ${progressBar(session.progressPercent, 'Build progress')} ${agentsLine(data.agents)}
    ${
      session.progressDetail !== null &&
      html`<p class="detail" title="${session.progressDetail}">${session.progressDetail}</p>`
    }
    <dl class="stats">
      <div class="stat stat-iteration">
        <dt>Test iteration</dt>
        <dd>${testState(session, data.tests)}</dd>
      </div>
      <div class="stat stat-tokens">
        <dt>Tokens</dt>
        <dd>${formatTokens(session.tokensTotal)}</dd>
      </div>
      <div class="stat stat-cost">
        <dt>Cost</dt>
        ${
          session.costUsd === null
            ? html`<dd class="unknown">${cardCost(session)}</dd>`
            : html`<dd>${cardCost(session)}</dd>`
        }
      </div>
      <div class="stat stat-elapsed">
        <dt>${elapsedLabel(session)}</dt>
        <dd>${elapsed(session.startedAt, session.endedAt, now)}</dd>
      </div>
    </dl>
    <footer class="card-foot">
      ${sourceBadge(session)} ${warningsBadge(session)} ${sessionStamp(session, now)}
    </footer>
  </article>`;
}

/**
 * @module
 * One session as a dashboard card (SPEC 5): project, state, phase pipeline, activity,
 * progress, test iteration, tokens and cost, source, warnings and freshness. The card refreshes
 * itself when the client fires `bc:session` on it.
 */
import type { Session, SessionState } from '../../shared/protocol.js';
import { classes, html, type SafeHtml } from './html.js';
import { clampPercent, formatDuration, formatPercent, formatTokens, formatUsd, UNKNOWN } from './format.js';
import { phasePipeline, type PipelineSegment, type SegmentStatus } from './pipeline.js';
import { cardFragmentPath, sessionPath } from './paths.js';
import { elapsed, freshStamp } from './stamps.js';

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

/** The compact row of phase segments: done ones with their durations, the current one ticking. */
export function pipelineRow(session: Session, now: number): SafeHtml {
  const segments = phasePipeline(session);
  if (segments.length === 0) return html``;
  return html`<ol class="pipeline" aria-label="Phases">
    ${segments.map((segment) => {
      const time = segmentTime(segment, now);
      const took = segment.status !== 'current' && segment.durationMs !== null;
      const label = `${segment.name}: ${SEGMENT_LABELS[segment.status]}${took ? ` in ${formatDuration(segment.durationMs ?? 0)}` : ''}`;
      return html`<li
        class="${classes('seg', `seg-${segment.status}`, !segment.canonical && 'seg-extra')}"
        data-status="${segment.status}"
        title="${label}"
      >
        <span class="seg-name">${segment.name}</span>
        <span class="sr-only">${SEGMENT_LABELS[segment.status]}</span>
        ${time && html`<span class="seg-time">${time}</span>`}
      </li>`;
    })}
  </ol>`;
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
  return html`<a class="badge badge-warn" href="${sessionPath(session.id)}#warnings"
    >${count} ${count === 1 ? 'warning' : 'warnings'}</a
  >`;
}

function elapsedLabel(session: Session): string {
  return session.endedAt === null ? 'Running for' : 'Took';
}

/** One card. The whole `<article>` is what `/fragments/cards/:id` returns and swaps. */
export function renderCard(session: Session, now: number): SafeHtml {
  const cardId = `card-${session.id}`;
  return html`<article
    id="${cardId}"
    class="card state-${session.state}"
    data-state="${session.state}"
    data-session-id="${session.id}"
    data-updated="${session.updatedAt}"
    aria-labelledby="${cardId}-title"
    hx-get="${cardFragmentPath(session.id)}"
    hx-trigger="bc:session"
    hx-swap="outerHTML"
  >
    <header class="card-head">
      <h3 class="card-title" id="${cardId}-title">
        <a href="${sessionPath(session.id)}">${session.project}</a>
      </h3>
      ${stateBadge(session.state)}
    </header>
    ${pipelineRow(session, now)} ${phaseLine(session)}
    ${progressBar(session.progressPercent, 'Build progress')}
    ${
      session.progressDetail !== null &&
      html`<p class="detail" title="${session.progressDetail}">${session.progressDetail}</p>`
    }
    <dl class="stats">
      <div class="stat stat-iteration">
        <dt>Test iteration</dt>
        <dd>${session.testIteration ?? UNKNOWN}</dd>
      </div>
      <div class="stat stat-tokens">
        <dt>Tokens</dt>
        <dd>${formatTokens(session.tokensTotal)}</dd>
      </div>
      <div class="stat stat-cost">
        <dt>Cost</dt>
        <dd>${formatUsd(session.costUsd)}</dd>
      </div>
      <div class="stat stat-elapsed">
        <dt>${elapsedLabel(session)}</dt>
        <dd>${elapsed(session.startedAt, session.endedAt, now)}</dd>
      </div>
    </dl>
    <footer class="card-foot">
      ${sourceBadge(session)} ${warningsBadge(session)} ${freshStamp(session.updatedAt, now)}
    </footer>
  </article>`;
}

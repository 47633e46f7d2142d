/**
 * @module
 * The panels of the stream overlay (SPEC 5): phase, pipeline, tests, tokens, cost, agents and
 * log, each drawn from data already redacted when the overlay is. Lists are short and keyed
 * (`data-key`), so the overlay's client updates them in place and its DOM stays bounded.
 */
import type { Agent, LogLine, Session } from '../shared/protocol.js';
import type { TestIteration } from '../shared/metrics.js';
import { parseAnsi } from '../shared/ansi.js';
import { formatDuration, UNKNOWN } from '../shared/format.js';
import { OVERLAY_DATA, type TestsMark } from '../shared/overlay-dom.js';
import type { OverlayLayout } from '../shared/overlay-params.js';
import { agentsSummary } from './agent-summary.js';
import { classes, html, type SafeHtml } from './html.js';
import { clampPercent, formatPercent, formatTokens, formatUsd } from './format.js';
import { phasePipeline, type SegmentStatus } from './pipeline.js';
import type { PlannedPhase } from './planned-phase.js';

/** Log lines each layout shows; the ticker has no room for any. */
export const LOG_LINES: Readonly<Record<OverlayLayout, number>> = {
  corner: 2,
  'lower-third': 2,
  ticker: 0,
  full: 10,
};

/** Agents listed one by one on the scoreboard; the other layouts sum them up in a line. */
const LISTED_AGENTS = 8;

const SEGMENT_MARKS: Readonly<Record<SegmentStatus, string>> = {
  done: '✓',
  current: '●',
  failed: '✗',
  upcoming: '',
  skipped: '–',
  blocked: '⊘',
};

/** The current phase: its name and number, the build's own status word and what it says it does. */
export function phasePanel(session: Session): SafeHtml {
  return html`<div class="ov-panel ov-phase">
    <span class="ov-phase-name">${session.currentPhase ?? 'Starting'}</span>
    ${session.phaseNumber !== null && html`<span class="ov-phase-number">${session.phaseNumber}</span>`}
    ${session.activity !== null && html`<span class="ov-activity">${session.activity}</span>`}
    ${session.progressDetail !== null && html`<span class="ov-detail">${session.progressDetail}</span>`}
  </div>`;
}

/** The pipeline, a block per phase coloured by how it stands, and how far the build has come. */
export function pipelinePanel(plan: readonly PlannedPhase[], session: Session, withTimes: boolean): SafeHtml {
  const percent = clampPercent(session.progressPercent);
  const segments = phasePipeline(plan).map(
    (segment) =>
      html`<li
        class="${classes('ov-seg', `ov-seg-${segment.status}`)}"
        ${OVERLAY_DATA.key}="${segment.name}"
        title="${segment.name}"
      >
        <span class="ov-seg-mark" aria-hidden="true">${SEGMENT_MARKS[segment.status]}</span
        ><span class="ov-seg-name">${segment.name}</span>${
          withTimes &&
          segment.durationMs !== null &&
          html`<span class="ov-seg-time">${formatDuration(segment.durationMs)}</span>`
        }
      </li>`,
  );
  return html`<div class="ov-panel ov-pipeline-panel">
    <ol class="ov-pipeline" aria-label="Phases">
      ${segments}
    </ol>
    <span class="ov-percent">${formatPercent(percent)}</span>
  </div>`;
}

/** How the latest test iteration stands, for its colour and for the moment it turns green. */
export function testsMark(tests: TestIteration | null): TestsMark {
  if (tests === null) return 'none';
  if ((tests.failed ?? 0) > 0) return 'failing';
  return (tests.passed ?? 0) > 0 ? 'passing' : 'none';
}

/** Passed and failed in the latest iteration, and which iteration it is. */
export function testsPanel(tests: TestIteration | null, iteration: number | null): SafeHtml {
  const mark = testsMark(tests);
  const shownIteration = tests?.iteration ?? iteration;
  return html`<div class="${classes('ov-panel', 'ov-tests', `ov-tests-${mark}`)}">
    <span class="ov-label">Tests</span>
    ${
      tests === null
        ? html`<span class="ov-value ov-muted">${UNKNOWN}</span>`
        : html`<span class="ov-value ov-pass">✓ ${tests.passed ?? UNKNOWN}</span
            ><span class="ov-value ov-fail">✗ ${tests.failed ?? UNKNOWN}</span>`
    }
    ${shownIteration !== null && html`<span class="ov-iteration">iteration ${shownIteration}</span>`}
  </div>`;
}

/** Tokens used so far: real counts, counting up as the build goes. */
export function tokensPanel(session: Session): SafeHtml {
  return html`<div class="ov-panel ov-tokens">
    <span class="ov-label">Tokens</span><span class="ov-value">${formatTokens(session.tokensTotal)}</span>
  </div>`;
}

/** What the build has cost so far. */
export function costPanel(session: Session): SafeHtml {
  return html`<div class="ov-panel ov-cost">
    <span class="ov-label">Cost</span><span class="ov-value">${formatUsd(session.costUsd)}</span>
  </div>`;
}

/** The agents at work: one line of counts, or on the scoreboard the first few by name. */
export function agentsPanel(agents: readonly Agent[], listed: boolean): SafeHtml | null {
  const summary = agentsSummary(agents);
  if (summary === null) return null;
  if (!listed) return html`<div class="ov-panel ov-agents">${summary}</div>`;
  const rows = agents.slice(0, LISTED_AGENTS).map(
    (agent) =>
      html`<li
        class="${classes('ov-agent', `ov-agent-${agent.stalled ? 'stalled' : agent.status}`)}"
        ${OVERLAY_DATA.key}="${agent.id}"
      >
        <span class="ov-agent-name">${agent.name ?? agent.type ?? agent.id}</span>
        <span class="ov-agent-status">${agent.stalled ? 'stalled' : agent.status}</span>
        ${agent.phase !== null && html`<span class="ov-agent-phase">${agent.phase}</span>`}
      </li>`,
  );
  return html`<div class="ov-panel ov-agents">
    <p class="ov-agents-summary">${summary}</p>
    <ol class="ov-agent-list">
      ${rows}
    </ol>
  </div>`;
}

/** A log line as plain text: colours are for the session page, not for a stream. */
function plainText(text: string): string {
  return parseAnsi(text)
    .map((segment) => segment.text)
    .join('');
}

/** The newest log lines, oldest first. */
export function logPanel(lines: readonly LogLine[], count: number): SafeHtml | null {
  if (count === 0 || lines.length === 0) return null;
  const rows = lines
    .slice(-count)
    .map(
      (line) =>
        html`<li class="${classes('ov-log-line', `ov-log-${line.level}`)}" ${OVERLAY_DATA.key}="${line.seq}">
          ${plainText(line.text)}
        </li>`,
    );
  return html`<ol class="ov-panel ov-log">
    ${rows}
  </ol>`;
}

/**
 * @module
 * A session's own page (SPEC 5): header, progress, the phase plan, token and test metrics,
 * parse warnings and the raw last phase file, and beside them the agents and the log tail.
 *
 * The main column is the live part (`#session-detail`), which the client refreshes with
 * `bc:detail` when a frame for this session arrives; the metrics inside it (`#session-metrics`)
 * also refresh alone on `bc:metrics`. The side column holds `#agents` (refreshed alone on
 * `bc:agents`) and `#log-tail`, whose lines the client appends itself; they sit outside the
 * detail so a session frame never redraws them.
 */
import type { Agent, BackfillProgress, LogLine, Session } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import { DATA, EVENTS, IDS } from '../shared/dom.js';
import { detailFragmentPath } from '../shared/paths.js';
import { renderAgentsPanel } from './agents.js';
import { html, type SafeHtml } from './html.js';
import { UNKNOWN } from '../shared/format.js';
import { formatTokens } from './format.js';
import { renderBackfill } from './backfill.js';
import { cardCost, progressBar, sourceBadge, stateBadge } from './card.js';
import { renderMetricsSection } from './metrics.js';
import { renderPage } from './layout.js';
import { renderLogTail } from './log-tail.js';
import type { PageShell } from './page-shell.js';
import { renderPlan } from './plan-table.js';
import { forecastSlot, renderRunActions } from './run-actions.js';
import type { PlannedPhase } from './planned-phase.js';
import { elapsed, localTime, sessionStamp } from './stamps.js';

/** Raw files bigger than this are cut (SPEC 1.1 allows phase files of several megabytes). */
export const RAW_DISPLAY_LIMIT = 128 * 1024;

/** The raw text pretty-printed when it is JSON, and what it turned out to be. */
function prettyRaw(text: string): { text: string; json: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}

function header(session: Session, now: number): SafeHtml {
  return html`<header class="session-head">
    <div class="session-title">
      <h1>${session.project}</h1>
      ${stateBadge(session.state)} ${sourceBadge(session)}
    </div>
    <p class="session-meta">
      <span>Started ${localTime(session.startedAt, 'datetime')}</span>
      <span
        >${session.endedAt === null ? 'Running for' : 'Took'}
        ${elapsed(session.startedAt, session.endedAt, now)}</span
      >
      ${sessionStamp(session, now)}
    </p>
    ${session.workdir !== null && html`<p class="workdir"><code>${session.workdir}</code></p>`}
  </header>`;
}

/** How long the build has been in its current phase, ticking; "—" when it is not in one. */
function inPhase(session: Session, plan: readonly PlannedPhase[], now: number): SafeHtml {
  const running = session.endedAt === null ? plan.find((phase) => phase.status === 'running') : undefined;
  return elapsed(running?.startedAt ?? null, null, now);
}

function progress(session: Session, plan: readonly PlannedPhase[], now: number): SafeHtml {
  return html`<section class="panel" aria-labelledby="progress-title">
    <h2 id="progress-title">Progress</h2>
    <dl class="stats stats-wide">
      <div class="stat">
        <dt>Current phase</dt>
        <dd>
          <span class="phase-name">${session.currentPhase ?? UNKNOWN}</span>
          ${session.phaseNumber !== null && html`<span class="phase-number">${session.phaseNumber}</span>`}
        </dd>
      </div>
      <div class="stat stat-in-phase">
        <dt>In this phase</dt>
        <dd>${inPhase(session, plan, now)}</dd>
      </div>
      <div class="stat">
        <dt>Activity</dt>
        <dd class="activity">${session.activity ?? UNKNOWN}</dd>
      </div>
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
        <dd>${cardCost(session)}</dd>
      </div>
    </dl>
    ${progressBar(session.progressPercent, 'Build progress')}
    ${session.progressDetail !== null && html`<p class="detail-full">${session.progressDetail}</p>`}
  </section>`;
}

function warnings(session: Session): SafeHtml {
  const body =
    session.warnings.length === 0
      ? html`<p class="ok">No problems with this session's files.</p>`
      : html`<ul class="warnings">
          ${session.warnings.map(
            (warning) =>
              html`<li class="warning">
                <code class="warning-file">${warning.file}</code>
                <span class="warning-reason">${warning.reason}</span>
                ${localTime(warning.at, 'datetime', 'muted')}
              </li>`,
          )}
        </ul>`;
  return html`<section class="panel" id="${IDS.warnings}" aria-labelledby="warnings-title">
    <h2 id="warnings-title">Parse warnings</h2>
    ${body}
  </section>`;
}

function rawFile(rawText: string | null): SafeHtml {
  if (rawText === null) {
    return html`<section class="panel" id="raw" aria-labelledby="raw-title">
      <h2 id="raw-title">Raw last phase file</h2>
      <p class="muted">Nothing received yet.</p>
    </section>`;
  }
  const cut = rawText.length > RAW_DISPLAY_LIMIT;
  const shown = prettyRaw(cut ? rawText.slice(0, RAW_DISPLAY_LIMIT) : rawText);
  const kind = cut
    ? `first ${RAW_DISPLAY_LIMIT / 1024} KB of ${Math.ceil(rawText.length / 1024)} KB`
    : shown.json
      ? 'JSON, pretty-printed'
      : 'not valid JSON, shown as received';
  return html`<section class="panel" id="raw" aria-labelledby="raw-title">
    <h2 id="raw-title">Raw last phase file</h2>
    <details id="raw-file" class="raw">
      <summary>Show the file <span class="muted">(${kind})</span></summary>
      <pre class="raw-text" tabindex="0"><code>${shown.text}</code></pre>
    </details>
  </section>`;
}

/** What the live part shows beyond the session itself. */
export interface DetailData {
  /** The session's plan, Builder's parallel tasks (`build-tasks.json`) nested under Builder. */
  plan: readonly PlannedPhase[];
  /** Its metrics, when the server has them. */
  metrics?: SessionMetrics | null;
}

/** The live part of the page: what `/fragments/sessions/:id/detail` returns and swaps. */
export function renderSessionDetail(
  session: Session,
  rawText: string | null,
  now: number,
  { plan, metrics = null }: DetailData,
): SafeHtml {
  return html`<div
    id="${IDS.sessionDetail}"
    class="session-detail state-${session.state}"
    ${DATA.state}="${session.state}"
    ${DATA.sessionId}="${session.id}"
    ${DATA.updated}="${session.updatedAt}"
    hx-get="${detailFragmentPath(session.id)}"
    hx-trigger="${EVENTS.detail}"
    hx-swap="outerHTML"
  >
    ${header(session, now)} ${progress(session, plan, now)}
    <section class="panel" id="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Phase plan</h2>
      ${renderPlan(plan, session, now)}
    </section>
    ${renderMetricsSection(session, metrics)} ${warnings(session)} ${rawFile(rawText)}
  </div>`;
}

/** What a session page shows beyond the session itself. */
export interface SessionPageData extends DetailData {
  backfill?: BackfillProgress | null;
  /** The build's agents; an honest empty panel when there are none. */
  agents?: readonly Agent[] | null;
  /** The newest log lines, oldest first. */
  logs?: readonly LogLine[] | null;
}

/** The whole session page, in the page shell. */
export function renderSessionPage(
  shell: PageShell,
  session: Session,
  rawText: string | null,
  now: number,
  { plan, metrics = null, backfill = null, agents = null, logs = null }: SessionPageData,
): SafeHtml {
  return renderPage(shell, {
    title: session.project,
    sessionId: session.id,
    main: html`${renderBackfill(backfill)}
      <p class="crumbs"><a href="/">← All builds</a></p>
      <div class="session-layout">
        ${renderSessionDetail(session, rawText, now, { plan, metrics })}
        <aside class="session-side" aria-label="Agents and log">
          ${forecastSlot(session)} ${renderAgentsPanel(session.id, agents ?? [], now)}
          ${renderLogTail(session.id, logs ?? [])} ${renderRunActions(session)}
        </aside>
      </div>`,
  });
}

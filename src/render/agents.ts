/**
 * @module
 * The agents working inside a build (SPEC 1.7, 5): on a session page a panel with one row per
 * agent (`#agents`, refreshed alone when the client fires `bc:agents` on it for an `agent` frame
 * of this session), and on a dashboard card a one-line summary ("3 agents: 2 active, 1 failed").
 * Names, phases, reported statuses and errors come from the build and are escaped like the rest.
 */
import type { Agent, AgentStatus } from '../shared/protocol.js';
import { agentsSummary } from './agent-summary.js';
import { classes, html, type SafeHtml } from './html.js';
import { formatTimestamp } from '../shared/format.js';
import { formatTokens } from './format.js';
import { progressBar } from './card.js';
import { CLASSES, DATA, EVENTS, IDS } from '../shared/dom.js';
import { agentsFragmentPath } from '../shared/paths.js';
import { elapsed } from './stamps.js';

/** Errors longer than this are cut on the page; the whole text stays in the API. */
export const AGENT_ERROR_DISPLAY_CHARS = 1000;

const STATUS_LABELS: Readonly<Record<AgentStatus, string>> = {
  spawning: 'Spawning',
  active: 'Active',
  idle: 'Idle',
  completed: 'Completed',
  failed: 'Failed',
};

/** The status badge, and a second "Stalled" badge when a working agent has gone quiet. */
function agentBadges(agent: Agent): SafeHtml {
  const status = html`<span
    class="badge agent-badge agent-badge-${agent.status}"
    data-status="${agent.status}"
    >${STATUS_LABELS[agent.status]}</span
  >`;
  if (!agent.stalled) return status;
  return html`${status}
    <span
      class="badge agent-badge agent-badge-stalled"
      data-status="stalled"
      title="No change reported since ${formatTimestamp(agent.updatedAt)}"
      >Stalled</span
    >`;
}

const agentName = (agent: Agent): string => agent.name ?? agent.type ?? agent.id;

function agentError(error: string | null): SafeHtml | null {
  if (error === null || error.trim() === '') return null;
  const cut = error.length > AGENT_ERROR_DISPLAY_CHARS;
  const text = cut ? error.slice(0, AGENT_ERROR_DISPLAY_CHARS) : error;
  // The text sits in a span of its own: its line breaks are kept, the markup's are not.
  return html`<p class="agent-error">
    <span class="agent-error-text">${text}</span>${cut && html`<span class="${CLASSES.logCut}">…</span>`}
  </p>`;
}

function agentRow(agent: Agent, now: number): SafeHtml {
  const name = agentName(agent);
  const showType = agent.type !== null && agent.type !== name;
  return html`<li
    class="${classes('agent', `agent-${agent.status}`, agent.stalled && 'agent-stalled')}"
    data-agent-id="${agent.id}"
    data-status="${agent.status}"
    data-stalled="${agent.stalled ? 'true' : 'false'}"
  >
    <div class="agent-head">
      <span class="agent-name" title="${agent.id}">${name}</span>
      ${showType && html`<span class="agent-type">${agent.type}</span>`} ${agentBadges(agent)}
      ${
        agent.reportedStatus !== null &&
        html`<span class="agent-reported" title="Status as the agent reported it"
          >“${agent.reportedStatus}”</span
        >`
      }
      <span class="agent-elapsed" title="Running since ${formatTimestamp(agent.startedAt)}"
        >${elapsed(agent.startedAt, agent.endedAt, now)}</span
      >
    </div>
    <div class="agent-body">
      <span class="agent-phase">${agent.phase ?? 'No phase'}</span>
      ${progressBar(agent.progressPercent, `Progress of ${name}`)}
      <span class="agent-tokens">${formatTokens(agent.tokensUsed)} tokens</span>
    </div>
    ${agentError(agent.error)}
  </li>`;
}

/** Oldest first, so rows stay put while agents change. */
function byStart(a: Agent, b: Agent): number {
  return a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);
}

/** The whole panel: what `/fragments/sessions/:id/agents` returns and swaps. */
export function renderAgentsPanel(sessionId: string, agents: readonly Agent[], now: number): SafeHtml {
  const sorted = [...agents].sort(byStart);
  const body =
    sorted.length === 0
      ? html`<p class="empty agents-empty">
          <strong>No agents reported for this build.</strong> Agents show here when the build posts to
          <code>/api/agent-update</code> or runs subagents.
        </p>`
      : html`<p class="agents-summary">${agentsSummary(sorted)}</p>
          <ul class="agents">
            ${sorted.map((agent) => agentRow(agent, now))}
          </ul>`;
  return html`<section
    id="${IDS.agents}"
    class="panel agents-panel"
    aria-labelledby="agents-title"
    ${DATA.sessionId}="${sessionId}"
    data-count="${sorted.length}"
    hx-get="${agentsFragmentPath(sessionId)}"
    hx-trigger="${EVENTS.agents}"
    hx-swap="outerHTML"
  >
    <h2 id="agents-title">Agents</h2>
    ${body}
  </section>`;
}

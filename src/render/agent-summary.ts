/**
 * @module
 * The one-line summary of a build's agents ("3 agents: 2 active, 1 failed"), on dashboard cards
 * and at the top of a session page's agents panel.
 */
import type { Agent, AgentStatus } from '../shared/protocol.js';
import { html, type SafeHtml } from './html.js';

/**
 * How the summary counts an agent: its status, `stalled` when it has gone quiet while working,
 * or `retried` when it failed and a retry completed its work (not a failure of the build).
 */
export type SummaryKey = AgentStatus | 'stalled' | 'retried';

/** The order of the summary: what needs attention and what is working first, finished last. */
const SUMMARY_ORDER: readonly SummaryKey[] = [
  'active',
  'spawning',
  'idle',
  'stalled',
  'failed',
  'retried',
  'completed',
];

const summaryKey = (agent: Agent): SummaryKey =>
  agent.stalled ? 'stalled' : agent.retried && agent.status === 'failed' ? 'retried' : agent.status;

/** The counts behind the summary, in {@link SUMMARY_ORDER}, zeros left out. */
function agentCounts(agents: readonly Agent[]): { key: SummaryKey; count: number }[] {
  const counts = new Map<SummaryKey, number>();
  for (const agent of agents) counts.set(summaryKey(agent), (counts.get(summaryKey(agent)) ?? 0) + 1);
  return SUMMARY_ORDER.filter((key) => counts.has(key)).map((key) => ({ key, count: counts.get(key) ?? 0 }));
}

/** "3 agents: 2 active, 1 failed", each count in a span its status can colour; null for no agents. */
export function agentsSummary(agents: readonly Agent[]): SafeHtml | null {
  if (agents.length === 0) return null;
  const parts = agentCounts(agents).map(
    ({ key, count }, i) =>
      html`${i > 0 && ', '}<span class="agents-count agents-${key}" data-status="${key}"
          >${count} ${key}</span
        >`,
  );
  return html`<span class="agents-total">${agents.length} ${agents.length === 1 ? 'agent' : 'agents'}:</span>
    ${parts}`;
}

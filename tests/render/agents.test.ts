import { describe, expect, it } from 'vitest';
import type { Agent, AgentStatus } from '../../src/shared/protocol.js';
import { agentsSummary } from '../../src/render/agent-summary.js';
import { AGENT_ERROR_DISPLAY_CHARS, renderAgentsPanel } from '../../src/render/agents.js';
import { makeAgent } from './fixtures.js';
import { flat, words } from './metrics-fixtures.js';

const NOW = Date.parse('2026-11-20T14:00:00Z');
const SESSION = 'weather-app-20261120T140211Z';

const panel = (agents: Agent[]): string => flat(renderAgentsPanel(SESSION, agents, NOW).toString());

/** The `<li>` of one agent, as flat markup. */
function item(markup: string, id: string): string {
  const at = markup.indexOf(`data-agent-id="${id}"`);
  if (at < 0) return '';
  return markup.slice(markup.lastIndexOf('<li', at), markup.indexOf('</li>', at) + '</li>'.length);
}

describe('agents panel', () => {
  it('is its own fragment, refreshed on bc:agents', () => {
    const markup = panel([makeAgent()]);
    expect(markup).toMatch(/^<section id="agents" class="panel agents-panel"/);
    expect(markup).toContain(`data-session-id="${SESSION}"`);
    expect(markup).toContain(
      `hx-get="/fragments/sessions/${SESSION}/agents" hx-trigger="bc:agents" hx-swap="outerHTML"`,
    );
  });

  it('shows one row per agent: name, type, badge, phase, progress, tokens and elapsed time ticking', () => {
    const markup = panel([makeAgent()]);
    const row = item(markup, 'builder-1');
    expect(row).toContain(
      'class="agent agent-active" data-agent-id="builder-1" data-status="active" data-stalled="false"',
    );
    expect(words(row)).toBe('Builder 1 builder Active 10m 00s Builder 50% 50% 48.2k tokens');
    expect(row).toContain(
      '<span class="badge agent-badge agent-badge-active" data-status="active">Active</span>',
    );
    expect(row).toContain('<progress class="bar" max="100" value="50" aria-label="Progress of Builder 1">');
    expect(row).toContain('<span class="elapsed" data-since="2026-11-20T13:50:00Z">10m 00s</span>');
  });

  it('has a badge for every status, and stops the clock when an agent has ended', () => {
    const statuses: AgentStatus[] = ['spawning', 'active', 'idle', 'completed', 'failed'];
    const labels = ['Spawning', 'Active', 'Idle', 'Completed', 'Failed'];
    const agents = statuses.map((status, i) =>
      makeAgent({
        id: `agent-${status}`,
        status,
        startedAt: `2026-11-20T13:5${i}:00Z`,
        endedAt: status === 'completed' || status === 'failed' ? '2026-11-20T13:58:30Z' : null,
      }),
    );
    const markup = panel(agents);
    statuses.forEach((status, i) => {
      const row = item(markup, `agent-${status}`);
      expect(row).toContain(`class="agent agent-${status}"`);
      expect(row).toContain(
        `<span class="badge agent-badge agent-badge-${status}" data-status="${status}">${labels[i]}</span>`,
      );
    });
    expect(item(markup, 'agent-completed')).toContain('<span class="elapsed">5m 30s</span>');
    expect(item(markup, 'agent-failed')).not.toContain('data-since');
    expect(item(markup, 'agent-idle')).toContain('data-since="2026-11-20T13:52:00Z"');
    // Oldest first, so rows stay put as agents change.
    const order = [...markup.matchAll(/data-agent-id="([^"]+)"/g)].map((match) => match[1]);
    expect(order).toEqual(statuses.map((status) => `agent-${status}`));
  });

  it('marks a stalled agent with a second badge and counts it as stalled', () => {
    const markup = panel([makeAgent({ stalled: true }), makeAgent({ id: 'tester', name: 'Tester' })]);
    const row = item(markup, 'builder-1');
    expect(row).toContain('class="agent agent-active agent-stalled"');
    expect(row).toContain('data-stalled="true"');
    expect(row).toMatch(
      /<span class="badge agent-badge agent-badge-stalled" data-status="stalled" title="No change reported since 2026-11-20 13:59:30 UTC">Stalled<\/span>/,
    );
    expect(words(markup)).toContain('2 agents: 1 active, 1 stalled');
  });

  it('shows the error, the status word an agent sent, and falls back from name to type to id', () => {
    const markup = panel([
      makeAgent({ id: 'a1', status: 'failed', error: 'Tests failed: 3 of 40', reportedStatus: 'crashed' }),
      makeAgent({ id: 'a2', name: null, type: 'tester' }),
      makeAgent({ id: 'a3', name: null, type: null, phase: null, progressPercent: null, tokensUsed: null }),
    ]);
    expect(item(markup, 'a1')).toContain(
      '<p class="agent-error"> <span class="agent-error-text">Tests failed: 3 of 40</span> </p>',
    );
    expect(words(item(markup, 'a1'))).toContain('Failed “crashed”');
    expect(words(item(markup, 'a2'))).toMatch(/^tester Active/);
    expect(words(item(markup, 'a3'))).toBe('a3 Active 10m 00s No phase — — — tokens');
  });

  it('escapes a hostile name, type, phase, reported status and error, and cuts a huge error', () => {
    const markup = panel([
      makeAgent({
        id: '"><script>alert(0)</script>',
        name: '<script>alert(1)</script>',
        type: '<img src=x onerror=alert(2)>',
        phase: '<svg onload=alert(3)>',
        reportedStatus: '<b>odd</b>',
        error: `</p><iframe src=javascript:alert(4)>${'e'.repeat(AGENT_ERROR_DISPLAY_CHARS * 3)}`,
      }),
    ]);
    for (const tag of ['<script', '<img', '<svg', '<b>', '<iframe']) expect(markup).not.toContain(tag);
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).toContain('data-agent-id="&quot;&gt;&lt;script&gt;alert(0)&lt;/script&gt;"');
    const error = markup.slice(markup.indexOf('<p class="agent-error">'));
    expect(error.length).toBeLessThan(AGENT_ERROR_DISPLAY_CHARS + 200);
    expect(error).toContain('<span class="log-cut">…</span>');
  });

  it('says honestly when the build has reported no agents', () => {
    const markup = panel([]);
    expect(markup).toContain('data-count="0"');
    expect(words(markup)).toContain('No agents reported for this build.');
    expect(markup).toContain('<code>/api/agent-update</code>');
    expect(markup).not.toContain('<ul');
  });
});

describe('agents summary', () => {
  it('counts agents by status, what is working first and finished last', () => {
    const agents = [
      makeAgent({ id: 'a', status: 'completed' }),
      makeAgent({ id: 'b', status: 'active' }),
      makeAgent({ id: 'c', status: 'failed' }),
      makeAgent({ id: 'd', status: 'active' }),
    ];
    expect(words(agentsSummary(agents)!.toString())).toBe('4 agents: 2 active, 1 failed, 1 completed');
    expect(words(agentsSummary([makeAgent()])!.toString())).toBe('1 agent: 1 active');
    expect(agentsSummary([])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { Session } from '../../src/shared/protocol.js';
import { createPageRoutes, plannedPhases } from '../../src/server/pages.js';
import { RAW_DISPLAY_LIMIT, renderSessionDetail } from '../../src/render/session-page.js';
import { ArrayReader, makeAgent, makeLogLine, makeSession } from './fixtures.js';
import { flat, words } from './metrics-fixtures.js';

const packageRoot = process.cwd();

function app(session: Session, raw?: string) {
  const raws = raw === undefined ? {} : { [session.id]: raw };
  return createPageRoutes({
    reader: new ArrayReader([session], raws),
    clock: new FakeClock('2026-11-20T14:00:00Z'),
    packageRoot,
  });
}

async function page(session: Session, raw?: string): Promise<string> {
  const res = await app(session, raw).request(`/sessions/${session.id}`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('session page', () => {
  it('is a whole page that follows its session and has the shell header', async () => {
    const body = await page(makeSession());
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('<body data-session-id="weather-app-20261120T140211Z">');
    expect(body).toContain('id="connection"');
    expect(body).toContain('<title>weather-app · buildcast</title>');
    expect(body).toContain('<h1>weather-app</h1>');
    expect(body).toContain('hx-get="/fragments/sessions/weather-app-20261120T140211Z/detail"');
    expect(body).toContain('hx-trigger="bc:detail"');
  });

  it('shows the whole pipeline as a plan: what ran with start, end and duration, then what is queued', async () => {
    const body = await page(makeSession());
    const rows = [...body.matchAll(/<tr class="t-row t-(\w+)"[\s\S]*?class="t-phase">\s*([^<]+?)\s*</g)].map(
      (match) => `${match[2]}:${match[1]}`,
    );
    expect(rows).toEqual([
      'Scout:completed',
      'Architect:completed',
      'Builder:completed',
      'Test:running',
      'Screenshot:queued',
      'Documentation:queued',
      'Deploy:queued',
      'Feedback:queued',
      'GitHub Integration:queued',
    ]);
    expect(body).toContain(
      '<time datetime="2026-11-20T13:44:12Z" data-local="clock" title="2026-11-20 13:44:12 UTC">13:44:12</time>',
    );
    expect(body).toContain('<td class="t-duration">4m 12s</td>');
    expect(body).toContain('data-since="2026-11-20T13:55:00Z"');
  });

  it('says honestly when the session files have no problems, and lists them when they do', async () => {
    expect(await page(makeSession())).toContain("No problems with this session's files.");
    const body = await page(
      makeSession({
        warnings: [
          {
            file: '/w/.context-foundry/current-phase.json',
            reason: 'invalid JSON: Unexpected end of JSON input',
            at: '2026-11-20T13:59:00Z',
          },
        ],
      }),
    );
    expect(body).not.toContain('No problems');
    expect(body).toContain('<code class="warning-file">/w/.context-foundry/current-phase.json</code>');
    expect(body).toContain('invalid JSON: Unexpected end of JSON input');
  });

  it('shows the raw last phase file pretty-printed in a collapsible block', async () => {
    const body = await page(makeSession(), '{"session_id":"weather-app","phase_number":"4/7"}');
    expect(body).toContain('<details id="raw-file"');
    expect(body).toContain('JSON, pretty-printed');
    expect(body).toContain(
      '{\n  &quot;session_id&quot;: &quot;weather-app&quot;,\n  &quot;phase_number&quot;: &quot;4/7&quot;\n}',
    );
  });

  it('shows a file that is not JSON as received, a huge one cut, and none at all honestly', async () => {
    expect(await page(makeSession(), '{"session_id": "half-writ')).toContain(
      'not valid JSON, shown as received',
    );
    const huge = await page(makeSession(), `{"x":"${'a'.repeat(RAW_DISPLAY_LIMIT * 2)}"}`);
    expect(huge).toContain('first 128 KB of 257 KB');
    expect(huge.length).toBeLessThan(RAW_DISPLAY_LIMIT + 30_000);
    expect(await page(makeSession())).toContain('Nothing received yet.');
  });

  it('serves its live part alone as a fragment', async () => {
    const res = await app(makeSession()).request('/fragments/sessions/weather-app-20261120T140211Z/detail');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.trim()).toMatch(/^<div\s+id="session-detail"/);
    expect(body).not.toContain('<html');
    expect(body).toContain('Phase plan');
    // The agents and the log tail live beside the detail, so a session frame never redraws them.
    expect(body).not.toContain('id="agents"');
    expect(body).not.toContain('id="log-tail"');
  });
});

describe('session page: plan, agents and log', () => {
  const id = 'weather-app-20261120T140211Z';

  function live(overrides: Partial<Parameters<typeof createPageRoutes>[0]> = {}) {
    return createPageRoutes({
      reader: new ArrayReader([makeSession()]),
      clock: new FakeClock('2026-11-20T14:00:00Z'),
      packageRoot,
      ...overrides,
    });
  }

  it('puts the agents and the log tail beside the live detail, never inside it', async () => {
    const body = flat(await (await live().request(`/sessions/${id}`)).text());
    const detail = body.indexOf('<div id="session-detail"');
    const side = body.indexOf('<aside class="session-side" aria-label="Agents and log">');
    expect(body.indexOf('<div class="session-layout">')).toBeLessThan(detail);
    expect(detail).toBeLessThan(side);
    expect(side).toBeLessThan(body.indexOf('<section id="agents"'));
    expect(body.indexOf('<section id="agents"')).toBeLessThan(body.indexOf('<section id="log-tail"'));
    // With no agent or log source the panels still say what they are waiting for.
    expect(words(body)).toContain('No agents reported for this build.');
    expect(words(body)).toContain('No log lines yet.');
  });

  it('never looks frozen: time in the current phase, since the last change and the connection all tick', async () => {
    const body = flat(await (await live().request(`/sessions/${id}`)).text());
    expect(body).toContain(
      '<div class="stat stat-in-phase"> <dt>In this phase</dt> <dd><span class="elapsed" data-since="2026-11-20T13:55:00Z">5m 00s</span></dd>',
    );
    expect(body).toMatch(/class="fresh fresh-green" data-fresh="2026-11-20T13:59:57Z"/);
    expect(body).toContain('id="connection"');
    expect(body).toContain('id="heartbeat"');
    const completed = makeSession({ state: 'completed', endedAt: '2026-11-20T13:59:00Z' });
    const ended = flat(
      renderSessionDetail(completed, null, Date.parse('2026-11-20T14:00:00Z'), {
        plan: plannedPhases(completed, null),
      }).toString(),
    );
    expect(ended).toContain('<dt>In this phase</dt> <dd><span class="elapsed">—</span></dd>');
  });

  it('shows the agents, the log lines and Builder’s tasks its sources give', async () => {
    const asked: number[] = [];
    const app = live({
      agents: (sessionId) => (sessionId === id ? [makeAgent({ status: 'failed', error: 'exit 1' })] : []),
      logs: (sessionId, limit) => {
        asked.push(limit);
        return sessionId === id ? [makeLogLine(7, '\x1b[32mok\x1b[0m')] : [];
      },
      tasks: (sessionId) =>
        sessionId === id
          ? [
              {
                id: 'task-1',
                name: 'API client',
                status: 'failed',
                dependsOn: [],
                files: [],
                agent: null,
                error: null,
              },
            ]
          : null,
    });
    const body = flat(await (await app.request(`/sessions/${id}`)).text());
    expect(body).toContain('data-agent-id="builder-1" data-status="failed"');
    expect(body).toContain('<span class="agent-error-text">exit 1</span>');
    expect(body).toContain('<li class="log-line log-info" data-seq="7"');
    expect(body).toContain('<span class="ansi-green">ok</span>');
    expect(asked).toEqual([200]);
    expect(body).toContain('<tr class="t-tasks" data-phase="Builder">');
    const detail = flat(await (await app.request(`/fragments/sessions/${id}/detail`)).text());
    expect(detail).toContain('data-task-id="task-1" data-status="failed"');
  });
});

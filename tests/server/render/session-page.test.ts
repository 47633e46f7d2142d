import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/shared/clock.js';
import type { Session } from '../../../src/shared/protocol.js';
import { createPageRoutes } from '../../../src/server/pages.js';
import { RAW_DISPLAY_LIMIT } from '../../../src/server/render/session-page.js';
import { ArrayReader, makeSession } from './fixtures.js';

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

  it('lists every phase it ran with start, end and duration, then the upcoming ones greyed', async () => {
    const body = await page(makeSession());
    const rows = [...body.matchAll(/<tr class="t-row t-(\w+)"[\s\S]*?class="t-phase">\s*([^<]+?)\s*</g)].map(
      (match) => `${match[2]}:${match[1]}`,
    );
    expect(rows).toEqual([
      'Scout:completed',
      'Architect:completed',
      'Builder:completed',
      'Test:running',
      'Screenshot:upcoming',
      'Documentation:upcoming',
      'Deploy:upcoming',
      'Feedback:upcoming',
      'GitHub Integration:upcoming',
    ]);
    expect(body).toContain(
      '<time datetime="2026-11-20T13:44:12Z" title="2026-11-20 13:44:12 UTC">13:44:12</time>',
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
    expect(body).toContain('Phase timeline');
  });
});

/**
 * WCAG AA contrast of what Chromium really draws: every piece of text on the dashboard (cards of
 * each state, tabs, a notice) and on session pages (plan with blocked phases, agents of every
 * status, log lines of every level and ANSI colour), in the dark and the light scheme, against the
 * background it sits on (backgrounds and opacity laid over one another as the browser does).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { launchBrowser } from '../helpers/browser.js';
import { contrastRatio, over, parseColor, requiredRatio } from '../helpers/contrast.js';
import { phase, startTestServer } from '../helpers/server.js';

/** What the page reports of one element with text of its own. */
interface TextSample {
  where: string;
  text: string;
  color: string;
  fontSize: number;
  fontWeight: number;
  /** From the element outwards: each one's background colour and opacity. */
  layers: Array<{ background: string; opacity: number }>;
}

/** Collected in the page: a string, so the test runner leaves the browser's code alone. */
const COLLECT = `(() => {
  const samples = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg, script, style, noscript, .sr-only')) continue;
    const own = [...el.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim() !== '');
    if (!own) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 1 || box.height <= 1 || style.visibility !== 'visible') continue;
    const layers = [];
    for (let at = el; at; at = at.parentElement) {
      const s = getComputedStyle(at);
      layers.push({ background: s.backgroundColor, opacity: Number(s.opacity) });
    }
    samples.push({
      where: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''),
      text: el.textContent.trim().slice(0, 40),
      color: style.color,
      fontSize: parseFloat(style.fontSize),
      fontWeight: Number(style.fontWeight),
      layers,
    });
  }
  return samples;
})()`;

/** The samples whose text falls short of the ratio it needs, described. */
function failures(samples: readonly TextSample[]): string[] {
  const out: string[] = [];
  for (const sample of samples) {
    // Lay the backgrounds over one another from the page's own outwards; the canvas is opaque.
    let background = { r: 1, g: 1, b: 1, a: 1 };
    let opacity = 1;
    for (const layer of [...sample.layers].reverse()) {
      background = over(parseColor(layer.background), background);
      opacity *= layer.opacity;
    }
    const text = over(parseColor(sample.color), background, opacity);
    const ratio = contrastRatio(text, background);
    const needed = requiredRatio(sample.fontSize, sample.fontWeight);
    if (ratio < needed)
      out.push(
        `${sample.where} "${sample.text}": ${ratio.toFixed(2)}:1 (needs ${needed}:1), ${sample.color}`,
      );
  }
  return [...new Set(out)];
}

describe('contrast in Chromium', () => {
  let browser: Browser;
  let server: ServerHandle;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ stallMs: 600_000 });
    const post = async (path: string, body: object) => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    };
    await post(
      '/api/phase-update',
      phase({ current_phase: 'Test', phase_number: '4/7', status: 'self-healing', test_iteration: 2 }),
    );
    await post(
      '/api/phase-update',
      phase({
        session_id: 'shop',
        started_at: '2026-11-20T12:00:00Z',
        current_phase: 'Feedback',
        phase_number: '7/8',
        status: 'completed',
        phases_completed: ['Scout', 'Architect', 'Builder', 'Test', 'Screenshot', 'Documentation', 'Deploy'],
      }),
    );
    for (const [agent, status] of [
      ['scout', 'completed'],
      ['builder-1', 'active'],
      ['builder-2', 'failed'],
      ['tester', 'idle'],
      ['deployer', 'spawning'],
    ] as const) {
      await post('/api/agent-update', {
        session_id: 'weather-app',
        agent_id: agent,
        agent_type: agent.split('-')[0],
        agent_name: agent,
        status,
        phase: 'Builder',
        progress_percent: 40,
        tokens_used: 12_000,
        error_message: status === 'failed' ? 'TypeError: cannot read properties of undefined' : null,
      });
    }
    const colours = [30, 31, 32, 33, 34, 35, 36, 37, 90, 91, 92, 93, 94, 95, 96, 97];
    await post('/api/broadcast/weather-app', {
      text: colours.map((code) => `\u001b[${code}mcolour ${code}\u001b[0m`).join(' '),
      level: 'info',
    });
    for (const level of ['warn', 'error', 'debug'])
      await post('/api/broadcast/weather-app', { text: `a ${level} line`, level });
    await post(
      '/api/phase-update',
      phase({
        session_id: 'todo-api',
        started_at: '2026-11-20T13:00:00Z',
        current_phase: 'Deploy',
        phase_number: '6/8',
        status: 'failed',
        phases_completed: ['Scout', 'Architect', 'Builder', 'Test', 'Screenshot', 'Documentation'],
        progress_detail: 'Deploy failed: health check returned 503',
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await browser?.close();
  });

  async function samplesOf(scheme: 'dark' | 'light', url: string, ready: (page: Page) => Promise<void>) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 2000 }, colorScheme: scheme });
    try {
      await page.goto(url);
      await page.locator('#connection[data-conn="live"]').waitFor();
      await ready(page);
      return (await page.evaluate(COLLECT)) as TextSample[];
    } finally {
      await page.close();
    }
  }

  for (const scheme of ['dark', 'light'] as const) {
    it(`holds AA on the dashboard and session pages, ${scheme} scheme`, async () => {
      const samples = [
        ...(await samplesOf(scheme, `${server.url}/?tab=all`, async (page) => {
          await page.locator('article.card').nth(2).waitFor();
        })),
        ...(await samplesOf(scheme, `${server.url}/sessions/weather-app`, async (page) => {
          await page.locator('#agents li.agent').nth(4).waitFor();
          await page.locator('#log-lines .log-line').nth(3).waitFor();
        })),
        ...(await samplesOf(scheme, `${server.url}/sessions/todo-api`, async (page) => {
          await page.locator('#timeline tr[data-status="blocked"]').first().waitFor();
        })),
      ];
      const where = new Set(samples.map((sample) => sample.where.split('.')[1] ?? sample.where));
      // It looked at what matters: badges of each state, stamps, agents, log colours, the plan.
      for (const part of ['badge', 'fresh', 'agent-name', 'ansi-red', 'ansi-bright-yellow', 'pill', 'tab'])
        expect(where, part).toContain(part);
      expect(failures(samples)).toEqual([]);
    }, 60_000);
  }
});

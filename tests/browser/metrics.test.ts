/**
 * Real token and test-iteration charts in Chromium: a transcript and Context Foundry's test
 * result files on disk become charts on the session page, and they update without a reload.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalTime } from '../../src/shared/format.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { phase, removeDir, startTestServer, tempDir, writePhaseFile } from '../helpers/server.js';

declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
};

function transcriptLine(n: number, at: string, cwd: string, output: number): string {
  return JSON.stringify({
    type: 'assistant',
    cwd,
    sessionId: 'cc-1',
    requestId: `req_${n}`,
    timestamp: at,
    message: {
      id: `msg_${n}`,
      model: 'claude-sonnet-4-5-20250929',
      usage: {
        input_tokens: 20,
        output_tokens: output,
        cache_creation_input_tokens: 2_000,
        cache_read_input_tokens: 30_000,
      },
    },
  });
}

describe('metrics charts in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws tokens over time and test iterations, and redraws them live', async () => {
    const root = tempDir();
    const workdir = path.join(root, 'builds', 'weather');
    const claude = path.join(root, 'claude');
    const folder = path.join(claude, 'projects', workdir.replaceAll('/', '-'));
    mkdirSync(folder, { recursive: true });
    const now = Date.now();
    const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const build = { session_id: 'weather-app', started_at: iso(30), last_updated: iso(1) };
    writePhaseFile(
      workdir,
      phase({
        ...build,
        current_phase: 'Test',
        phase_number: '4/7',
        status: 'testing',
        test_iteration: 1,
        phases_completed: ['Scout', 'Architect', 'Builder'],
      }),
    );
    const transcript = path.join(folder, 'cc-1.jsonl');
    writeFileSync(
      transcript,
      [20, 15, 10, 5].map((ago, i) => transcriptLine(i, iso(ago), workdir, 400 + i * 100)).join('\n') + '\n',
    );
    const state = path.join(workdir, '.context-foundry');
    writeFileSync(path.join(state, 'test-iteration-count.txt'), '1\n');
    writeFileSync(
      path.join(state, 'test-results-iteration-1.md'),
      '# Tests\n- ✓ loads forecast\n- ✗ parseForecast converts units\n- ✗ search shows errors\n\n12 passed, 2 failed\n',
    );

    const server = await startTestServer({
      roots: [path.join(root, 'builds')],
      db: path.join(root, 'b.db'),
      claudeDirs: [claude],
    });
    // A viewer half an hour off any round UTC time: the time axis is relabelled in their zone.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'Asia/Kolkata',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await server.tailer.backfillDone;
      server.metrics.flush();
      const id = server.registry.list({ project: 'weather-app' }).sessions[0]!.id;
      await page.goto(`${server.url}/sessions/${id}`);
      await page.locator('#connection[data-conn="live"]').waitFor();

      const bars = page.locator('#session-metrics svg g.bar');
      await bars.first().waitFor();
      expect(await bars.count()).toBeGreaterThanOrEqual(4);
      const before = Number(await page.locator('#session-metrics').getAttribute('data-tokens'));
      expect(before).toBe(4 * 32_020 + 400 + 500 + 600 + 700);
      expect(await page.locator('#session-metrics g.iteration').count()).toBe(1);
      const tick = page.locator('#session-metrics svg.token-chart text.tick[data-at]').first();
      const [at, style] = [await tick.getAttribute('data-at'), await tick.getAttribute('data-local')];
      expect(style === 'minutes' || style === 'clock').toBe(true);
      expect(await tick.textContent()).toBe(
        formatLocalTime(at, style === 'clock' ? 'clock' : 'minutes', 'Asia/Kolkata'),
      );

      appendFileSync(transcript, `${transcriptLine(9, new Date().toISOString(), workdir, 5_000)}\n`);
      await page.waitForFunction(
        (expected) =>
          document.querySelector('#session-metrics')?.getAttribute('data-tokens') === String(expected),
        before + 37_020,
      );

      writeFileSync(
        path.join(state, 'test-results-iteration-2.md'),
        '- ✓ a\n- ✗ parseForecast converts units\n\n13 passed, 1 failed\n',
      );
      writeFileSync(path.join(state, 'test-iteration-count.txt'), '2\n');
      await page.locator('#session-metrics g.iteration[data-iteration="2"]').waitFor();
      expect(await page.locator('#session-metrics g.iteration').count()).toBe(2);
      await page.screenshot({ path: screenshotPath('metrics.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
      removeDir(root);
    }
  });
});

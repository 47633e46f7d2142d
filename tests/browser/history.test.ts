/**
 * History and comparison in real Chromium over a real server and a history of pushed runs: pick
 * two runs (the first picked is the baseline), open their comparison, switch to differences only,
 * and see both charts. Screenshots of both pages at 1440×900 go to test-results/ (and to
 * `BUILDCAST_SHOTS` when set) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { removeDir, tempDir } from '../helpers/server.js';
import type { FakeClock } from '../../src/shared/clock.js';
import { buildHistory, openHistory, pushRun, RUN_A, RUN_B, RUN_D, runId } from '../helpers/history.js';

/** Where a screenshot goes: test-results/, and a copy where `BUILDCAST_SHOTS` says. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  const extra = process.env['BUILDCAST_SHOTS'];
  if (!extra) return;
  mkdirSync(extra, { recursive: true });
  await page.screenshot({ path: path.join(extra, name), fullPage: true });
}

describe('history and comparison in Chromium', () => {
  let browser: Browser;
  let server: ServerHandle;
  let clock: FakeClock;
  let root = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    root = tempDir();
    const history = await buildHistory(root);
    ({ server, clock } = await openHistory(history, '2026-11-20T10:00:00Z'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(root);
  });

  it('picks two runs, compares them, shows differences only, and draws both charts', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${server.url}/history`);
      const compare = page.locator('#compare-button');
      await expect(compare.isDisabled()).resolves.toBe(true);
      await expect(page.locator('#compare-form tbody tr').count()).resolves.toBe(3);
      await expect(page.locator('svg.totals-chart').count()).resolves.toBe(3);
      await shoot(page, 'history.png');

      // B first, then A: B is the baseline.
      await page.locator(`input[value="${runId(RUN_B)}"]`).check();
      await expect(page.locator('#compare-count').textContent()).resolves.toBe(
        '1 selected: pick 1 more; the baseline is weather-app, 2026-11-12 10:00 UTC.',
      );
      await page.locator(`input[value="${runId(RUN_A)}"]`).check();
      await expect(compare.isDisabled()).resolves.toBe(false);
      await Promise.all([page.waitForURL(/\/compare\?/), compare.click()]);
      expect(new URL(page.url()).search).toBe(`?ids=${runId(RUN_B)},${runId(RUN_A)}`);

      await expect(page.locator('.verdict').textContent()).resolves.toBe(
        'B took 45 % longer and cost 28 % more; it needed one test-fix loop more.',
      );
      await expect(page.locator('svg.duration-chart').isVisible()).resolves.toBe(true);
      await expect(page.locator('svg.duration-chart rect.run-0').count()).resolves.toBe(6);
      await expect(page.locator('svg.curve-chart').count()).resolves.toBe(2);
      await expect(page.locator('svg.curve-chart path.line').count()).resolves.toBe(4);

      const rows = page.locator('#compare-table tr.figure-row');
      const visible = async () =>
        (await rows.evaluateAll((list) => list.filter((row) => row.checkVisibility()))).length;
      const all = await rows.count();
      expect(await visible()).toBe(all);
      await page.locator('#diff-only').check();
      // Project, outcome and every phase's test iterations but Test's are the same in both runs.
      expect(await visible()).toBe(all - 2 - 5);
      await expect(page.locator('tr.same').first().isVisible()).resolves.toBe(false);
      expect(new URL(page.url()).searchParams.get('diff')).toBe('1');
      await shoot(page, 'compare.png');

      await page.locator('#diff-only').uncheck();
      expect(await visible()).toBe(all);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows a running build its expected finish, phase by phase, and offers export and deletion', async () => {
    await pushRun(server, clock, RUN_D, '/builds/elsewhere');
    clock.advance(10 * 60_000);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${server.url}/sessions/${runId(RUN_D)}`);
      const forecast = page.locator('#forecast .forecast-finish');
      await forecast.waitFor();
      await expect(forecast.textContent()).resolves.toMatch(
        /Expected to finish at\s+2026-11-20 11:52:00 UTC, in\s+1h 17m\s+\(from 3 completed runs\)/,
      );
      await expect
        .poll(() => page.locator('#forecast tbody th').allTextContents())
        .toEqual(['Builder', 'Test', 'Documentation', 'Feedback']);
      await expect(page.locator('.run-actions a[href$="format=csv"]').count()).resolves.toBe(1);
      await shoot(page, 'session-forecast.png');
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

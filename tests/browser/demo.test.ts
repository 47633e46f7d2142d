/**
 * The demo, watched in Chromium: agents, the phase plan and the log tail change live while
 * simulated builds run, tokens and cost fill the cards, the session page draws the token chart
 * and the context gauge, and a failed phase blocks the phases after it.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoTranscripts, runDemo } from '../../src/demo/demo.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { eventually, removeDir, startTestServer, tempDir } from '../helpers/server.js';

declare const document: {
  querySelectorAll(selector: string): { length: number };
  querySelector(
    selector: string,
  ): { getAttribute(name: string): string | null; textContent: string | null } | null;
};

describe('demo in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows agents, tokens, cost, the context gauge, the plan and the log changing live, and a failure blocking what follows', async () => {
    const root = tempDir();
    const builds = path.join(root, 'builds');
    const claudeDir = await prepareDemoTranscripts(builds);
    const server = await startTestServer({
      roots: [root],
      claudeDirs: [claudeDir],
      db: path.join(root, 'demo.db'),
      stallMs: 600_000,
    });
    const controller = new AbortController();
    const demo = runDemo({
      root: builds,
      speed: 12,
      signal: controller.signal,
      claudeDir,
      push: { url: server.url, lines: false },
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      const weather = await eventually(
        () => server.registry.list({ project: 'weather-app' }).sessions[0],
        20_000,
      );
      // The cards fill in tokens and cost as the builds' transcripts are read.
      await page.goto(server.url);
      await page.locator('#connection[data-conn="live"]').waitFor();
      const card = page.locator(`#card-${weather.id}`);
      await page.waitForFunction(
        (id) => /^\$\d/.test(document.querySelector(`#card-${id} .stat-cost dd`)?.textContent?.trim() ?? ''),
        weather.id,
        { timeout: 30_000 },
      );
      expect(await card.locator('.stat-tokens dd').textContent()).toMatch(/^\s*[\d.]+[kM]?\s*$/);
      expect(await card.locator('.stat-cost dd.unknown').count()).toBe(0);

      await page.goto(`${server.url}/sessions/${weather.id}`);
      await page.locator('#connection[data-conn="live"]').waitFor();
      // The token chart draws bars over the phases, and the gauge shows the main loop's context.
      await page.locator('#session-metrics .bars g.bar').first().waitFor({ timeout: 30_000 });
      await page.locator('#session-metrics .phase-marker[data-phase="Scout"]').waitFor();
      const gauge = page.locator('#metrics-context .gauge[data-percent]');
      await gauge.waitFor({ timeout: 30_000 });
      expect(Number(await gauge.getAttribute('data-percent'))).toBeGreaterThan(0);
      expect(await gauge.getAttribute('data-level')).toBe('safe');
      expect(await page.locator('#session-metrics .metrics-empty').count()).toBe(0);

      // Builders spawn, work and finish while the page stays open.
      await page.locator('#agents li.agent[data-agent-id="builder-1"]').waitFor({ timeout: 30_000 });
      await page
        .locator('#agents li.agent[data-agent-id="builder-1"][data-status="completed"]')
        .waitFor({ timeout: 30_000 });
      expect(await page.locator('#agents li.agent').count()).toBeGreaterThanOrEqual(3);
      // The log tail grows without a reload, and the plan shows Builder's tasks.
      await page.locator('#log-lines li.log-line').first().waitFor({ timeout: 30_000 });
      const linesBefore = await page.locator('#log-lines li.log-line').count();
      await page.waitForFunction(
        (n) => document.querySelectorAll('#log-lines li.log-line').length > n,
        linesBefore,
        { timeout: 30_000 },
      );
      await page.locator('#timeline li.plan-task').first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: screenshotPath('demo-session.png'), fullPage: true });

      // The second build fails at Deploy; the phases after it are blocked, with the reason.
      const todo = await eventually(
        () => server.registry.list({ project: 'todo-api', state: 'failed' }).sessions[0],
        60_000,
      );
      await page.goto(`${server.url}/sessions/${todo.id}`);
      await page.locator('#timeline tr.t-row[data-status="failed"]').waitFor();
      expect(await page.locator('#timeline tr.t-row[data-status="failed"]').getAttribute('data-phase')).toBe(
        'Deploy',
      );
      expect(await page.locator('#timeline tr.t-row[data-status="blocked"]').count()).toBeGreaterThanOrEqual(
        1,
      );
      expect(await page.locator('#timeline .plan-reason').first().textContent()).toContain('Deploy failed');
      // The failure's error lines follow the phase file into the live log tail.
      await page.locator('#log-lines li.log-error').first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: screenshotPath('demo-failed.png'), fullPage: true });

      await page.goto(server.url + '/?tab=failed');
      await page.locator(`#card-${todo.id}`).waitFor();
      expect(errors).toEqual([]);
    } finally {
      controller.abort();
      await demo.catch(() => {});
      await page.close();
      await server.close();
      removeDir(root);
    }
  }, 120_000);
});

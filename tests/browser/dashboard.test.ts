/**
 * The dashboard in real Chromium against a real server over a real folder: a phase file written
 * to disk changes the page without a reload. (`npm test` builds the client first.)
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import { phase, removeDir, startTestServer, tempDir, writePhaseFile } from '../helpers/server.js';

// The callbacks given to page.evaluate run in the page; these are the only browser globals they use.
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const window: object;

describe('dashboard in Chromium', () => {
  let browser: Browser;
  let server: ServerHandle;
  let root: string;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string) {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url);
    await page.locator('#connection[data-conn="live"]').waitFor();
  }

  afterEach(async () => {
    await page?.close();
    await server?.close();
    removeDir(root);
    expect(pageErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('shows a new build, then its changes, without a reload', async () => {
    root = tempDir();
    server = await startTestServer({ roots: [root], db: path.join(root, 'buildcast.db') });
    await open(server.url);
    await expect(page.locator('p.empty[data-empty="active"]').textContent()).resolves.toContain(
      'No builds running',
    );
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    const workdir = path.join(root, 'weather');
    writePhaseFile(
      workdir,
      phase({
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'building',
        phases_completed: ['Scout', 'Architect'],
        progress_detail: 'Task 2/6: forecast API client',
      }),
    );
    const card = page.locator('#card-weather-app-20261120T140211Z');
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('Task 2/6: forecast API client');
    await expect(page.locator('#tab-active .count').textContent()).resolves.toContain('1');

    writePhaseFile(
      workdir,
      phase({
        current_phase: 'Test',
        phase_number: '4/7',
        status: 'self-healing',
        test_iteration: 2,
        phases_completed: ['Scout', 'Architect', 'Builder'],
        progress_detail: '12 passed, 3 failed: fixing',
      }),
    );
    await page.waitForFunction(() =>
      document
        .querySelector('#card-weather-app-20261120T140211Z')
        ?.textContent?.includes('12 passed, 3 failed'),
    );
    const text = (await card.textContent()) ?? '';
    expect(text).toMatch(/self-healing/i);
    expect(await card.locator('.seg[data-status="current"]').textContent()).toContain('Test');
    expect(await card.locator('.seg[data-status="done"]').count()).toBe(3);
    expect(await page.locator('time.fresh[data-fresh]').first().getAttribute('class')).toMatch(
      /fresh-(green|yellow|red)/,
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });

    writePhaseFile(
      workdir,
      phase({
        current_phase: 'Feedback',
        phase_number: '7/8',
        status: 'completed',
        phases_completed: [
          'Scout',
          'Architect',
          'Builder',
          'Test',
          'Screenshot',
          'Documentation',
          'Deploy',
          'Feedback',
        ],
      }),
    );
    await page.locator('p.empty[data-empty="active"]').waitFor();
    await expect(page.locator('#tab-completed .count').textContent()).resolves.toContain('1');
  });

  it('escapes everything a build wrote', async () => {
    root = tempDir();
    server = await startTestServer({ roots: [root], db: path.join(root, 'buildcast.db') });
    await open(server.url);
    writePhaseFile(
      path.join(root, 'evil'),
      phase({
        session_id: '<img src=x onerror=alert(1)>',
        progress_detail: '"><script>alert(2)</script>',
        current_phase: '<b>Test</b>',
      }),
    );
    const card = page.locator('article.card').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('article.card img, article.card script, article.card b').count()).toBe(0);
    await card.locator('a').first().click();
    await page.locator('#timeline').waitFor();
    expect(await page.locator('#raw-file').textContent()).toContain('<script>alert(2)</script>');
    expect(await page.locator('main img, main script').count()).toBe(0);
  });

  it('keeps the session page live, with warnings for a broken file', async () => {
    root = tempDir();
    server = await startTestServer({ roots: [root], db: path.join(root, 'buildcast.db') });
    const workdir = path.join(root, 'weather');
    writePhaseFile(workdir, phase({ status: 'completed', phases_completed: ['Scout'] }));
    writePhaseFile(
      workdir,
      phase({
        current_phase: 'Architect',
        phase_number: '2/7',
        status: 'designing',
        phases_completed: ['Scout'],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await open(`${server.url}/sessions/weather-app-20261120T140211Z`);
    await expect(page.locator('#timeline').textContent()).resolves.toContain('Architect');

    writePhaseFile(workdir, '{"current_phase": "Buil');
    await page.waitForFunction(() =>
      document.querySelector('#warnings')?.textContent?.includes('current-phase.json'),
    );
    writePhaseFile(
      workdir,
      phase({
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'building',
        phases_completed: ['Scout', 'Architect'],
      }),
    );
    await page.waitForFunction(() => document.querySelector('#timeline')?.textContent?.includes('Builder'));
    await page.waitForFunction(
      () => !document.querySelector('#warnings')?.textContent?.includes('current-phase.json'),
    );
    expect(await page.locator('#timeline tr.t-row[data-status="completed"]').count()).toBeGreaterThanOrEqual(
      2,
    );
    await page.screenshot({ path: screenshotPath('session.png'), fullPage: true });
  });

  it('shows that it is reconnecting when the server goes away, keeping what it showed', async () => {
    root = tempDir();
    server = await startTestServer({ roots: [root], db: path.join(root, 'buildcast.db') });
    writePhaseFile(path.join(root, 'weather'), phase());
    await new Promise((resolve) => setTimeout(resolve, 300));
    await open(server.url);
    await page.locator('article.card').waitFor();
    await server.close();
    await page.locator('#connection[data-conn="reconnecting"]').waitFor();
    expect(await page.locator('article.card').count()).toBe(1);
  });
});

/**
 * The page's dead-connection timer follows the server's `--heartbeat`, as `hello` announces it:
 * real Chromium on a real server, with the page's clock under the test's control (Playwright's
 * fake clock) so a minute of silence takes no minute.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { launchBrowser } from '../helpers/browser.js';
import { eventually, removeDir, startTestServer, tempDir } from '../helpers/server.js';

describe('dead-connection timer in Chromium', () => {
  let browser: Browser;
  let server: ServerHandle | null = null;
  let root: string;
  let page: Page | null = null;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await page?.close();
    await server?.close();
    removeDir(root);
    expect(pageErrors).toEqual([]);
  });

  it('keeps an idle page on a server beating every 20 s connected, and gives up after three missed beats', async () => {
    root = tempDir();
    // No heartbeat arrives during the test: the page hears only hello and snapshot.
    server = await startTestServer({
      roots: [root],
      db: path.join(root, 'buildcast.db'),
      heartbeatMs: 20_000,
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    let sockets = 0;
    page.on('websocket', () => sockets++);
    await page.clock.install();
    await page.goto(server.url);
    await page.locator('#connection[data-conn="live"]').waitFor();
    expect(sockets).toBe(1);

    // 55 silent seconds: far past the fixed 15 s the page once waited, short of 3 × 20 s.
    await page.clock.runFor(30_000);
    await page.clock.runFor(25_000);
    expect(await page.locator('#connection').getAttribute('data-conn')).toBe('live');
    expect(sockets).toBe(1);
    expect(server.hub.size).toBe(1);

    // Past 60 s of silence the socket is called dead and replaced.
    await page.clock.runFor(10_000);
    await eventually(() => sockets === 2);
    await page.clock.runFor(2_000);
    await page.locator('#connection[data-conn="live"]').waitFor();
  });
});

/**
 * The overlay in real Chromium at each layout's true size, as OBS draws a Browser Source: a
 * transparent background away from its card, nothing that scrolls, no cursor; screenshots over a
 * dark and a light backdrop for a person to look at; and the setup page's live preview.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_SIZES, LAYOUTS, type OverlayLayout } from '../../src/shared/overlay-params.js';
import type { ServerHandle } from '../../src/server/main.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';
import {
  alphaAt,
  openOverlay,
  shootOverBackdrop,
  untilLive,
  writeBuild,
  writeTestResults,
} from '../helpers/overlay.js';
import { eventually, removeDir, startTestServer, tempDir } from '../helpers/server.js';

declare const document: {
  documentElement: { scrollWidth: number; scrollHeight: number };
  body: { scrollWidth: number; scrollHeight: number };
  querySelector(selector: string): object | null;
};
declare const window: {
  innerWidth: number;
  innerHeight: number;
  getComputedStyle(el: object): Record<string, string>;
};

/** A point well inside the card of each layout. */
const INSIDE: Readonly<Record<OverlayLayout, [number, number]>> = {
  corner: [240, 135],
  'lower-third': [960, 80],
  ticker: [960, 24],
  full: [960, 540],
};

describe('overlay layouts in Chromium', () => {
  let browser: Browser;
  let server: ServerHandle;
  let root: string;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    root = tempDir();
    server = await startTestServer({ roots: [root], db: path.join(root, 'buildcast.db') });
    const workdir = path.join(root, 'weather');
    writeBuild(workdir, {
      current_phase: 'Test',
      phase_number: '4/7',
      status: 'self-healing',
      progress_detail: 'Fixing the forecast parser (iteration 2)',
      test_iteration: 2,
      phases_completed: ['Scout', 'Architect', 'Builder'],
    });
    writeTestResults(workdir, 2, 12, 2, ['forecast parses wind', 'alerts are sorted']);
    await eventually(() => server.registry.size === 1);
    await fetch(`${server.url}/api/agent-update`, {
      method: 'POST',
      body: JSON.stringify({
        session_id: 'weather-app',
        agent_id: 'tester-1',
        agent_name: 'Tester',
        status: 'active',
      }),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(root);
  });
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it.each(LAYOUTS)(
    'draws %s at its size over a transparent background, and nothing scrolls',
    async (layout) => {
      const { width, height } = LAYOUT_SIZES[layout];
      const overlay = await openOverlay(
        browser,
        `${server.url}/overlay?layout=${layout}&panels=phase,pipeline,tests,tokens,cost,agents,log`,
        layout,
      );
      try {
        await untilLive(overlay.page);
        const look = await overlay.page.evaluate(() => {
          const style = window.getComputedStyle(document.querySelector('body')!);
          return {
            scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
            bodyScroll: [document.body.scrollWidth, document.body.scrollHeight],
            viewport: [window.innerWidth, window.innerHeight],
            background: style['backgroundColor'],
            cursor: style['cursor'],
            overflow: window.getComputedStyle(document.querySelector('html')!)['overflow'],
          };
        });
        expect(look.viewport).toEqual([width, height]);
        expect(look.scroll[0]).toBeLessThanOrEqual(width);
        expect(look.scroll[1]).toBeLessThanOrEqual(height);
        expect(look.bodyScroll[0]).toBeLessThanOrEqual(width);
        expect(look.bodyScroll[1]).toBeLessThanOrEqual(height);
        expect(look).toMatchObject({ background: 'rgba(0, 0, 0, 0)', cursor: 'none', overflow: 'hidden' });

        const png = await overlay.page.screenshot({ omitBackground: true });
        const corners: Array<[number, number]> = [
          [1, 1],
          [width - 2, 1],
          [1, height - 2],
          [width - 2, height - 2],
        ];
        const [inside, ...outside] = await alphaAt(browser, png, [INSIDE[layout], ...corners]);
        expect(outside).toEqual([0, 0, 0, 0]);
        expect(inside).toBeGreaterThan(200);
        errors.push(...overlay.errors);
      } finally {
        await overlay.close();
      }
    },
  );

  it('is saved over a dark and a light backdrop, in both themes, for a person to look at', async () => {
    for (const layout of LAYOUTS) {
      for (const theme of ['dark', 'light'] as const) {
        for (const [backdrop, colour] of [
          ['dark', '#15181d'],
          ['light', '#eef0f3'],
        ] as const) {
          const url = `${server.url}/overlay?layout=${layout}&theme=${theme}${layout === 'full' ? '' : '&panels=phase,pipeline,tests,tokens,cost,agents'}`;
          await shootOverBackdrop(
            browser,
            url,
            layout,
            colour,
            screenshotPath(`overlay-${layout}-${theme}-over-${backdrop}.png`),
          );
        }
      }
    }
  });

  it('previews the overlay live at its true size on the setup page, with the URL, width and height for OBS', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(`${server.url}/overlay/setup`);
      const preview = page.frameLocator('#overlay-preview-frame');
      await preview.locator('body[data-conn="live"]').waitFor();
      expect(await page.inputValue('#overlay-url')).toBe(`${server.url}/overlay?layout=corner`);
      expect(await page.locator('#overlay-preview-frame').boundingBox()).toMatchObject({
        width: 480,
        height: 270,
      });

      await page.check('input[name="layout"][value="lower-third"]');
      await page.selectOption('select[name="scale"]', '0.5');
      await page.uncheck('input[name="panels"][value="agents"]');
      await page.selectOption('select[name="session"]', 'project:weather-app');
      const url = `${server.url}/overlay?session=project:weather-app&layout=lower-third&scale=0.5&panels=phase,pipeline,tests,tokens,cost`;
      await page.waitForFunction(
        (expected) =>
          (document.querySelector('#overlay-url') as { value?: string } | null)?.value === expected,
        url,
      );
      expect(await page.inputValue('#overlay-width')).toBe('960');
      expect(await page.inputValue('#overlay-height')).toBe('80');
      await eventually(
        async () => (await page.locator('#overlay-preview-frame').boundingBox())?.width === 960,
      );
      expect(await page.locator('#overlay-preview-frame').boundingBox()).toMatchObject({
        width: 960,
        height: 80,
      });
      await preview.locator('body.layout-lower-third.scale-50[data-conn="live"]').waitFor();
      await expect(preview.locator('.ov-phase-name').textContent()).resolves.toBe('Test');
      expect(page.url()).toContain('/overlay/setup?session=project:weather-app&layout=lower-third');

      await page.click('button[data-copy="overlay-url"]');
      await page.locator('button[data-copy="overlay-url"]', { hasText: 'Copied' }).waitFor();
      expect(
        await page.evaluate(() =>
          (
            globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
          ).navigator.clipboard.readText(),
        ),
      ).toBe(url);

      await page.selectOption('select[name="backdrop"]', 'light');
      await page.locator('#overlay-preview.backdrop-light').waitFor();
      await page.screenshot({ path: screenshotPath('overlay-setup.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

/**
 * The overlay live in real Chromium: it changes in place when the phase file does (the same
 * elements, a moment a viewer notices, honouring reduced motion), keeps its last state while the
 * server is gone and catches up when it is back, shows the state in its very first paint (even
 * with no script at all), and keeps its DOM the same size however long it runs.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { overlayRig, untilLive, writeBuild, writeTestResults } from '../helpers/overlay.js';
import { eventually, tempDir } from '../helpers/server.js';

interface Probe {
  probe?: number;
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): Probe | null;
  getElementsByTagName(name: string): { length: number };
  body: { getAttribute(name: string): string | null };
};
declare const window: {
  moments: string[];
  getComputedStyle(el: object): { animationName: string };
};
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: object, options: { attributes: boolean; attributeFilter: string[] }): void;
}

describe('overlay live in Chromium', () => {
  const rig = overlayRig();

  async function withBuild(): Promise<ServerHandle> {
    rig.newBuild({
      current_phase: 'Builder',
      phase_number: '3/7',
      status: 'building',
      phases_completed: ['Scout', 'Architect'],
    });
    const handle = await rig.start();
    await eventually(() => handle.registry.size === 1);
    return handle;
  }

  /** Marks the card so the test can tell whether it is still the same element; records moments. */
  async function watch(page: Page): Promise<void> {
    await page.evaluate(() => {
      document.querySelector('.ov-card')!.probe = 1;
      window.moments = [];
      new MutationObserver(() => {
        const moment = document.body.getAttribute('data-moment');
        if (moment) window.moments.push(moment);
      }).observe(document.body, { attributes: true, attributeFilter: ['data-moment'] });
    });
  }
  const sameCard = (page: Page) => page.evaluate(() => document.querySelector('.ov-card')?.probe === 1);
  const phaseShown = (page: Page) => page.locator('.ov-phase-name').textContent();
  const untilPhase = (page: Page, name: string) =>
    page.locator('.ov-phase-name', { hasText: new RegExp(`^${name}$`) }).waitFor();

  it('changes in place when the phase file does, and plays the moments a viewer notices', async () => {
    const live = await withBuild();
    const overlay = await rig.open(`${live.url}/overlay`, 'corner');
    const { page } = overlay;
    await untilLive(page);
    await watch(page);

    writeBuild(rig.workdir, {
      current_phase: 'Test',
      phase_number: '4/7',
      status: 'testing',
      phases_completed: ['Scout', 'Architect', 'Builder'],
    });
    await untilPhase(page, 'Test');
    expect(
      await page.evaluate(
        () => window.getComputedStyle(document.querySelector('.ov-phase-name')!).animationName,
      ),
    ).toBe('ov-arrive');
    writeTestResults(rig.workdir, 1, 10, 2, ['forecast parses wind']);
    await page.locator('#overlay[data-tests="failing"]').waitFor();
    writeTestResults(rig.workdir, 2, 12, 0);
    await page.locator('#overlay[data-tests="passing"]').waitFor();
    writeBuild(rig.workdir, {
      current_phase: 'Feedback',
      phase_number: '7/7',
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
    });
    await page.locator('#overlay[data-state="completed"]').waitFor();
    await expect(page.locator('.badge').textContent()).resolves.toBe('Completed');

    expect(await page.evaluate(() => window.moments)).toEqual(['phase', 'green', 'completed']);
    expect(await sameCard(page)).toBe(true);
    expect(overlay.sockets()).toBe(1);
  });

  it('waits for a build, shows it as soon as it starts, and switches to the next one the same way', async () => {
    rig.root = tempDir();
    const live = await rig.start();
    const overlay = await rig.open(`${live.url}/overlay?layout=ticker`, 'ticker');
    const { page } = overlay;
    await untilLive(page);
    await expect(page.locator('.ov-detail').textContent()).resolves.toBe('Waiting for a build…');

    writeBuild(path.join(rig.root, 'weather'), { started_at: '2026-11-20T14:02:11Z' });
    await page.locator('.ov-project', { hasText: 'weather-app' }).waitFor();
    writeBuild(path.join(rig.root, 'todo'), { session_id: 'todo-api', started_at: '2026-11-20T15:00:00Z' });
    await page.locator('.ov-project', { hasText: 'todo-api' }).waitFor();
    writeBuild(path.join(rig.root, 'todo'), {
      session_id: 'todo-api',
      started_at: '2026-11-20T15:00:00Z',
      current_phase: 'Deploy',
      phase_number: '6/8',
      status: 'failed',
    });
    await page.locator('#overlay[data-state="failed"]').waitFor();
    // The older build goes on; the failed one stays on screen until a new one starts.
    writeBuild(path.join(rig.root, 'weather'), {
      started_at: '2026-11-20T14:02:11Z',
      progress_detail: 'Still going',
    });
    await eventually(
      () => live.registry.list({ project: 'weather-app' }).sessions[0]?.progressDetail === 'Still going',
    );
    await expect(page.locator('.ov-project').textContent()).resolves.toBe('todo-api');
    const again = await page.request.get(`${live.url}/overlay/fragment?layout=ticker`);
    expect(await again.text()).toContain('data-project="todo-api"');
    expect(overlay.sockets()).toBe(1);
  });

  it('keeps its moments still for a viewer who asked for reduced motion', async () => {
    const live = await withBuild();
    const overlay = await rig.open(`${live.url}/overlay`, 'corner', { reducedMotion: 'reduce' });
    const { page } = overlay;
    await untilLive(page);
    writeBuild(rig.workdir, { current_phase: 'Test', phase_number: '4/7', status: 'testing' });
    await page.locator('body[data-moment="phase"]').waitFor();
    expect(
      await page.evaluate(
        () => window.getComputedStyle(document.querySelector('.ov-phase-name')!).animationName,
      ),
    ).toBe('none');
  });

  it('keeps the last state on screen while the server is gone, and catches up once it is back', async () => {
    const live = await withBuild();
    const port = live.port;
    const overlay = await rig.open(`${live.url}/overlay`, 'corner');
    const { page } = overlay;
    await untilLive(page);
    await watch(page);

    await live.close();
    rig.server = null;
    await page.locator('body[data-conn="reconnecting"]').waitFor();
    expect(await phaseShown(page)).toBe('Builder');
    expect(await page.locator('.ov-detail').textContent()).toBe('Reading the task');

    writeBuild(rig.workdir, {
      current_phase: 'Architect',
      phase_number: '2/7',
      status: 'designing',
      progress_detail: 'Drawing the modules',
    });
    await rig.start({ port });
    await untilLive(page);
    await untilPhase(page, 'Architect');
    await expect(page.locator('.ov-detail').textContent()).resolves.toBe('Drawing the modules');
    expect(await sameCard(page)).toBe(true);
  });

  it('shows the state in its first paint, with no script at all', async () => {
    const live = await withBuild();
    const overlay = await rig.open(`${live.url}/overlay?layout=lower-third`, 'lower-third', {
      javaScriptEnabled: false,
    });
    const { page } = overlay;
    expect(await phaseShown(page)).toBe('Builder');
    await expect(page.locator('.ov-project').textContent()).resolves.toBe('weather-app');
    expect(await page.locator('.ov-seg-done').count()).toBe(2);
    await page.reload();
    expect(await phaseShown(page)).toBe('Builder');
    expect(overlay.sockets()).toBe(0);
  });

  it('keeps the same number of elements through many updates', async () => {
    const live = await withBuild();
    const overlay = await rig.open(`${live.url}/overlay?layout=full`, 'full');
    const { page } = overlay;
    await untilLive(page);
    const post = (text: string) =>
      fetch(`${live.url}/api/broadcast/weather-app-20261120T140211Z`, { method: 'POST', body: text });
    for (let i = 0; i < 12; i++) await post(`warming up ${i}`);
    await page.locator('.ov-log-line', { hasText: 'warming up 11' }).waitFor();
    const count = () => page.evaluate(() => document.getElementsByTagName('*').length);
    const before = await count();
    for (let i = 0; i < 40; i++) {
      await post(`line ${i}`);
      writeBuild(rig.workdir, {
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'building',
        progress_detail: `Task ${i}`,
      });
      if (i % 10 === 9) await page.locator('.ov-detail', { hasText: new RegExp(`^Task ${i}$`) }).waitFor();
    }
    await page.locator('.ov-log-line', { hasText: 'line 39' }).waitFor();
    expect(await count()).toBe(before);
    expect(await page.locator('.ov-log-line').count()).toBe(10);
  });
});

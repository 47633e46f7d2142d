/**
 * Redaction as a stream sees it, in real Chromium: with `redact=1`, a home path, an API key, an
 * e-mail address and a URL with credentials planted everywhere a build writes never reach the
 * overlay's HTML, its socket frames or its DOM, first paint and live updates alike; and the
 * overlay token opens the overlay, live and redacted, but not the dashboard, the API or ingest.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/server/config.js';
import type { ServerHandle } from '../../src/server/main.js';
import { overlayRig, untilLive, writeBuild, writeTestResults, type OverlayPage } from '../helpers/overlay.js';
import { eventually, phase } from '../helpers/server.js';

declare const document: { documentElement: { outerHTML: string } };

const HOME = '/home/alice/secret-project';
const KEY = 'sk-ant-api03-Abcdefghijklmnop_qrstuvwxyz0123456789';
const MAIL = 'alice@example.com';
const CREDENTIALED = 'https://alice:hunter2pass@git.example.com/weather.git';
const LATER_KEY = 'ghp_Zyxwvutsrqponmlkjihgfedcba9876543210';
const LEAKS = ['/home/alice', KEY, MAIL, 'hunter2pass', LATER_KEY];
const leaksIn = (texts: readonly string[]): string[] =>
  LEAKS.filter((leak) => texts.some((text) => text.includes(leak)));

describe('overlay redaction in Chromium', () => {
  const rig = overlayRig();

  /** A build that leaks in its phase file, test results, log and agents. */
  async function leakyBuild(overrides: Partial<Config> = {}): Promise<ServerHandle> {
    rig.newBuild({
      current_phase: 'Test',
      phase_number: '4/7',
      status: 'testing',
      progress_detail: `Testing ${HOME} with ${KEY} for ${MAIL}`,
      phases_completed: ['Scout', 'Architect', 'Builder'],
    });
    writeTestResults(rig.workdir, 1, 3, 1, [`${HOME}/test/forecast.test.ts`]);
    const live = await rig.start(overrides);
    await eventually(() => live.registry.size === 1);
    const auth = overrides.token ? { Authorization: `Bearer ${overrides.token}` } : undefined;
    await fetch(`${live.url}/api/broadcast/weather-app-20261120T140211Z`, {
      method: 'POST',
      headers: auth,
      body: `git push ${CREDENTIALED} from ${HOME}`,
    });
    await fetch(`${live.url}/api/agent-update`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        session_id: 'weather-app',
        agent_id: 'tester-1',
        agent_name: `Tester for ${MAIL}`,
        status: 'active',
        phase: 'Test',
      }),
    });
    return live;
  }

  const domOf = (overlay: OverlayPage) => overlay.page.evaluate(() => document.documentElement.outerHTML);

  it('with redact=1, lets none of them reach the HTML, the frames or the DOM, first paint and live', async () => {
    const live = await leakyBuild();
    const overlay = await rig.open(`${live.url}/overlay?layout=full&redact=1`, 'full');
    await untilLive(overlay.page);
    await overlay.page.locator('.ov-log-line').first().waitFor();
    await expect(overlay.page.locator('.ov-detail').textContent()).resolves.toBe(
      'Testing [path] with [secret] for [email]',
    );

    writeBuild(rig.workdir, {
      current_phase: 'Deploy',
      phase_number: '6/8',
      status: 'deploying',
      progress_detail: `Deploying with ${LATER_KEY} to ${CREDENTIALED}`,
    });
    await overlay.page.locator('.ov-phase-name', { hasText: 'Deploy' }).waitFor();
    await expect(overlay.page.locator('.ov-detail').textContent()).resolves.toBe(
      'Deploying with [secret] to [url]',
    );

    const frames = overlay.frames;
    expect(frames.some((frame) => frame.includes('Deploying with [secret]'))).toBe(true);
    expect(leaksIn(frames)).toEqual([]);
    expect(overlay.answers.length).toBeGreaterThanOrEqual(2);
    expect(leaksIn(overlay.answers)).toEqual([]);
    expect(leaksIn([await domOf(overlay)])).toEqual([]);
  });

  it('without redact=1 on this machine, shows the build as it is (the leaks above are real)', async () => {
    const live = await leakyBuild();
    const overlay = await rig.open(`${live.url}/overlay?layout=full`, 'full');
    await untilLive(overlay.page);
    await overlay.page.locator('.ov-log-line').first().waitFor();
    expect(leaksIn([await domOf(overlay)])).toEqual(['/home/alice', KEY, MAIL, 'hunter2pass']);
  });

  it('opens with the overlay token, live and redacted, and that token opens nothing else', async () => {
    const live = await leakyBuild({ token: 'owner-secret', overlayToken: 'stream-token' });
    const overlay = await rig.open(`${live.url}/overlay?layout=full&token=stream-token`, 'full');
    const { page } = overlay;
    await untilLive(page);
    writeBuild(rig.workdir, {
      current_phase: 'Deploy',
      phase_number: '6/8',
      status: 'deploying',
      progress_detail: `Using ${LATER_KEY}`,
    });
    await page.locator('.ov-detail', { hasText: 'Using [secret]' }).waitFor();
    expect(leaksIn([...overlay.frames, ...overlay.answers, await domOf(overlay)])).toEqual([]);

    // The same browser, with the overlay's cookie and the token in hand.
    for (const closed of ['/', '/?token=stream-token', '/sessions/weather-app', '/overlay/setup']) {
      const answer = await page.goto(`${live.url}${closed}`);
      expect([closed, answer?.status()]).toEqual([closed, 401]);
    }
    expect((await page.request.get(`${live.url}/api/sessions`)).status()).toBe(401);
    expect((await page.request.get(`${live.url}/api/sessions?token=stream-token`)).status()).toBe(401);
    const push = await page.request.post(`${live.url}/api/phase-update`, {
      headers: { Authorization: 'Bearer stream-token' },
      data: phase(),
    });
    expect(push.status()).toBe(401);
  });
});

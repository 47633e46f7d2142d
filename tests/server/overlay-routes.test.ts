/**
 * The overlay over HTTP and its live stream, against a real server and a real build folder:
 * its first paint, redaction on the server (asked for, with the overlay token, beyond loopback),
 * and the overlay token, which opens the overlay and nothing else and changes with a restart.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/server/config.js';
import type { ServerHandle } from '../../src/server/main.js';
import {
  eventually,
  FrameClient,
  phase,
  removeDir,
  startTestServer,
  tempDir,
  writePhaseFile,
} from '../helpers/server.js';

const KEY = 'sk-ant-api03-Abcdefghijklmnop_qrstuvwxyz0123456789';
const HOME = '/home/alice/secret-project';
const MAIL = 'alice@example.com';
const CREDENTIALED = 'https://alice:hunter2pass@git.example.com/r.git';
const LEAKS = [KEY, '/home/alice', MAIL, 'hunter2pass'];
const leaksIn = (text: string): string[] => LEAKS.filter((leak) => text.includes(leak));

describe('overlay routes', () => {
  let server: ServerHandle | null = null;
  let root = '';
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  async function start(overrides: Partial<Config> = {}, db?: string): Promise<ServerHandle> {
    root ||= tempDir();
    server = await startTestServer({
      roots: [root],
      db: db ?? path.join(root, 'buildcast.db'),
      ...overrides,
    });
    return server;
  }

  async function withBuild(overrides: Partial<Config> = {}): Promise<ServerHandle> {
    const handle = await start(overrides);
    writePhaseFile(
      path.join(root, 'weather'),
      phase({ progress_detail: `Testing ${HOME} with ${KEY} for ${MAIL} via ${CREDENTIALED}` }),
    );
    await eventually(() => handle.registry.size === 1);
    return handle;
  }

  const get = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${server!.url}${url}`, { headers });
  const ws = (url: string, headers: Record<string, string> = {}) =>
    FrameClient.connect(`${server!.url.replace('http', 'ws')}${url}`, headers);
  const cookieOf = (answer: Response) => answer.headers.get('set-cookie')?.split(';')[0] ?? null;

  it('paints the build in its first answer, and redacts page and fragment when asked', async () => {
    await withBuild();
    const plain = await get('/overlay');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-frame-options')).toBeNull();
    expect(plain.headers.get('content-security-policy')).not.toContain('frame-ancestors');
    const page = await plain.text();
    expect(page).toContain('data-session-id="weather-app-20261120T140211Z"');
    expect(page).toContain('Scout');
    expect(leaksIn(page)).toEqual(LEAKS);

    const redacted = await (await get('/overlay?redact=1')).text();
    expect(leaksIn(redacted)).toEqual([]);
    expect(redacted).toContain('Testing [path] with [secret] for [email] via [url]');
    const fragment = await (await get('/overlay/fragment?redact=1&layout=full')).text();
    expect(fragment.trim()).toMatch(/^<div\s+id="overlay"/);
    expect(leaksIn(fragment)).toEqual([]);
  });

  it('opens the overlay with the overlay token, redacted, and nothing else', async () => {
    await withBuild({ token: 'owner-secret', overlayToken: 'stream-token' });
    const opened = await get('/overlay?token=stream-token');
    expect(opened.status).toBe(200);
    expect(leaksIn(await opened.text())).toEqual([]);
    const cookie = cookieOf(opened)!;
    expect(cookie).toMatch(/^buildcast_overlay=/);
    expect(cookie).not.toContain('stream-token');
    const withCookie = { Cookie: cookie };

    for (const asset of [
      '/overlay/fragment',
      '/assets/overlay.css',
      '/assets/client/overlay.js',
      '/assets/client/morph.js',
      '/assets/shared/overlay-dom.js',
    ]) {
      const answer = await get(asset, withCookie);
      expect([asset, answer.status]).toEqual([asset, 200]);
      expect(leaksIn(await answer.text())).toEqual([]);
    }
    for (const closed of [
      '/',
      '/api/sessions',
      '/assets/client/main.js',
      '/overlay/setup',
      '/sessions/weather-app',
    ]) {
      expect([closed, (await get(closed, withCookie)).status]).toEqual([closed, 401]);
      expect([closed, (await get(`${closed}?token=stream-token`)).status]).toEqual([closed, 401]);
    }
    const push = await fetch(`${server!.url}/api/phase-update`, {
      method: 'POST',
      headers: { Authorization: 'Bearer stream-token' },
      body: JSON.stringify(phase()),
    });
    expect(push.status).toBe(401);
    await expect(ws('/ws?token=stream-token')).rejects.toThrow(/401/);

    const live = await ws('/overlay/ws?token=stream-token');
    expect(live.of('snapshot')[0]!.sessions).toHaveLength(1);
    expect(leaksIn(JSON.stringify(live.frames))).toEqual([]);
    live.close();
    const byCookie = await ws('/overlay/ws', withCookie);
    expect(leaksIn(JSON.stringify(byCookie.frames))).toEqual([]);
    byCookie.close();

    // The owner sees the overlay as it is, and the URL for OBS on the setup page.
    expect(leaksIn(await (await get('/overlay?token=owner-secret')).text())).toEqual(LEAKS);
    const setup = await (await get('/overlay/setup?token=owner-secret')).text();
    expect(setup).toContain('/overlay?layout=corner&amp;token=stream-token');
  });

  it('makes an overlay token when --token is set and none is given, and a restart makes another', async () => {
    const first = await withBuild({ token: 'owner-secret' });
    const tokenOf = async () => {
      const setup = await (await get('/overlay/setup?token=owner-secret')).text();
      return /token=([\w-]+)"/.exec(setup)?.[1];
    };
    const made = await tokenOf();
    expect(made).toMatch(/^[\w-]{20,}$/);
    expect((await get(`/overlay?token=${made}`)).status).toBe(200);
    expect((await get(`/?token=${made}`)).status).toBe(401);

    const db = path.join(root, 'buildcast.db');
    await first.close();
    await start({ token: 'owner-secret' }, db);
    const next = await tokenOf();
    expect(next).not.toBe(made);
    expect((await get(`/overlay?token=${made}`)).status).toBe(401);
    expect((await get(`/overlay?token=${next}`)).status).toBe(200);
  });

  it('redacts what the overlay token opens even on a server with no token of its own', async () => {
    await withBuild({ overlayToken: 'stream-token' });
    expect(leaksIn(await (await get('/overlay?token=stream-token')).text())).toEqual([]);
    expect(leaksIn(await (await get('/overlay')).text())).toEqual(LEAKS);
    const live = await ws('/overlay/ws?token=stream-token');
    expect(leaksIn(JSON.stringify(live.frames))).toEqual([]);
    live.close();
    const plain = await ws('/overlay/ws');
    expect(leaksIn(JSON.stringify(plain.frames))).toEqual(LEAKS);
    plain.close();
  });

  it('always redacts the overlay of a server bound beyond loopback, whoever asks', async () => {
    await withBuild({ host: '0.0.0.0', token: 'owner-secret', overlayToken: 'stream-token' });
    expect(leaksIn(await (await get('/overlay?token=owner-secret')).text())).toEqual([]);
    const live = await ws('/overlay/ws?token=owner-secret');
    expect(leaksIn(JSON.stringify(live.frames))).toEqual([]);
    live.close();
    expect(await (await get('/overlay/setup?token=owner-secret')).text()).toContain('Always redacted');
    // The dashboard itself is not redacted: it is not shown on a stream.
    expect(leaksIn(await (await get('/api/sessions?token=owner-secret')).text())).toEqual(LEAKS);
  });
});

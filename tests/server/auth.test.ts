/**
 * SPEC 7: with a token, ingest and (unless --public) viewing need it; a browser that showed the
 * right token keeps a viewer cookie, which is never the token and never enough to write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { FrameClient, phase, startTestServer } from '../helpers/server.js';

describe('token', () => {
  let server: ServerHandle | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const push = (headers: Record<string, string> = {}) =>
    fetch(`${server!.url}/api/phase-update`, { method: 'POST', headers, body: JSON.stringify(phase()) });
  const wsUrl = (suffix: string) => `${server!.url.replace('http', 'ws')}${suffix}`;
  /** `name=value` of the `Set-Cookie` a page answer carries, or null. */
  const cookieOf = (answer: Response) => answer.headers.get('set-cookie')?.split(';')[0] ?? null;

  it('refuses ingest and viewing without it, and accepts a bearer header, ?token= and the cookie it sets', async () => {
    server = await startTestServer({ token: 's3cret' });
    const refused = await push();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await push({ Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await push({ Authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await fetch(`${server.url}/api/sessions`)).status).toBe(401);

    const page = await fetch(`${server.url}/?token=s3cret`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toMatch(/^buildcast_token=[^;]+; .*HttpOnly/);
    const cookie = cookieOf(page)!;
    expect(cookie).not.toContain('s3cret');
    const fragment = await fetch(`${server.url}/fragments/sessions?tab=all`, { headers: { Cookie: cookie } });
    expect(fragment.status).toBe(200);
    await expect(FrameClient.connect(wsUrl('/ws'))).rejects.toThrow(/401/);
    const byQuery = await FrameClient.connect(wsUrl('/ws?token=s3cret'));
    expect(byQuery.of('snapshot')[0]!.sessions).toHaveLength(1);
    byQuery.close();
    const byCookie = await FrameClient.connect(wsUrl('/ws'), { Cookie: cookie });
    expect(byCookie.of('snapshot')[0]!.sessions).toHaveLength(1);
    byCookie.close();
  });

  it('sets no cookie for a wrong ?token=, and the cookie alone never pushes', async () => {
    server = await startTestServer({ token: 's3cret' });
    const wrong = await fetch(`${server.url}/?token=anything`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const cookie = cookieOf(await fetch(`${server.url}/?token=s3cret`))!;
    const pushed = await push({ Cookie: cookie });
    expect(pushed.status).toBe(401);
    // The token itself as a cookie is not a viewer cookie either.
    expect(
      (await fetch(`${server.url}/api/sessions`, { headers: { Cookie: 'buildcast_token=s3cret' } })).status,
    ).toBe(401);
  });

  it('with --public, lets anyone view but still guards ingest, and hands out no cookie for a guess', async () => {
    server = await startTestServer({ token: 's3cret', public: true });
    expect((await fetch(`${server.url}/api/sessions`)).status).toBe(200);
    expect((await push()).status).toBe(401);
    expect((await fetch(`${server.url}/v1/logs`, { method: 'POST', body: '{}' })).status).toBe(401);

    const guess = await fetch(`${server.url}/?token=anything`);
    expect(guess.status).toBe(200);
    expect(guess.headers.get('set-cookie')).toBeNull();

    const cookie = cookieOf(await fetch(`${server.url}/?token=s3cret`))!;
    expect(cookie).toMatch(/^buildcast_token=/);
    expect(cookie).not.toBe('buildcast_token=s3cret');
    for (const route of [
      '/api/phase-update',
      '/api/agent-update',
      '/api/broadcast/weather-app',
      '/v1/logs',
    ]) {
      const answer = await fetch(`${server.url}${route}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        body: JSON.stringify(phase()),
      });
      expect({ route, status: answer.status }).toEqual({ route, status: 401 });
    }
    const list = (await (await fetch(`${server.url}/api/sessions?state=all`)).json()) as { total: number };
    expect(list.total).toBe(0);
  });
});

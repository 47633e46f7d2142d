/** SPEC 7: with a token, ingest and (unless --public) viewing need it; a browser keeps it in a cookie. */
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
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/buildcast_token=s3cret; .*HttpOnly/);
    const fragment = await fetch(`${server.url}/fragments/sessions?tab=all`, {
      headers: { Cookie: cookie.split(';')[0]! },
    });
    expect(fragment.status).toBe(200);
    await expect(FrameClient.connect(`${server.url.replace('http', 'ws')}/ws`)).rejects.toThrow(/401/);
    const client = await FrameClient.connect(`${server.url.replace('http', 'ws')}/ws?token=s3cret`);
    expect(client.of('snapshot')[0]!.sessions).toHaveLength(1);
    client.close();
  });

  it('with --public, lets anyone view but still guards ingest', async () => {
    server = await startTestServer({ token: 's3cret', public: true });
    expect((await fetch(`${server.url}/api/sessions`)).status).toBe(200);
    expect((await push()).status).toBe(401);
    expect((await fetch(`${server.url}/v1/logs`, { method: 'POST', body: '{}' })).status).toBe(401);
  });
});

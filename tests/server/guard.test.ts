/**
 * SPEC 7 web safety on a real server: a foreign `Host` (DNS rebinding) and a write from another
 * site get 403 on every route, while curl-shaped pushes keep working; every answer carries the
 * security headers; and an oversized body always gets its 413 answer, never a broken connection.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Hono } from 'hono';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { hostRule, securityHeaders } from '../../src/server/guard.js';
import { PAGE_CSP } from '../../src/render/layout.js';
import { phase, removeDir, startTestServer, tempDir } from '../helpers/server.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request through node:http, which (unlike fetch) sends the `Host` it is given. */
function request(
  url: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const errorCode = (answer: Answer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;

/** Opens a real WebSocket with the given headers; resolves with the refusal's status, or 101. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      res.resume();
    });
    socket.once('error', reject);
  });
}

describe('Host and Origin', () => {
  let server: ServerHandle | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const sessionsTotal = async () =>
    ((await (await fetch(`${server!.url}/api/sessions?state=all`)).json()) as { total: number }).total;

  it('refuses a forged Host on every kind of route with 403 forbidden_host', async () => {
    server = await startTestServer();
    const forged = { Host: `rebound.attacker.example:${server.port}` };
    for (const route of [
      '/api/sessions',
      '/',
      '/assets/styles.css',
      '/api/stream',
      '/fragments/tabs',
      '/nowhere',
    ]) {
      const answer = await request(`${server.url}${route}`, { headers: forged });
      expect({ route, status: answer.status }).toEqual({ route, status: 403 });
      expect(errorCode(answer)).toBe('forbidden_host');
    }
    const push = await request(`${server.url}/api/phase-update`, {
      method: 'POST',
      headers: { ...forged, 'Content-Type': 'application/json' },
      body: JSON.stringify(phase()),
    });
    expect(push.status).toBe(403);
    expect(await sessionsTotal()).toBe(0);

    const ws = server.url.replace('http', 'ws');
    expect(await upgradeStatus(`${ws}/ws`, forged)).toBe(403);
    expect(await upgradeStatus(`${ws}/ws/weather-app`, forged)).toBe(403);
    expect(await upgradeStatus(`${ws}/ws`, { Host: `localhost:${server.port}` })).toBe(101);
  });

  it('answers its own names with or without the port, and the --allowed-host names', async () => {
    server = await startTestServer({ allowedHosts: ['dash.example.com'] });
    const port = server.port;
    for (const host of [
      `127.0.0.1:${port}`,
      '127.0.0.1',
      `localhost:${port}`,
      'LocalHost',
      'localhost.',
      `[::1]:${port}`,
      '[::1]',
      'dash.example.com',
      `DASH.example.com:${port}`,
    ]) {
      const answer = await request(`${server.url}/api/sessions`, { headers: { Host: host } });
      expect({ host, status: answer.status }).toEqual({ host, status: 200 });
    }
    for (const host of [
      'example.com',
      '127.0.0.1.nip.io',
      'localhost.attacker.example',
      'sub.dash.example.com',
      '10.0.0.8',
    ]) {
      const answer = await request(`${server.url}/api/sessions`, { headers: { Host: host } });
      expect({ host, status: answer.status }).toEqual({ host, status: 403 });
    }
  });

  it('bound to every interface, accepts any IP literal but still no foreign name', async () => {
    server = await startTestServer({ host: '0.0.0.0', token: 's3cret' });
    const url = `http://127.0.0.1:${server.port}/api/health`;
    const auth = { Authorization: 'Bearer s3cret' };
    for (const host of ['192.168.7.20', `10.1.2.3:${server.port}`, '[fd00::17]', 'localhost']) {
      expect((await request(url, { headers: { ...auth, Host: host } })).status).toBe(200);
    }
    expect((await request(url, { headers: { ...auth, Host: 'rebound.attacker.example' } })).status).toBe(403);
  });

  it('refuses a cross-site text/plain POST to ingest routes and stores nothing', async () => {
    server = await startTestServer();
    const ok = await fetch(`${server.url}/api/phase-update`, {
      method: 'POST',
      body: JSON.stringify(phase()),
    });
    expect(ok.status).toBe(200);
    const logsUrl = `${server.url}/api/sessions/weather-app/logs`;
    const logsBefore = await (await fetch(logsUrl)).text();

    const crossSite: Array<Record<string, string>> = [
      { Origin: 'https://attacker.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null' },
      { Origin: `http://localhost:${server.port + 1}`, 'Sec-Fetch-Site': 'same-site' },
    ];
    for (const headers of crossSite) {
      const push = await request(`${server.url}/api/phase-update`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'text/plain' },
        body: JSON.stringify(phase({ session_id: 'planted', current_phase: 'Deploy' })),
      });
      expect({ headers, status: push.status }).toEqual({ headers, status: 403 });
      expect(errorCode(push)).toBe('forbidden_origin');
      const line = await request(`${server.url}/api/broadcast/weather-app`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'text/plain' },
        body: 'planted line',
      });
      expect(line.status).toBe(403);
    }
    expect(await sessionsTotal()).toBe(1);
    expect(await (await fetch(logsUrl)).text()).toBe(logsBefore);
  });

  it('lets its own pages and allowed hosts write, and a browser-less request with no Origin', async () => {
    server = await startTestServer({ allowedHosts: ['dash.example.com'] });
    const body = JSON.stringify(phase());
    const writers: Array<Record<string, string>> = [
      { Origin: server.url, 'Sec-Fetch-Site': 'same-origin' },
      { Host: 'dash.example.com', Origin: 'https://dash.example.com' },
      { 'Sec-Fetch-Site': 'none' },
      {},
    ];
    for (const headers of writers) {
      const push = await request(`${server.url}/api/phase-update`, { method: 'POST', headers, body });
      expect({ headers, status: push.status }).toEqual({ headers, status: 200 });
    }
  });

  it("keeps Context Foundry's curl line working", async () => {
    server = await startTestServer();
    const dir = tempDir();
    try {
      const file = path.join(dir, 'current-phase.json');
      writeFileSync(file, JSON.stringify(phase({ current_phase: 'Builder', phase_number: '3/7' })));
      const url = `http://localhost:${server.port}/api/phase-update`;
      let status: number;
      if (existsSync('/usr/bin/curl') || existsSync('/bin/curl')) {
        const out = await new Promise<string>((resolve, reject) =>
          execFile(
            'curl',
            [
              '-s',
              '-o',
              '/dev/null',
              '-w',
              '%{http_code}',
              '-X',
              'POST',
              url,
              '-H',
              'Content-Type: application/json',
              '-d',
              `@${file}`,
            ],
            (error, stdout) => (error ? reject(error) : resolve(stdout)),
          ),
        );
        status = Number(out);
      } else {
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(phase({ current_phase: 'Builder', phase_number: '3/7' })),
        });
        status = answer.status;
      }
      expect(status).toBe(200);
      const list = (await (await fetch(`${server.url}/api/sessions`)).json()) as {
        sessions: Array<{ currentPhase: string }>;
      };
      expect(list.sessions[0]!.currentPhase).toBe('Builder');
    } finally {
      removeDir(dir);
    }
  });
});

describe('host rule', () => {
  it('treats :: like 0.0.0.0 and a named bind address as one more name', () => {
    const any6 = hostRule({ boundHost: '::', allowedHosts: [] });
    expect(any6('[2001:db8::5]:8080')).toBe(true);
    expect(any6('203.0.113.9')).toBe(true);
    expect(any6('buildcast.attacker.example')).toBe(false);
    expect(any6(undefined)).toBe(false);
    const named = hostRule({ boundHost: 'studio.lan', allowedHosts: ['[fd00::1]'] });
    expect(named('studio.lan:8080')).toBe(true);
    expect(named('[FD00::1]:8080')).toBe(true);
    expect(named('192.168.1.5')).toBe(false);
    expect(named('studio.lan:80:80')).toBe(false);
    expect(named('[::1')).toBe(false);
  });
});

describe('security headers', () => {
  let server: ServerHandle | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const expectSafe = (what: string, headers: Headers) => {
    expect({ what, referrer: headers.get('referrer-policy') }).toEqual({ what, referrer: 'no-referrer' });
    expect({ what, sniff: headers.get('x-content-type-options') }).toEqual({ what, sniff: 'nosniff' });
    expect({ what, frame: headers.get('x-frame-options') }).toEqual({ what, frame: 'DENY' });
    const csp = headers.get('content-security-policy') ?? '';
    expect({ what, ancestors: csp.match(/frame-ancestors [^;]*/g) }).toEqual({
      what,
      ancestors: ["frame-ancestors 'none'"],
    });
    expect({ what, cors: headers.get('access-control-allow-origin') }).toEqual({ what, cors: null });
  };

  it('puts them on pages, JSON, assets, errors and 404s, keeping the pages’ own policy', async () => {
    server = await startTestServer({ token: 's3cret', public: true });
    const answers: Array<[string, Response]> = [
      ['dashboard', await fetch(`${server.url}/`)],
      ['missing session page', await fetch(`${server.url}/sessions/nothing-here`)],
      ['fragment', await fetch(`${server.url}/fragments/tabs`)],
      ['JSON', await fetch(`${server.url}/api/sessions`)],
      ['JSON 404', await fetch(`${server.url}/api/nothing`)],
      ['page 404', await fetch(`${server.url}/nothing`)],
      ['stylesheet', await fetch(`${server.url}/assets/styles.css`)],
      ['missing asset', await fetch(`${server.url}/assets/client/nothing.js`)],
      ['401', await fetch(`${server.url}/api/phase-update`, { method: 'POST', body: '{}' })],
      [
        '400',
        await fetch(`${server.url}/api/phase-update`, {
          method: 'POST',
          headers: { Authorization: 'Bearer s3cret' },
          body: '{',
        }),
      ],
    ];
    for (const [what, answer] of answers) {
      await answer.arrayBuffer();
      expectSafe(what, answer.headers);
    }
    const page = answers[0]![1].headers.get('content-security-policy')!;
    for (const directive of PAGE_CSP.split(';').map((d) => d.trim())) {
      if (!directive.startsWith('frame-ancestors')) expect(page).toContain(directive);
    }
    const json = answers[3]![1].headers.get('content-security-policy')!;
    expect(json).toContain("default-src 'none'");

    const forged = await request(`${server.url}/api/sessions`, { headers: { Host: 'attacker.example' } });
    expect(forged.headers['x-content-type-options']).toBe('nosniff');
    expect(forged.headers['x-frame-options']).toBe('DENY');
    expect(forged.headers['referrer-policy']).toBe('no-referrer');
  });

  it('lets the overlay page alone be framed, its policy otherwise kept', async () => {
    const app = new Hono();
    app.use('*', securityHeaders());
    for (const route of ['/overlay', '/overlay/setup']) {
      app.get(route, (c) => c.html('<p>overlay</p>', 200, { 'Content-Security-Policy': PAGE_CSP }));
    }
    const overlay = await app.request('/overlay');
    expect(overlay.headers.get('x-frame-options')).toBeNull();
    const csp = overlay.headers.get('content-security-policy')!;
    expect(csp).not.toContain('frame-ancestors');
    expect(csp).toContain("script-src 'self'");
    expect(overlay.headers.get('x-content-type-options')).toBe('nosniff');
    const setup = await app.request('/overlay/setup');
    expect(setup.headers.get('x-frame-options')).toBe('DENY');
    expect(setup.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('body limit', () => {
  let server: ServerHandle | null = null;
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(dir);
  });

  /**
   * Sends the whole body before reading anything, as a simple client does, and reports what it
   * read or the error it met: a server that closes early turns the client's writes into EPIPE.
   */
  function sendThenRead(port: number, body: Buffer, chunked: boolean): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let got = '';
      socket.on('data', (data) => (got += String(data)));
      let failed: string | null = null;
      socket.on('error', (error: NodeJS.ErrnoException) => (failed = `error ${error.code}`));
      socket.on('close', () => resolve(failed ?? got));
      const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`;
      socket.write(
        `POST /api/phase-update HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
          `Connection: close\r\n${framing}\r\n\r\n`,
      );
      if (chunked) {
        socket.write(`${body.length.toString(16)}\r\n`);
        socket.write(body);
        socket.end('\r\n0\r\n\r\n');
      } else socket.end(body);
    });
  }

  it('answers a body 16 times the limit with its 413 JSON, every one of 20 times', async () => {
    server = await startTestServer({ db: path.join(dir, 'buildcast.db') });
    const body = Buffer.alloc(16 * 256 * 1024, 'a');
    for (let i = 0; i < 20; i++) {
      const answer = await sendThenRead(server.port, body, i % 2 === 1);
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
      const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
      expect(json.error.code).toBe('payload_too_large');
    }
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${server.url}/api/phase-update`, { method: 'POST', body });
      expect(answer.status).toBe(413);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    }
    const fits = await fetch(`${server.url}/api/phase-update`, {
      method: 'POST',
      body: JSON.stringify(phase()),
    });
    expect(fits.status).toBe(200);
  });
});

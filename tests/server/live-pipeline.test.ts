/**
 * The live pipeline end to end: a real server on port 0 over a real temporary folder and a real
 * SQLite file, a real `ws` client, real files written to disk.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session, SessionMessage } from '../../src/shared/protocol.js';
import { startServer, type ServerHandle } from '../../src/server/main.js';
import {
  eventually,
  FrameClient,
  phase,
  removeDir,
  sleep,
  startTestServer,
  tempDir,
  testConfig,
  lastLogSeq,
  floodLogs,
  writePhaseFile,
} from '../helpers/server.js';
import { makeLogLine } from '../render/fixtures.js';

const isSession =
  (check: (s: Session) => boolean) =>
  (frame: { type: string }): frame is SessionMessage =>
    frame.type === 'session' && check((frame as SessionMessage).session);

describe('live pipeline', () => {
  let root: string;
  let server: ServerHandle | null = null;
  const clients: FrameClient[] = [];

  beforeEach(() => {
    root = tempDir();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = null;
    removeDir(root);
  });

  async function start(overrides = {}) {
    mkdirSync(path.join(root, 'builds'), { recursive: true });
    server = await startTestServer({
      roots: [path.join(root, 'builds')],
      db: path.join(root, 'buildcast.db'),
      ...overrides,
    });
    return server;
  }

  async function connect(suffix = '/ws') {
    const client = await FrameClient.connect(server!.url.replace('http', 'ws') + suffix);
    clients.push(client);
    return client;
  }

  it('greets with hello and snapshot, then turns a file write into a session frame', async () => {
    mkdirSync(path.join(root, 'builds'), { recursive: true });
    await start();
    const client = await connect();
    expect(client.frames[0]).toMatchObject({ type: 'hello', protocol: 1, sessionId: null });
    expect(client.frames[1]).toEqual({ type: 'snapshot', sessions: [] });

    writePhaseFile(
      path.join(root, 'builds', 'weather'),
      phase({ current_phase: 'Test', phase_number: '4/7', status: 'testing', test_iteration: 2 }),
    );
    const frame = await client.waitFor(isSession((s) => s.currentPhase === 'Test'));
    expect(frame.session).toMatchObject({
      id: 'weather-app-20261120T140211Z',
      project: 'weather-app',
      workdir: path.join(root, 'builds', 'weather'),
      state: 'running',
      activity: 'testing',
      phaseNumber: '4/7',
      phaseIndex: 4,
      phaseTotal: 7,
      testIteration: 2,
      source: 'live',
    });
  });

  it('sends no status frame for identical rewrites or while idle, but keeps heartbeats', async () => {
    const workdir = path.join(root, 'builds', 'weather');
    writePhaseFile(workdir, phase());
    await start({ heartbeatMs: 100 });
    await eventually(() => server!.registry.size === 1);
    const client = await connect();
    expect(client.of('snapshot')[0]!.sessions).toHaveLength(1);

    for (let i = 0; i < 3; i++) {
      writePhaseFile(workdir, phase());
      await sleep(80);
    }
    writePhaseFile(workdir, phase(), { atomic: true });
    await sleep(600);
    expect(client.of('session')).toHaveLength(0);
    expect(client.of('heartbeat').length).toBeGreaterThanOrEqual(3);

    writePhaseFile(workdir, phase({ status: 'completed', phases_completed: ['Scout'] }));
    const frame = await client.waitFor(isSession((s) => s.activity === 'completed'));
    expect(frame.session.phases[0]).toMatchObject({ name: 'Scout', status: 'completed' });
    await sleep(300);
    expect(client.of('session')).toHaveLength(1);
  });

  it('keeps the last good state when a file breaks, reports it, and clears it on the next good write', async () => {
    const workdir = path.join(root, 'builds', 'weather');
    const file = writePhaseFile(
      workdir,
      phase({ current_phase: 'Builder', phase_number: '3/7', status: 'building' }),
    );
    await start();
    const client = await connect();
    await eventually(() => server!.registry.size === 1);
    const id = 'weather-app-20261120T140211Z';

    writePhaseFile(workdir, '{"session_id": "weather-app", "current_phase": "Te');
    const warned = await client.waitFor(isSession((s) => s.warnings.length === 1));
    expect(warned.session).toMatchObject({ currentPhase: 'Builder', activity: 'building', state: 'running' });
    expect(warned.session.warnings[0]!.file).toBe(file);
    expect(warned.session.warnings[0]!.reason).toMatch(/JSON/i);

    const detail = (await (await fetch(`${server!.url}/api/sessions/${id}`)).json()) as {
      session: Session;
      warnings: Session['warnings'];
    };
    expect(detail.session.currentPhase).toBe('Builder');
    expect(detail.warnings[0]).toMatchObject({ file });

    writePhaseFile(workdir, '');
    await sleep(300);
    expect(server!.registry.get(id)!.warnings[0]!.reason).toMatch(/empty/i);

    writePhaseFile(workdir, phase({ current_phase: 'Test', phase_number: '4/7', status: 'testing' }));
    const cleared = await client.waitFor(isSession((s) => s.currentPhase === 'Test'));
    expect(cleared.session.warnings).toEqual([]);
  });

  it('delivers a push from POST /api/phase-update to sockets and answers in the expected shape', async () => {
    await start();
    const all = await connect();
    const body = JSON.stringify(
      phase({
        session_id: 'pushed-app',
        current_phase: 'Architect',
        phase_number: '2/7',
        status: 'designing',
      }),
    );
    const response = await fetch(`${server!.url}/api/phase-update`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'received',
      session_id: 'pushed-app',
      phase: 'Architect',
      broadcasted_to: 1,
      id: 'pushed-app-20261120T140211Z',
    });
    const frame = await all.waitFor(isSession((s) => s.project === 'pushed-app'));
    expect(frame.session.source).toBe('push');

    const one = await connect('/ws/pushed-app-20261120T140211Z');
    expect(one.of('snapshot')[0]!.sessions.map((s) => s.id)).toEqual(['pushed-app-20261120T140211Z']);
    const again = await fetch(`${server!.url}/api/phase-update`, { method: 'POST', body });
    expect(((await again.json()) as { broadcasted_to: number }).broadcasted_to).toBe(0);
  });

  it('rejects malformed pushes with JSON errors and changes nothing', async () => {
    await start({ maxBodyBytes: 256 * 1024 });
    const post = (body: string) =>
      fetch(`${server!.url}/api/phase-update`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
    const bad = await post('{"session_id": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_json');
    const array = await post('[1,2]');
    expect(array.status).toBe(400);
    expect(((await array.json()) as { error: { code: string } }).error.code).toBe('bad_fields');
    const huge = await post(JSON.stringify({ session_id: 'x', progress_detail: 'x'.repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const missing = await fetch(`${server!.url}/api/sessions/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no session "nope"' } });
    const badQuery = await fetch(`${server!.url}/api/sessions?state=sleeping`);
    expect(badQuery.status).toBe(400);
    expect(server!.registry.size).toBe(0);
  });

  it('keeps the first run of a project when a second one starts', async () => {
    const workdir = path.join(root, 'builds', 'weather');
    await start();
    const client = await connect();
    writePhaseFile(workdir, phase({ current_phase: 'Feedback', phase_number: '7/8', status: 'completed' }));
    await client.waitFor(isSession((s) => s.state === 'completed'));
    writePhaseFile(
      workdir,
      phase({ started_at: '2026-11-20T16:00:00Z', last_updated: '2026-11-20T16:00:00Z' }),
    );
    const second = await client.waitFor(isSession((s) => s.id === 'weather-app-20261120T160000Z'));
    expect(second.session.state).toBe('running');

    const list = (await (await fetch(`${server!.url}/api/sessions?project=weather-app`)).json()) as {
      sessions: Session[];
      total: number;
    };
    expect(list.total).toBe(2);
    const first = list.sessions.find((s) => s.id === 'weather-app-20261120T140211Z')!;
    expect(first).toMatchObject({ state: 'completed', currentPhase: 'Feedback', progressPercent: 100 });
    const completed = (await (await fetch(`${server!.url}/api/sessions?state=completed`)).json()) as {
      total: number;
    };
    expect(completed.total).toBe(1);
  });

  it('restores everything after a restart, without sending it again as a change', async () => {
    const workdir = path.join(root, 'builds', 'weather');
    writePhaseFile(
      workdir,
      phase({
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'building',
        phases_completed: ['Scout', 'Architect'],
      }),
    );
    await start();
    await eventually(() => server!.registry.size === 1);
    writePhaseFile(workdir, '{broken');
    await eventually(() => server!.registry.get('weather-app-20261120T140211Z')?.warnings.length === 1);
    await server!.close();
    const before = server!.registry.get('weather-app-20261120T140211Z')!;

    await start();
    const restored = server!.registry.get('weather-app-20261120T140211Z');
    expect(restored).toEqual(before);
    expect(server!.registry.raw(before.id)).toContain('"Builder"');
    const client = await connect();
    await sleep(300);
    expect(client.of('session')).toHaveLength(0);
  });

  it('streams the same protocol over SSE', async () => {
    await start();
    const controller = new AbortController();
    const response = await fetch(`${server!.url}/api/stream`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const read = async (until: RegExp) => {
      while (!until.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    await read(/event: snapshot/);
    expect(text).toMatch(/event: hello\ndata: \{"type":"hello"/);
    await fetch(`${server!.url}/api/phase-update`, {
      method: 'POST',
      body: JSON.stringify(phase({ session_id: 'sse-app' })),
    });
    await read(/event: session/);
    expect(text).toContain('"project":"sse-app"');
    controller.abort();
  });

  it('cuts off a socket that stops reading once 1 MiB waits for it, while another keeps receiving', async () => {
    const lines: string[] = [];
    server = await startServer(
      testConfig({ db: path.join(root, 'buildcast.db'), maxClientBufferBytes: 1024 * 1024 }),
      { log: (line) => lines.push(line) },
    );
    const slow = await connect();
    const healthy = await connect();
    const seen = lastLogSeq(healthy.socket);
    slow.socket.pause();
    let slowBytes = 0;
    slow.socket.on('message', (data) => (slowBytes += String(data).length));
    const slowClosed = new Promise<number>((resolve) => slow.socket.once('close', (code) => resolve(code)));

    // As fast as the healthy client takes them, until the slow one is cut off (after what the
    // kernel buffers hold and the 1 MiB beyond).
    const flood = await floodLogs(server.hub, seen, () => server!.hub.size < 2);
    expect(server.hub.size).toBe(1);
    expect(flood.bytes).toBeGreaterThan(1024 * 1024);
    expect(lines).toContain('dropped a client: send buffer over limit: the client is not keeping up');

    server.hub.broadcastLog('weather-app-20261120T140211Z', [makeLogLine(flood.frames + 1, 'still here')]);
    await eventually(() => seen() === flood.frames + 1);

    // What was already on its way arrives, then the connection ends with no close handshake
    // (1006): it was destroyed, not left open waiting for a reply it would never read.
    slow.socket.resume();
    expect(await slowClosed).toBe(1006);
    expect(slowBytes).toBeLessThan(flood.bytes);
  });

  it('refuses a socket from another origin', async () => {
    await start();
    await expect(
      FrameClient.connect(server!.url.replace('http', 'ws') + '/ws', { Origin: 'http://evil.example' }),
    ).rejects.toThrow(/403/);
  });

  it('survives a vanished folder and a file too large to read', async () => {
    const workdir = path.join(root, 'builds', 'weather');
    writePhaseFile(workdir, phase());
    await start();
    await eventually(() => server!.registry.size === 1);
    const folder = path.join(workdir, '.context-foundry');
    writeFileSync(path.join(folder, 'current-phase.json'), ' '.repeat(17 * 1024 * 1024));
    await eventually(() =>
      server!.registry.get('weather-app-20261120T140211Z')?.warnings[0]?.reason.match(/limit/),
    );
    removeDir(workdir);
    await sleep(200);
    expect(server!.registry.get('weather-app-20261120T140211Z')?.currentPhase).toBe('Scout');
    writePhaseFile(workdir, phase({ current_phase: 'Architect', phase_number: '2/7' }));
    await eventually(
      () => server!.registry.get('weather-app-20261120T140211Z')?.currentPhase === 'Architect',
    );
  });

  /** The `problems` of `/api/health`, by file. */
  async function healthProblems(): Promise<Map<string, string>> {
    const health = (await (await fetch(`${server!.url}/api/health`)).json()) as {
      problems: Array<{ file: string; reason: string }>;
    };
    return new Map(health.problems.map(({ file, reason }) => [file, reason]));
  }

  async function sessionProjects(): Promise<string[]> {
    const body = (await (await fetch(`${server!.url}/api/sessions`)).json()) as {
      sessions: Array<{ project: string }>;
    };
    return body.sessions.map((s) => s.project).sort();
  }

  it('reads a good phase file after six FIFOs named current-phase.json, listing the FIFOs as problems', async () => {
    const fifos = Array.from({ length: 6 }, (_, i) => {
      const folder = path.join(root, 'builds', `stuck-${i}`, '.context-foundry');
      mkdirSync(folder, { recursive: true });
      const fifo = path.join(folder, 'current-phase.json');
      execFileSync('mkfifo', [fifo]);
      return fifo;
    });
    await start();
    writePhaseFile(path.join(root, 'builds', 'weather'), phase({ current_phase: 'Builder' }));
    await eventually(async () => (await sessionProjects()).includes('weather-app'));
    const problems = await healthProblems();
    for (const fifo of fifos) expect(problems.get(fifo)).toMatch(/FIFO/);
    expect(server!.registry.get('weather-app-20261120T140211Z')?.currentPhase).toBe('Builder');
  });

  it('watches a build root again after it was deleted and made again', async () => {
    const builds = path.join(root, 'builds');
    writePhaseFile(path.join(builds, 'weather'), phase());
    await start();
    await eventually(() => server!.registry.size === 1);
    rmSync(builds, { recursive: true });
    await eventually(async () => (await healthProblems()).get(builds)?.includes('removed'));

    writePhaseFile(path.join(builds, 'todo'), phase({ session_id: 'todo-api' }));
    await eventually(async () => (await sessionProjects()).includes('todo-api'));
    expect((await healthProblems()).has(builds)).toBe(false);
  });

  it('warns at start about a --root that does not exist, and watches it once it appears', async () => {
    const later = path.join(root, 'later');
    const lines: string[] = [];
    server = await startServer(testConfig({ roots: [later], db: path.join(root, 'buildcast.db') }), {
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toBe(`cannot watch ${later}: folder not found; it will be watched once it appears`);
    expect((await healthProblems()).get(later)).toMatch(/not found/);

    writePhaseFile(path.join(later, 'weather'), phase());
    await eventually(async () => (await sessionProjects()).includes('weather-app'));
    expect((await healthProblems()).has(later)).toBe(false);
  });
});

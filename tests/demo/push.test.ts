import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { Pusher } from '../../src/demo/push.js';
import type { PushFailure } from '../../src/demo/push.js';
import { runSimulation } from '../../src/demo/simulate.js';
import { playOn, refusedUrl, startRecorder } from './push-recorder.js';
import type { Recorder } from './push-recorder.js';

let dir: string;
let recorder: Recorder | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'buildcast-push-'));
});

afterEach(async () => {
  await recorder?.close();
  recorder = undefined;
  await rm(dir, { recursive: true, force: true });
});

const AGENT_UPDATE_KEYS = [
  'agent_id',
  'agent_name',
  'agent_type',
  'error_message',
  'phase',
  'progress_percent',
  'session_id',
  'status',
  'tokens_used',
];

describe('pushing a simulated build to a server', () => {
  it('sends every agent change to /api/agent-update and every output line to /api/broadcast', async () => {
    recorder = await startRecorder();
    const clock = new FakeClock();
    const result = await playOn(
      clock,
      runSimulation({ dir, clock, speed: 20, push: { url: `${recorder.url}/` } }),
    );
    expect(result.outcome).toBe('completed');
    const { requests } = recorder;
    expect(result.pushes).toEqual({ sent: requests.length, failed: 0, firstFailure: null });
    expect(requests.every((request) => request.method === 'POST')).toBe(true);

    const agents = requests.filter((request) => request.path === '/api/agent-update');
    expect(agents.length).toBeGreaterThan(50);
    const bodies = agents.map((request) => JSON.parse(request.body) as Record<string, unknown>);
    for (const [i, body] of bodies.entries()) {
      expect(Object.keys(body).sort()).toEqual(AGENT_UPDATE_KEYS);
      expect(agents[i]?.headers['content-type']).toBe('application/json');
      expect(body['session_id']).toBe('weather-app');
    }
    const builder3 = bodies.filter((body) => body['agent_id'] === 'builder-3');
    expect(builder3[0]).toEqual({
      session_id: 'weather-app',
      agent_id: 'builder-3',
      agent_type: 'builder',
      agent_name: 'Builder 3: caching',
      status: 'spawning',
      phase: 'Builder',
      progress_percent: 0,
      tokens_used: 0,
      error_message: null,
    });
    expect(builder3.at(-1)).toMatchObject({
      status: 'failed',
      error_message: expect.stringMatching(/^TypeError/),
    });
    expect(bodies.filter((body) => body['agent_id'] === 'builder-3-retry').at(-1)).toMatchObject({
      status: 'completed',
      progress_percent: 100,
    });

    const lines = requests.filter((request) => request.path === '/api/broadcast/weather-app');
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.every((request) => request.headers['content-type']?.startsWith('text/plain'))).toBe(true);
    const texts = lines.map((request) => request.body);
    expect(texts).toContain('\u001b[32m✓\u001b[0m 12 passed');
    expect(texts).toContain('\u001b[31m✗ parseForecast converts Kelvin to Celsius\u001b[0m');
    expect(requests.length).toBe(agents.length + lines.length);

    // The lines arrive in the order the build printed them, the order of its event log.
    const logged = (await readFile(join(dir, 'logs', 'events', 'weather-app', 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
      .filter((event) => event.type === 'log_line' && 'stream' in event.data)
      .map((event) => event.data['message']);
    expect(texts).toEqual(logged);
  });

  it('pushes each change when the build clock reaches it, not before', async () => {
    recorder = await startRecorder();
    const clock = new FakeClock();
    const controller = new AbortController();
    const run = runSimulation({ dir, clock, signal: controller.signal, push: { url: recorder.url } });
    // Thirty seconds in, at speed 1: the scout has come and gone, the builders start at 42 s.
    const end = clock.now() + 30_000;
    while (clock.now() < end) {
      if (clock.pending > 0) clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(() => recorder?.requests.some((r) => r.body.includes('"completed"'))).toBe(true);
    const agentIds = (): Set<unknown> =>
      new Set(
        recorder?.requests
          .filter((request) => request.path === '/api/agent-update')
          .map((request) => (JSON.parse(request.body) as { agent_id: string }).agent_id),
      );
    expect(agentIds()).toEqual(new Set(['scout']));
    controller.abort();
    expect(await run).toMatchObject({ outcome: 'aborted' });
    expect(agentIds()).toEqual(new Set(['scout']));
  });

  it('keeps building when nothing listens, counting every push that failed', async () => {
    const url = await refusedUrl();
    const clock = new FakeClock();
    const failures: PushFailure[] = [];
    const result = await playOn(
      clock,
      runSimulation({ dir, clock, speed: 20, push: { url }, onPushFailure: (f) => failures.push(f) }),
    );
    expect(result).toMatchObject({ outcome: 'completed', completed: true });
    expect(result.pushes?.sent).toBe(0);
    expect(result.pushes?.failed).toBeGreaterThan(100);
    expect(failures).toHaveLength(result.pushes?.failed ?? -1);
    expect(result.pushes?.firstFailure?.reason).toMatch(/ECONNREFUSED/);
    const phase = JSON.parse(await readFile(join(dir, '.context-foundry', 'current-phase.json'), 'utf8'));
    expect(phase).toMatchObject({ current_phase: 'Feedback', status: 'completed' });
  });

  it('retries a push the server does not know the session for yet, and counts refusals', async () => {
    let unknown = 2;
    recorder = await startRecorder((request) => {
      if (request.path.startsWith('/api/broadcast/') && unknown > 0) {
        unknown--;
        return 404;
      }
      return request.body.includes('refuse me') ? 400 : 200;
    });
    const clock = new FakeClock();
    const pusher = new Pusher({ url: recorder.url, token: 's3cret' }, clock);
    pusher.log('weather-app', 'first line');
    pusher.log('weather-app', 'refuse me');
    pusher.log('weather-app', 'last line');
    const stats = await playOn(clock, pusher.drain());

    expect(recorder.requests.map((request) => request.body)).toEqual([
      'first line',
      'first line',
      'first line',
      'refuse me',
      'last line',
    ]);
    expect(recorder.requests.every((r) => r.headers.authorization === 'Bearer s3cret')).toBe(true);
    expect(stats).toEqual({
      sent: 2,
      failed: 1,
      firstFailure: {
        path: '/api/broadcast/weather-app',
        reason: 'HTTP 400: {"error":{"code":"x","message":"status 400"}}',
      },
    });
  });

  it('leaves output lines to the event log when told to', async () => {
    recorder = await startRecorder();
    const clock = new FakeClock();
    const pusher = new Pusher({ url: recorder.url, lines: false }, clock);
    pusher.log('weather-app', 'shown once, from events.jsonl');
    await playOn(clock, pusher.drain());
    expect(recorder.requests).toEqual([]);
  });

  it('stops pushing when the run is aborted', async () => {
    recorder = await startRecorder();
    const clock = new FakeClock();
    const controller = new AbortController();
    const pusher = new Pusher({ url: recorder.url }, clock, controller.signal);
    controller.abort();
    pusher.log('weather-app', 'too late');
    expect(await pusher.drain()).toEqual({ sent: 0, failed: 0, firstFailure: null });
    expect(recorder.requests).toEqual([]);
  });
});

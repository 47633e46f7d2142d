/**
 * OTLP/HTTP JSON as Claude Code sends it, posted to a real server: totals move, nothing is
 * counted twice, and the answers are those of an OTLP receiver.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import type { ServerHandle } from '../../src/server/main.js';
import { startServer } from '../../src/server/main.js';
import {
  eventually,
  FrameClient,
  phase,
  removeDir,
  startTestServer,
  tempDir,
  testConfig,
} from '../helpers/server.js';

const fixture = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, '../fixtures/otlp', name), 'utf8');

describe('OTLP receiver', () => {
  let server: ServerHandle | null = null;
  let root: string;
  afterEach(async () => {
    await server?.close();
    removeDir(root);
  });

  async function post(route: string, body: string, type = 'application/json') {
    const response = await fetch(`${server!.url}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function metricsOf(id: string): Promise<SessionMetrics> {
    server!.metrics.flush();
    return (await (await fetch(`${server!.url}/api/sessions/${id}/metrics`)).json()) as SessionMetrics;
  }

  it('attaches api_request events to the build named by buildcast.project and counts each once', async () => {
    root = tempDir();
    server = await startTestServer({ db: path.join(root, 'b.db') });
    const build = phase({
      session_id: 'weather-app',
      started_at: '2026-11-20T14:00:00Z',
      current_phase: 'Builder',
      phase_number: '3/7',
      status: 'building',
      timestamps: { phaseStart: '2026-11-20T14:00:00Z' },
    });
    await post('/api/phase-update', JSON.stringify(build));
    const client = await FrameClient.connect(
      `${server.url.replace('http', 'ws')}/ws/weather-app-20261120T140000Z`,
    );

    const first = await post('/v1/logs', fixture('logs-claude-code.json'));
    expect(first).toEqual({ status: 200, body: { partialSuccess: {} } });
    const metrics = await metricsOf('weather-app-20261120T140000Z');
    expect(metrics.tokens).toMatchObject({
      input: 18,
      output: 2_135,
      cacheRead: 58_346,
      cacheWrite: 2_722,
      requests: 2,
    });
    expect(metrics.tokens.costUsd).toBeCloseTo(0.0264675 + 0.055538, 9);
    expect(metrics.tokens.byPhase).toEqual([expect.objectContaining({ phase: 'Builder', requests: 2 })]);
    const frame = await client.waitFor((f) => f.type === 'metrics' && f.metrics.tokens.requests === 2);
    expect(frame.type).toBe('metrics');
    await eventually(() => server!.registry.get('weather-app-20261120T140000Z')?.tokensTotal === 63_221);

    await post('/v1/logs', fixture('logs-claude-code.json'));
    expect((await metricsOf('weather-app-20261120T140000Z')).tokens.requests).toBe(2);
    // The api_error event lands in the build's log tail.
    const detail = (await (
      await fetch(`${server.url}/api/sessions/weather-app-20261120T140000Z`)
    ).json()) as { logs: Array<{ level: string; text: string }> };
    expect(detail.logs.some((l) => l.level === 'error' && l.text.includes('api_error'))).toBe(true);
    client.close();
  });

  it('uses metrics only for sessions that send no events, and never both', async () => {
    root = tempDir();
    server = await startTestServer({ db: path.join(root, 'b.db') });
    expect((await post('/v1/metrics', fixture('metrics-cumulative.json'))).status).toBe(200);
    server.metrics.flush();
    const own = server.registry.list({ project: 'weather-app' }).sessions[0]!;
    expect(own.source).toBe('otel');
    const fromMetrics = await metricsOf(own.id);
    expect(fromMetrics.tokens.total).toBeGreaterThan(0);

    await post('/v1/logs', fixture('logs-claude-code.json'));
    const fromEvents = await metricsOf(own.id);
    expect(fromEvents.tokens).toMatchObject({ requests: 2, input: 18, output: 2_135 });
    await post('/v1/metrics', fixture('metrics-cumulative.json'));
    expect((await metricsOf(own.id)).tokens.requests).toBe(2);
  });

  it('keeps what cumulative metrics counted across a restart, so a reset counter adds to it', async () => {
    root = tempDir();
    const db = path.join(root, 'b.db');
    server = await startTestServer({ db });
    await post('/v1/metrics', fixture('metrics-cumulative.json'));
    server.metrics.flush();
    const id = server.registry.list({ project: 'weather-app' }).sessions[0]!.id;
    const before = (await metricsOf(id)).tokens;
    expect(before.total).toBeGreaterThan(0);
    await server.close();

    // Claude Code restarted too: its counters start again, later, from small values.
    const restarted = JSON.parse(fixture('metrics-cumulative.json'), (key, value: unknown) => {
      if (key === 'startTimeUnixNano' || key === 'timeUnixNano')
        return String(BigInt(value as string) + 3_600_000_000_000n);
      if (key === 'asInt') return String(Math.floor(Number(value) / 10));
      if (key === 'asDouble') return Number(value) / 10;
      return value;
    }) as unknown;
    server = await startTestServer({ db });
    await post('/v1/metrics', JSON.stringify(restarted));
    const after = (await metricsOf(id)).tokens;
    expect(after.input).toBe(before.input + Math.floor(before.input / 10));
    expect(after.output).toBe(before.output + Math.floor(before.output / 10));
  });

  it('reports the problems of an OTLP body in the server log', async () => {
    root = tempDir();
    const lines: string[] = [];
    server = await startServer(testConfig({ db: path.join(root, 'b.db') }), {
      log: (line) => lines.push(line),
    });
    const body = { resourceLogs: [{ scopeLogs: [{ logRecords: ['not a record'] }] }] };
    const answer = await post('/v1/logs', JSON.stringify(body));
    expect(answer.status).toBe(200);
    expect(lines.some((line) => line.startsWith('OTLP logs: 1 problem(s)'))).toBe(true);
  });

  it('answers broken JSON with 400, and reports wrong shapes as partial success', async () => {
    root = tempDir();
    server = await startTestServer({ db: path.join(root, 'b.db') });
    expect((await post('/v1/metrics', '{"resourceMetrics": [')).status).toBe(400);
    const wrong = await post('/v1/logs', '{"resourceLogs": {"not": "an array"}}');
    expect(wrong.status).toBe(200);
    expect(wrong.body['partialSuccess']).toMatchObject({ errorMessage: expect.any(String) });
    expect(server.registry.size).toBe(0);
  });
});

/**
 * Issue 9's reproductions against a real server on a real temporary folder and SQLite file:
 * hostile phase files at start-up, hostile pushes on every ingest route. The server stays up,
 * other builds keep working, what was cut is capped and said, and a restart comes back.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import type { ServerHandle } from '../../src/server/main.js';
import { MAX_MODELS, MAX_PHASES, MAX_TEXT_LENGTH, TRUNCATED } from '../../src/collector/limits.js';
import { eventually, phase, removeDir, startTestServer, tempDir, writePhaseFile } from '../helpers/server.js';

const DEEP = 10_000;
const deepJson = (inner = '1'): string => `${'['.repeat(DEEP)}${inner}${']'.repeat(DEEP)}`;

describe('hostile input', () => {
  let root: string;
  let server: ServerHandle | null = null;

  beforeEach(() => {
    root = tempDir();
    mkdirSync(path.join(root, 'builds'), { recursive: true });
  });

  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  const start = async (overrides = {}) => {
    server = await startTestServer({
      roots: [path.join(root, 'builds')],
      db: path.join(root, 'buildcast.db'),
      ...overrides,
    });
    return server;
  };

  async function post(route: string, body: string, type = 'application/json') {
    const response = await fetch(`${server!.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function sessionOf(id: string): Promise<Session> {
    const response = await fetch(`${server!.url}/api/sessions/${id}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { session: Session }).session;
  }

  const build = (name: string) => path.join(root, 'builds', name);

  it('starts, serves and restarts with a "constructor" file and a 10,000-deep file on disk', async () => {
    writePhaseFile(
      build('proto'),
      phase({
        session_id: 'proto',
        current_phase: 'constructor',
        phases_completed: ['__proto__', 'toString'],
      }),
    );
    const deepFile = writePhaseFile(
      build('deep'),
      `{"session_id":"deep","current_phase":"Test","x":${deepJson()}}`,
    );
    writePhaseFile(build('good'), phase({ session_id: 'good' }));

    await start();
    const health = await eventually(async () => {
      const body = (await (await fetch(`${server!.url}/api/health`)).json()) as {
        status: string;
        problems: Array<{ file: string; reason: string }>;
      };
      return body.problems.some((p) => p.file === deepFile) && body;
    });
    expect(health.status).toBe('ok');
    expect(health.problems.find((p) => p.file === deepFile)?.reason).toBe('nested more than 64 levels deep');
    expect(await sessionOf('proto')).toMatchObject({
      currentPhase: 'constructor',
      phasesCompleted: ['__proto__', 'toString'],
    });
    expect(await sessionOf('good')).toMatchObject({ currentPhase: 'Scout', state: 'running' });

    // Another build still works while the hostile files are there.
    writePhaseFile(
      build('later'),
      phase({ session_id: 'later', current_phase: 'Builder', status: 'building' }),
    );
    await eventually(() => server!.registry.latestOfProject('later'));
    expect(await sessionOf('later')).toMatchObject({ currentPhase: 'Builder' });

    await server!.close();
    server = null;
    await start();
    expect((await fetch(`${server!.url}/api/health`)).status).toBe(200);
    for (const project of ['proto', 'good', 'later']) {
      expect((await sessionOf(project)).project).toBe(project);
    }
  });

  it('keeps the last good state when a build rewrites its file 10,000 levels deep', async () => {
    await start();
    const file = writePhaseFile(build('weather'), phase({ current_phase: 'Test', status: 'testing' }));
    await eventually(() => server!.registry.latestOfProject('weather-app'));
    writePhaseFile(build('weather'), `{"current_phase":"Deploy","x":${deepJson()}}`);
    const session = await eventually(() => {
      const found = server!.registry.latestOfProject('weather-app');
      return found?.warnings.some((w) => w.file === file) && found;
    });
    expect(session).toMatchObject({ currentPhase: 'Test', state: 'running' });
    expect(session.warnings.find((w) => w.file === file)?.reason).toBe('nested more than 64 levels deep');
  });

  it('answers 400 too_deep on every ingest route for a body nested 10,000 levels deep', async () => {
    await start();
    await post('/api/phase-update', JSON.stringify(phase()));
    const body = `{"session_id":"weather-app","agent_id":"a","x":${deepJson()}}`;
    const otlp = `{"resourceLogs":${deepJson()}}`;
    for (const [route, text] of [
      ['/api/phase-update', body],
      ['/api/broadcast/weather-app', body],
      ['/api/agent-update', body],
      ['/v1/logs', otlp],
      ['/v1/metrics', otlp],
    ] as const) {
      const answer = await post(route, text);
      expect({ route, ...answer }).toEqual({
        route,
        status: 400,
        body: { error: { code: 'too_deep', message: expect.stringContaining('nested more than 64 levels') } },
      });
    }
    expect((await fetch(`${server!.url}/api/health`)).status).toBe(200);
  });

  it('takes a "constructor" push like any other', async () => {
    await start();
    const answer = await post(
      '/api/phase-update',
      JSON.stringify(
        phase({ current_phase: 'constructor', status: 'valueOf', phases_completed: ['hasOwnProperty'] }),
      ),
    );
    expect(answer).toMatchObject({ status: 200, body: { status: 'received', phase: 'constructor' } });
    const agent = await post(
      '/api/agent-update',
      JSON.stringify({ session_id: 'weather-app', agent_id: '__proto__', status: 'constructor' }),
    );
    expect(agent).toMatchObject({ status: 200, body: { agent_id: '__proto__', agent_status: 'active' } });
  });

  it('caps a 25,000-name phases_completed push, says so, and later updates of the project are normal', async () => {
    await start();
    const names = Array.from({ length: 25_000 }, (_, i) => `p${i}`);
    const flood = await post(
      '/api/phase-update',
      JSON.stringify(phase({ current_phase: 'Builder', status: 'building', phases_completed: names })),
    );
    expect(flood.status).toBe(200);
    expect(flood.body.warnings).toEqual(['phases_completed: kept the first 64 of 25000 phases']);
    const capped = await sessionOf('weather-app');
    expect(capped.phasesCompleted).toHaveLength(MAX_PHASES);
    expect(capped.phases.length).toBeLessThanOrEqual(MAX_PHASES);
    expect(capped.warnings).toEqual([
      expect.objectContaining({
        file: 'push',
        reason: 'phases_completed: kept the first 64 of 25000 phases',
      }),
    ]);

    const next = await post(
      '/api/phase-update',
      JSON.stringify(phase({ current_phase: 'Builder', status: 'building', progress_detail: 'next step' })),
    );
    expect(next).toMatchObject({ status: 200, body: { changed: true } });
    expect(next.body.warnings).toBeUndefined();
    const after = await sessionOf('weather-app');
    expect(after).toMatchObject({ progressDetail: 'next step', warnings: [] });
    expect(after.phasesCompleted).toHaveLength(MAX_PHASES);
  });

  it('refuses counts beyond 2^53 from an agent and from OTLP, leaving totals as they were', async () => {
    await start();
    await post('/api/phase-update', JSON.stringify(phase({ started_at: '2026-11-20T14:00:00Z' })));
    const agent = await post(
      '/api/agent-update',
      JSON.stringify({ session_id: 'weather-app', agent_id: 'b1', tokens_used: 2 ** 60 }),
    );
    expect(agent.body.warnings).toEqual([
      `tokens_used: expected a whole number from 0 to 2^53, got ${2 ** 60}`,
    ]);

    const logs = await post(
      '/v1/logs',
      JSON.stringify(
        otlpLogs([
          apiRequest('claude-sonnet-4-5', { input_tokens: '1500' }),
          apiRequest('claude-sonnet-4-5', { input_tokens: '45000000000000000' }, 'req-2'),
        ]),
      ),
    );
    expect(logs.status).toBe(200);
    expect(logs.body.partialSuccess).toMatchObject({ rejectedLogRecords: '1' });
    const metrics = await metricsOf('weather-app-20261120T140000Z');
    expect(metrics.tokens.input).toBe(1_500);
  });

  it('folds thousands of hostile model names into one row', async () => {
    await start({ maxBodyBytes: 8 * 1024 * 1024 });
    await post('/api/phase-update', JSON.stringify(phase({ started_at: '2026-11-20T14:00:00Z' })));
    const records = Array.from({ length: 3_000 }, (_, i) =>
      apiRequest(`hostile-${i}-${'m'.repeat(300)}`, { input_tokens: '1' }, `req-${i}`),
    );
    expect((await post('/v1/logs', JSON.stringify(otlpLogs(records)))).status).toBe(200);
    const metrics = await metricsOf('weather-app-20261120T140000Z');
    expect(metrics.tokens.requests).toBe(3_000);
    expect(metrics.tokens.byModel).toHaveLength(MAX_MODELS);
    expect(metrics.tokens.byModel.at(-1)?.model).toBe(`other (${3_000 - (MAX_MODELS - 1)} models)`);
    expect(JSON.stringify(metrics).length).toBeLessThan(64 * 1024);
  });

  it('shows a 10 MB progress detail cut, on a page of ordinary size', async () => {
    await start({ maxBodyBytes: 32 * 1024 * 1024 });
    const answer = await post(
      '/api/phase-update',
      JSON.stringify(phase({ progress_detail: 'x'.repeat(10_000_000) })),
    );
    expect(answer.status).toBe(200);
    const session = await sessionOf('weather-app');
    expect(session.progressDetail).toHaveLength(MAX_TEXT_LENGTH);
    expect(session.progressDetail?.endsWith(TRUNCATED)).toBe(true);
    const page = await (await fetch(`${server!.url}/sessions/${session.id}`)).text();
    expect(page).toContain(TRUNCATED);
    expect(page.length).toBeLessThan(1024 * 1024);
  });

  async function metricsOf(id: string): Promise<SessionMetrics> {
    server!.metrics.flush();
    return (await (await fetch(`${server!.url}/api/sessions/${id}/metrics`)).json()) as SessionMetrics;
  }
});

/** One `claude_code.api_request` log record tied to the weather-app build. */
function apiRequest(model: string, counts: Record<string, string>, requestId = 'req-1') {
  const attributes = Object.entries({
    'event.name': 'api_request',
    'event.timestamp': '2026-11-20T14:05:00.000Z',
    'session.id': 'claude-1',
    request_id: requestId,
    model,
    output_tokens: '0',
    ...counts,
  }).map(([key, value]) => ({ key, value: { stringValue: value } }));
  return { timeUnixNano: '1795183500000000000', attributes };
}

function otlpLogs(logRecords: unknown[]) {
  const project = { key: 'buildcast.project', value: { stringValue: 'weather-app' } };
  return { resourceLogs: [{ resource: { attributes: [project] }, scopeLogs: [{ logRecords }] }] };
}

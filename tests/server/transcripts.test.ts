/**
 * Claude Code transcripts read by a real server: exact totals, phase attribution, plain Claude
 * Code sessions for foreign folders, incremental reading, and nothing counted twice on restart.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionMetrics } from '../../src/shared/metrics.js';
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

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/transcripts');

interface LineOptions {
  id: string;
  at: string;
  cwd: string;
  model?: string;
  sidechain?: boolean;
  usage?: Partial<
    Record<
      'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens',
      number
    >
  >;
}

function line({
  id,
  at,
  cwd,
  model = 'claude-sonnet-4-5-20250929',
  sidechain = false,
  usage = {},
}: LineOptions): string {
  return JSON.stringify({
    type: 'assistant',
    isSidechain: sidechain,
    ...(sidechain ? { agentId: 'a1b2c3d' } : {}),
    cwd,
    sessionId: 'cc-session-1',
    requestId: `req_${id}`,
    timestamp: at,
    message: {
      id: `msg_${id}`,
      model,
      role: 'assistant',
      usage: {
        input_tokens: 10,
        output_tokens: 100,
        cache_creation_input_tokens: 1_000,
        cache_read_input_tokens: 10_000,
        ...usage,
      },
    },
  });
}

describe('Claude Code transcripts', () => {
  let server: ServerHandle | null = null;
  let root: string;
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  async function metricsOf(id: string): Promise<SessionMetrics> {
    await server!.tailer.settle();
    server!.metrics.flush();
    return (await (await fetch(`${server!.url}/api/sessions/${id}/metrics`)).json()) as SessionMetrics;
  }

  it('counts real usage exactly, by phase, and reads only what is new', async () => {
    root = tempDir();
    const workdir = path.join(root, 'builds', 'weather');
    const claude = path.join(root, 'claude');
    const project = path.join(claude, 'projects', workdir.replaceAll('/', '-'));
    mkdirSync(project, { recursive: true });
    const db = path.join(root, 'buildcast.db');
    const id = 'weather-app-20261120T140000Z';
    const build = { session_id: 'weather-app', started_at: '2026-11-20T14:00:00Z' };
    writePhaseFile(
      workdir,
      phase({
        ...build,
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'building',
        phases_completed: ['Scout'],
        timestamps: { phaseStart: '2026-11-20T14:10:00Z' },
      }),
    );

    const transcript = path.join(project, 'cc-session-1.jsonl');
    writeFileSync(
      transcript,
      [
        line({ id: '1', at: '2026-11-20T14:05:00Z', cwd: workdir }),
        // One streamed response, written three times: counted once.
        line({ id: '2', at: '2026-11-20T14:12:00Z', cwd: path.join(workdir, 'src') }),
        line({ id: '2', at: '2026-11-20T14:12:01Z', cwd: path.join(workdir, 'src') }),
        line({ id: '2', at: '2026-11-20T14:12:02Z', cwd: path.join(workdir, 'src') }),
        line({ id: '3', at: '2026-11-20T14:13:00Z', cwd: workdir, model: '<synthetic>' }),
        line({
          id: '4',
          at: '2026-11-20T14:14:00Z',
          cwd: workdir,
          sidechain: true,
          usage: { output_tokens: 500 },
        }),
        '{"type":"assistant","message":{"id":"msg_broken"',
        line({ id: '5', at: '2026-11-20T14:15:00Z', cwd: path.join(root, 'elsewhere', 'notes-app') }),
        '',
      ].join('\n'),
    );

    server = await startTestServer({ roots: [path.join(root, 'builds')], db, claudeDirs: [claude] });
    await server.tailer.backfillDone;
    const metrics = await metricsOf(id);
    expect(metrics.tokens).toMatchObject({
      input: 30,
      output: 700,
      cacheWrite: 3_000,
      cacheRead: 30_000,
      total: 33_730,
      requests: 3,
    });
    expect(metrics.tokens.subagent).toMatchObject({ requests: 1, output: 500 });
    // The subagent shows among the build's agents, with its tokens.
    expect(server.agents.agents(id)).toEqual([
      expect.objectContaining({
        id: 'subagent-a1b2c3d',
        type: 'subagent',
        source: 'transcript',
        tokensUsed: 11_510,
      }),
    ]);
    // Scout has no start time (it is known only as completed), so the first request is outside any phase.
    expect(metrics.tokens.byPhase.map((p) => [p.phase, p.requests])).toEqual([
      ['Builder', 2],
      [null, 1],
    ]);
    expect(metrics.tokens.costUsd).toBeGreaterThan(0);
    expect(server.registry.get(id)!.tokensTotal).toBe(33_730);

    // The request from another folder is a plain Claude Code session of its own.
    const notes = server.registry.list({ project: 'notes-app' }).sessions[0]!;
    expect(notes).toMatchObject({ source: 'transcript', workdir: path.join(root, 'elsewhere', 'notes-app') });
    expect((await metricsOf(notes.id)).tokens.requests).toBe(1);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      transcripts: { problems: number };
    };
    expect(health.transcripts.problems).toBe(1);

    // Appending one line while running adds exactly that line, and tells the sockets.
    const client = await FrameClient.connect(`${server.url.replace('http', 'ws')}/ws/${id}`);
    appendFileSync(
      transcript,
      `${line({ id: '6', at: '2026-11-20T14:20:00Z', cwd: workdir, usage: { input_tokens: 7, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } })}\n`,
    );
    await client.waitFor((f) => f.type === 'metrics' && f.metrics.tokens.requests === 4);
    expect((await metricsOf(id)).tokens.total).toBe(33_740);
    // The last line of that streamed response, read later, holds its final count: the request
    // is still counted once, with the larger figure.
    appendFileSync(
      transcript,
      `${line({ id: '6', at: '2026-11-20T14:20:05Z', cwd: workdir, usage: { input_tokens: 7, output_tokens: 250, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } })}\n`,
    );
    await client.waitFor((f) => f.type === 'metrics' && f.metrics.tokens.output === 950);
    expect((await metricsOf(id)).tokens).toMatchObject({ requests: 4, total: 33_987 });
    client.close();

    // A restart reads nothing again and counts nothing twice.
    await server.close();
    server = await startTestServer({ roots: [path.join(root, 'builds')], db, claudeDirs: [claude] });
    await server.tailer.backfillDone;
    expect(server.tailer.stats().bytes).toBe(0);
    expect((await metricsOf(id)).tokens).toMatchObject({ total: 33_987, requests: 4 });
    await eventually(() => server!.registry.get(id)?.tokensTotal === 33_987);
  });

  it('prices a recent session as Anthropic bills it: 1-hour cache writes and a long request', async () => {
    root = tempDir();
    const workdir = path.join(root, 'elsewhere', 'weather-app');
    const claude = path.join(root, 'claude');
    const project = path.join(claude, 'projects', workdir.replaceAll('/', '-'));
    mkdirSync(project, { recursive: true });
    // Claude Code 2.1 lines, as written in another folder, moved to this one.
    const fixture = readFileSync(path.join(FIXTURES, 'session-1h-cache.jsonl'), 'utf8');
    writeFileSync(
      path.join(project, '3b1f0c52-8e4a-4d27-b6f1-9c0e2a7d5f18.jsonl'),
      fixture.replaceAll('/home/dev/weather-app', workdir),
    );
    const db = path.join(root, 'buildcast.db');
    server = await startTestServer({ roots: [path.join(root, 'builds')], db, claudeDirs: [claude] });
    await server.tailer.backfillDone;
    const session = server.registry.list({ project: 'weather-app' }).sessions[0]!;
    const expected = {
      requests: 5,
      cacheWrite: 29_967,
      // 18,231 + 2,000 + 3,310 of those writes were for an hour; the fourth request's prompt
      // (201,712 tokens) is past 200k, so all of it is at the long-context rates.
      costUsd: 0.3453669,
    };
    expect((await metricsOf(session.id)).tokens).toMatchObject(expected);
    expect((await metricsOf(session.id)).tokens.subagent).toMatchObject({ requests: 1, costUsd: 0.009459 });

    // The split is stored with each request: after a restart, read from the database alone,
    // the cost is the same.
    await server.close();
    server = await startTestServer({ roots: [path.join(root, 'builds')], db, claudeDirs: [claude] });
    await server.tailer.backfillDone;
    expect(server.tailer.stats().bytes).toBe(0);
    expect((await metricsOf(session.id)).tokens).toMatchObject(expected);
  });

  it('does not let a run that never ended count the requests of the next run in its folder', async () => {
    root = tempDir();
    const workdir = path.join(root, 'builds', 'weather');
    const claude = path.join(root, 'claude');
    const project = path.join(claude, 'projects', workdir.replaceAll('/', '-'));
    mkdirSync(project, { recursive: true });
    writeFileSync(
      path.join(project, 'cc-session-1.jsonl'),
      [
        line({ id: 'a', at: '2026-11-20T14:30:00Z', cwd: workdir }),
        line({ id: 'b', at: '2026-11-20T16:30:00Z', cwd: workdir }),
        '',
      ].join('\n'),
    );
    server = await startTestServer({
      roots: [path.join(root, 'builds')],
      db: path.join(root, 'b.db'),
      claudeDirs: [claude],
    });
    const push = (started: string) =>
      fetch(`${server!.url}/api/phase-update`, {
        method: 'POST',
        body: JSON.stringify(
          phase({ workdir, started_at: started, current_phase: 'Builder', status: 'building' }),
        ),
      });
    await push('2026-11-20T14:00:00Z');
    await push('2026-11-20T16:00:00Z');
    await server.tailer.backfillDone;
    expect((await metricsOf('weather-app-20261120T140000Z')).tokens.requests).toBe(1);
    expect((await metricsOf('weather-app-20261120T160000Z')).tokens.requests).toBe(1);
  });
});

describe('a transcripts folder that goes away', () => {
  let server: ServerHandle | null = null;
  let root: string;
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  it('is counted as a problem while missing and no longer once it is watched again', async () => {
    root = tempDir();
    const claude = path.join(root, 'claude');
    const project = path.join(claude, 'projects', '-w-notes');
    mkdirSync(project, { recursive: true });
    server = await startTestServer({ roots: [path.join(root, 'builds')], claudeDirs: [claude] });
    await server.tailer.backfillDone;
    const health = async () =>
      (
        (await (await fetch(`${server!.url}/api/health`)).json()) as {
          transcripts: { problemsByFile: number };
        }
      ).transcripts.problemsByFile;
    expect(await health()).toBe(0);

    removeDir(claude);
    await eventually(async () => (await health()) > 0, 10_000);
    mkdirSync(project, { recursive: true });
    writeFileSync(
      path.join(project, 'cc-session-1.jsonl'),
      `${line({ id: '1', at: '2026-11-20T14:05:00Z', cwd: '/w/notes' })}\n`,
    );
    await eventually(async () => (await health()) === 0, 10_000);
  });
});

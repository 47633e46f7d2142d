/**
 * The ingest routes against a real server (issue 10): a phase update must say where the build
 * is, a hook payload is told where phase files go, and a pushed or replayed run keeps the times
 * its build wrote, so its phases and "Took" have their real durations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PhaseSpan, PlanPhase, Session } from '../../src/shared/protocol.js';
import type { ServerHandle } from '../../src/server/main.js';
import { eventually, removeDir, startTestServer, tempDir, writePhaseFile } from '../helpers/server.js';

const HOOK_PAYLOAD = readFileSync(
  new URL('../fixtures/phase-files/hook-payload.json', import.meta.url),
  'utf8',
);

interface Detail {
  session: Session;
  phases: PhaseSpan[];
  plan: PlanPhase[];
}

describe('POST /api/phase-update', () => {
  let server: ServerHandle | null = null;
  let root: string | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
    if (root) removeDir(root);
    root = null;
  });

  const push = (body: unknown): Promise<Response> =>
    fetch(`${server!.url}/api/phase-update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const sessions = async (): Promise<Session[]> =>
    ((await (await fetch(`${server!.url}/api/sessions`)).json()) as { sessions: Session[] }).sessions;
  const detail = async (id: string): Promise<Detail> =>
    (await (await fetch(`${server!.url}/api/sessions/${id}`)).json()) as Detail;

  it('refuses a Claude Code hook payload with 400, says hooks are not phase files, and starts no session', async () => {
    server = await startTestServer();
    const answer = await push(HOOK_PAYLOAD);
    expect(answer.status).toBe(400);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('bad_fields');
    expect(error.message).toContain('Claude Code hook payload (PostToolUse)');
    expect(error.message).toContain('hooks are not phase files');
    expect(error.message).toContain('-d @.context-foundry/current-phase.json');
    expect(await sessions()).toEqual([]);
  });

  it('refuses JSON that names a project but no phase, phase number or status', async () => {
    server = await startTestServer();
    for (const body of [
      { session_id: 'weather-app' },
      { session_id: 'weather-app', progress_detail: 'Reading', started_at: '2026-11-20T14:02:11Z' },
      { sessionId: 'weather-app', testIteration: 2, phasesCompleted: ['Scout'] },
    ]) {
      const answer = await push(body);
      expect(answer.status).toBe(400);
      const { error } = (await answer.json()) as { error: { code: string; message: string } };
      expect(error).toMatchObject({ code: 'bad_fields' });
      expect(error.message).toContain('expected current_phase, phase_number or status');
    }
    expect(await sessions()).toEqual([]);
    // A status alone, in any spelling the parser reads, is enough.
    expect((await push({ session_id: 'weather-app', Status: 'Researching' })).status).toBe(200);
    expect((await sessions()).map((s) => s.project)).toEqual(['weather-app']);
  });

  it('a phase file holding a hook payload is a warning about that file, not a session', async () => {
    root = tempDir();
    const file = writePhaseFile(path.join(root, 'weather-app'), HOOK_PAYLOAD);
    server = await startTestServer({ roots: [root] });
    const problems = await eventually(async () => {
      const health = (await (await fetch(`${server!.url}/api/health`)).json()) as {
        problems: Array<{ file: string; reason: string }>;
      };
      return health.problems.length > 0 && health.problems;
    });
    expect(problems).toEqual([
      { file, reason: expect.stringContaining('hooks are not phase files') as unknown as string },
    ]);
    expect(await sessions()).toEqual([]);
  });

  it('times pushed phases by the build’s own timestamps, so a replayed run has its real durations', async () => {
    server = await startTestServer();
    const run = { session_id: 'replayed-app', started_at: '2026-11-20T14:00:00Z' };
    // Sent all at once, as a replay sends them: only the build's clock can tell them apart.
    const updates = [
      {
        current_phase: 'Scout',
        phase_number: '1/7',
        status: 'researching',
        last_updated: '2026-11-20T14:00:00Z',
      },
      {
        current_phase: 'Scout',
        phase_number: '1/7',
        status: 'completed',
        last_updated: '2026-11-20T14:04:30Z',
      },
      {
        current_phase: 'Architect',
        phase_number: '2/7',
        status: 'designing',
        // Epoch milliseconds, as the demo writes them, nested as Context Foundry nests them.
        timestamps: {
          phaseStart: Date.parse('2026-11-20T14:05:00Z'),
          lastUpdated: Date.parse('2026-11-20T14:05:00Z'),
        },
      },
      {
        current_phase: 'Architect',
        phase_number: '2/7',
        status: 'completed',
        timestamps: {
          phaseStart: Date.parse('2026-11-20T14:05:00Z'),
          phaseEnd: Date.parse('2026-11-20T14:12:00Z'),
          lastUpdated: Date.parse('2026-11-20T14:12:05Z'),
        },
      },
      {
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'building',
        last_updated: '2026-11-20T14:12:10Z',
      },
      {
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'failed',
        last_updated: '2026-11-20T14:31:10Z',
      },
    ];
    let id = '';
    for (const update of updates) {
      const answer = await push({ ...run, ...update });
      expect(answer.status).toBe(200);
      id = ((await answer.json()) as { id: string }).id;
    }
    const { session, phases, plan } = await detail(id);
    expect(
      phases.map(({ name, startedAt, endedAt, durationMs, clock }) => ({
        name,
        startedAt,
        endedAt,
        durationMs,
        clock,
      })),
    ).toEqual([
      {
        name: 'Scout',
        startedAt: '2026-11-20T14:00:00.000Z',
        endedAt: '2026-11-20T14:04:30.000Z',
        durationMs: 270_000,
        clock: 'build',
      },
      {
        name: 'Architect',
        startedAt: '2026-11-20T14:05:00.000Z',
        endedAt: '2026-11-20T14:12:00.000Z',
        durationMs: 420_000,
        clock: 'build',
      },
      {
        name: 'Builder',
        startedAt: '2026-11-20T14:12:10.000Z',
        endedAt: '2026-11-20T14:31:10.000Z',
        durationMs: 1_140_000,
        clock: 'build',
      },
    ]);
    // "Took" runs from the build's start to the end its last update gives.
    expect(session).toMatchObject({
      state: 'failed',
      startedAt: '2026-11-20T14:00:00.000Z',
      endedAt: '2026-11-20T14:31:10.000Z',
    });
    expect(plan.find((p) => p.name === 'Architect')).toMatchObject({ durationMs: 420_000, clock: 'build' });
    const page = await (await fetch(`${server.url}/sessions/${id}`)).text();
    expect(page).not.toContain('timed on receipt');
  });

  it('marks phases the build gave no time for as timed on receipt, on the API and the session page', async () => {
    server = await startTestServer();
    const run = { session_id: 'untimed-app', started_at: '2026-11-20T14:00:00Z' };
    await push({ ...run, current_phase: 'Scout', phase_number: '1/7', status: 'researching' });
    const answer = await push({
      ...run,
      current_phase: 'Architect',
      phase_number: '2/7',
      status: 'designing',
    });
    const { id } = (await answer.json()) as { id: string };
    const { phases, plan } = await detail(id);
    expect(phases.map((p) => [p.name, p.clock])).toEqual([
      ['Scout', 'receipt'],
      ['Architect', 'receipt'],
    ]);
    expect(plan.find((p) => p.name === 'Scout')?.clock).toBe('receipt');
    const page = await (await fetch(`${server.url}/sessions/${id}`)).text();
    expect(page).toMatch(/title="timed on receipt: the build wrote no timestamps for this phase"\s*>\s*≈/);
  });

  it('keeps whose clock timed each phase across a restart', async () => {
    root = tempDir();
    const db = path.join(root, 'buildcast.db');
    server = await startTestServer({ db });
    const run = { session_id: 'kept-app', started_at: '2026-11-20T14:00:00Z' };
    await push({
      ...run,
      current_phase: 'Scout',
      phase_number: '1/7',
      status: 'researching',
      last_updated: '2026-11-20T14:00:00Z',
    });
    const answer = await push({
      ...run,
      current_phase: 'Architect',
      phase_number: '2/7',
      status: 'designing',
    });
    const { id } = (await answer.json()) as { id: string };
    const before = (await detail(id)).phases;
    expect(before.map((p) => p.clock)).toEqual(['receipt', 'receipt']);
    await push({
      ...run,
      current_phase: 'Builder',
      phase_number: '3/7',
      status: 'building',
      last_updated: '2026-11-20T14:30:00Z',
    });
    const timed = (await detail(id)).phases;
    await server.close();
    server = await startTestServer({ db });
    expect((await detail(id)).phases).toEqual(timed);
    expect(timed.at(-1)).toMatchObject({
      name: 'Builder',
      clock: 'build',
      startedAt: '2026-11-20T14:30:00.000Z',
    });
  });
});

/**
 * The ingest routes against a real server (issue 10): a phase update must say where the build
 * is, and a hook payload is told where phase files go.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import type { ServerHandle } from '../../src/server/main.js';
import { eventually, removeDir, startTestServer, tempDir, writePhaseFile } from '../helpers/server.js';

const HOOK_PAYLOAD = readFileSync(
  new URL('../fixtures/phase-files/hook-payload.json', import.meta.url),
  'utf8',
);

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
});

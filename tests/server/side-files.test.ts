/**
 * Side files name a folder, not a run: a real server over a real folder applies them only to the
 * run they belong to (issue 10: a summary left by an earlier run must not complete the next one).
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { eventually, phase, removeDir, startTestServer, tempDir, writePhaseFile } from '../helpers/server.js';

describe('session-summary.json', () => {
  let server: ServerHandle | null = null;
  let root: string;
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  function writeSummary(workdir: string, summary: Record<string, unknown>, writtenAt: Date): void {
    const folder = path.join(workdir, '.context-foundry');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'session-summary.json');
    writeFileSync(file, JSON.stringify(summary));
    utimesSync(file, writtenAt, writtenAt);
  }

  it('left by an earlier run does not complete the new one; the run’s own summary does', async () => {
    root = tempDir();
    const workdir = path.join(root, 'weather-app');
    const startedAt = new Date(Date.now() - 60_000);
    // The previous run's summary, finished and written two minutes before this run started.
    const before = new Date(startedAt.getTime() - 120_000);
    writeSummary(
      workdir,
      { session_id: 'weather-app', status: 'completed', completed_at: before.toISOString() },
      before,
    );
    writePhaseFile(
      workdir,
      phase({
        session_id: 'weather-app',
        started_at: startedAt.toISOString(),
        current_phase: 'Builder',
        phase_number: '3/7',
        status: 'building',
      }),
    );
    server = await startTestServer({ roots: [root] });
    const id = await eventually(() => server!.registry.latestOfProject('weather-app')?.id);
    await server.collector.flushPending();
    expect(server.registry.get(id)?.state).toBe('running');

    // Another project's summary in the same folder says nothing about this run either.
    writeSummary(
      workdir,
      { session_id: 'todo-api', status: 'completed', completed_at: new Date().toISOString() },
      new Date(),
    );
    await server.collector.flushPending();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.registry.get(id)?.state).toBe('running');

    const done = new Date();
    writeSummary(
      workdir,
      { session_id: 'weather-app', status: 'completed', completed_at: done.toISOString() },
      done,
    );
    await eventually(() => server!.registry.get(id)?.state === 'completed');
    expect(server.registry.get(id)?.endedAt).toBe(done.toISOString());
  });
});

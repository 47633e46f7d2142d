/**
 * SPEC 2 "an answered HTTP request cannot be re-read after a crash": every push answered 200 is in
 * SQLite, even when the process is killed (SIGKILL, no shutdown) right after the answer.
 * Runs the built binary (`npm test` builds first).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import { phase, removeDir, tempDir } from '../helpers/server.js';

const cli = path.resolve(import.meta.dirname, '../../dist/src/server/cli.js');

interface Child {
  url: string;
  kill(): Promise<void>;
}

/** Starts `buildcast serve` on a free port and resolves with its URL once it prints its line. */
function serve(dir: string, db: string): Promise<Child> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--root', dir, '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({
        url: line.replace('buildcast listening on ', ''),
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      }),
    );
  });
}

describe('acknowledged pushes', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  });
  afterEach(() => removeDir(dir));

  it('are all there after SIGKILL right after the last answer and a restart', async () => {
    dir = tempDir();
    const db = path.join(dir, 'buildcast.db');
    const first = await serve(dir, db);
    const push = (body: Record<string, unknown>) =>
      fetch(`${first.url}/api/phase-update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const runs = ['alpha', 'beta', 'gamma'];
    for (let step = 1; step <= 12; step++) {
      const answers = await Promise.all(
        runs.map((project) =>
          push(
            phase({
              session_id: project,
              started_at: '2026-11-20T14:00:00Z',
              current_phase: 'Test',
              phase_number: '4/7',
              status: 'testing',
              test_iteration: step,
            }),
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    }
    await first.kill();

    const second = await serve(dir, db);
    try {
      const { sessions } = (await (await fetch(`${second.url}/api/sessions`)).json()) as {
        sessions: Session[];
      };
      const byProject = new Map(sessions.map((s) => [s.project, s]));
      expect(byProject.get('alpha')).toMatchObject({ state: 'running', testIteration: 12 });
      expect(byProject.get('beta')).toMatchObject({ state: 'running', testIteration: 12 });
      expect(byProject.get('gamma')).toMatchObject({ state: 'running', testIteration: 12 });
    } finally {
      await second.kill();
    }
  });
});

/**
 * The command line as a user runs it: the built `buildcast` binary in a child process.
 * (`npm test` builds first; run `npm run build` before running this file alone.)
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import { eventually, phase, removeDir, tempDir, writePhaseFile } from '../helpers/server.js';

const cli = path.resolve(import.meta.dirname, '../../dist/src/server/cli.js');

/** Whether a buildcast process watching `dir` is still alive. */
function running(dir: string): boolean {
  const list = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  return list.split('\n').some((line) => line.includes('cli.js serve') && line.includes(dir));
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

function run(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  let killedAt = 0;
  const kill = child.kill.bind(child);
  child.kill = (signal?: NodeJS.Signals | number) => {
    killedAt = Date.now();
    return kill(signal);
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, ms: killedAt ? Date.now() - killedAt : 0 })),
  );
  return { child, stdout, stderr, url: '', exited };
}

async function serve(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const running = run(args, env);
  const line = await eventually(() => running.stdout[0], 15_000);
  running.url = line.replace('buildcast listening on ', '');
  return running;
}

describe('buildcast command line', () => {
  const children: Running[] = [];
  const dirs: string[] = [];
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  });
  afterEach(() => {
    for (const { child } of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('prints exactly one start-up line with the real port, serves, and flushes on SIGTERM', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = path.join(dir, 'buildcast.db');
    const first = await serve([
      '--root',
      dir,
      '--port',
      '0',
      '--db',
      db,
      '--checkpoints',
      path.join(dir, 'cp'),
    ]);
    children.push(first);
    expect(first.stdout[0]).toMatch(/^buildcast listening on http:\/\/127\.0\.0\.1:(\d+)$/);
    expect(first.url).not.toMatch(/:0$/);

    writePhaseFile(path.join(dir, 'weather'), phase({ progress_detail: 'busy', status: 'testing' }));
    const listed = await eventually(async () => {
      const body = (await (await fetch(`${first.url}/api/sessions`)).json()) as { sessions: Session[] };
      return body.sessions[0];
    });
    expect(listed.progressDetail).toBe('busy');
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(2_500);
    expect(first.stdout).toHaveLength(1);

    // A session that changed less than a second before SIGTERM is on disk: the restart has it.
    const second = await serve(['--port', '0', '--root', path.join(dir, 'empty')], { BUILDCAST_DB: db });
    children.push(second);
    const body = (await (await fetch(`${second.url}/api/sessions`)).json()) as { sessions: Session[] };
    expect(body.sessions.map((s) => [s.id, s.progressDetail])).toEqual([
      ['weather-app-20261120T140211Z', 'busy'],
    ]);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });

  it('refuses bad options with a message and exit code 2', async () => {
    const bad = run(['--port', 'eighty']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr.join('\n')).toContain('--port takes a whole number');
    const help = run(['--help']);
    expect((await help.exited).code).toBe(0);
    expect(help.stdout.join('\n')).toContain('--checkpoints DIR');
  });

  it('answers the exact start interface through npm start, with one stdout line', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const child = spawn(
      'npm',
      [
        'start',
        '--',
        '--root',
        dir,
        '--port',
        '0',
        '--db',
        path.join(dir, 'b.db'),
        '--checkpoints',
        path.join(dir, 'cp'),
      ],
      { cwd: path.resolve(import.meta.dirname, '../..'), env: { ...process.env, BUILDCAST_PORT: '1' } },
    );
    const stdout: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const first = await eventually(() => stdout[0], 60_000);
      expect(first).toMatch(/^buildcast listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = first.replace('buildcast listening on ', '');
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      expect(stdout).toHaveLength(1);
      // A supervisor stops npm, not buildcast: the signal must still reach it and end it cleanly.
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await eventually(() => !running(dir), 5_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});

/**
 * @module
 * Shared machinery of the benchmark: where the built server is, spawning a server as a child
 * process and waiting for its start-up line, temporary folders, and a scope that undoes
 * everything (children, folders) in `finally` or when a scenario's hard time limit fires.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file runs from `dist/bench/`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built command line of buildcast. */
export const serverCli = path.join(repoRoot, 'dist', 'src', 'server', 'cli.js');
/** Compiled siblings of this file (floors, memory probe). */
export const benchDist = path.dirname(fileURLToPath(import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
// A bench interrupted mid-run (Ctrl-C) must leave no server running and no folder behind.
process.on('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Resources a scenario holds; `close()` releases them newest first and never throws. */
export class Scope {
  readonly #undo: Array<() => unknown> = [];
  readonly #controller = new AbortController();

  /** Aborted when the scenario runs out of time; long loops check it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  defer(undo: () => unknown): void {
    this.#undo.push(undo);
  }

  /** A fresh temporary folder, removed on close. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), `buildcast-bench-${prefix}-`));
    tempDirs.add(dir);
    this.defer(() => {
      tempDirs.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    });
    return dir;
  }

  abort(reason: string): void {
    this.#controller.abort(new Error(reason));
  }

  async close(): Promise<void> {
    while (this.#undo.length > 0) {
      try {
        await this.#undo.pop()!();
      } catch {
        // Cleanup goes on: one stuck resource must not leak the others.
      }
    }
  }
}

/** Runs `work` in a scope that is always closed; past `timeoutMs` it is aborted and rejected. */
export async function withScope<T>(timeoutMs: number, work: (scope: Scope) => Promise<T>): Promise<T> {
  const scope = new Scope();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      scope.abort(`timed out after ${Math.round(timeoutMs / 1000)} s`);
      reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(scope), limit]);
  } finally {
    clearTimeout(timer);
    await scope.close();
  }
}

/** A running child server. */
export interface Child {
  pid: number;
  /** The URL from its start-up line. */
  url: string;
  /** Milliseconds from spawn to the start-up line. */
  startMs: number;
  /** The last lines it wrote to stderr (for error messages). */
  stderrTail: string[];
  /** Called for every stderr line (the memory probe answers there); returns an unsubscribe. */
  onStderr: (listener: (line: string) => void) => () => void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code once it is gone. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface SpawnOptions {
  /** Matches the start-up line; group 1 is the URL. */
  ready: RegExp;
  timeoutMs?: number;
  /** Extra node flags before the script (`--import` of the memory probe). */
  nodeArgs?: string[];
}

/** Spawns `node script ...args`, resolves once it prints its start-up line on stdout. */
export function spawnChild(
  script: string,
  args: string[],
  scope: Scope,
  options: SpawnOptions,
): Promise<Child> {
  if (!existsSync(script)) {
    return Promise.reject(
      new Error(`${path.relative(repoRoot, script)} is missing: run npm run build first`),
    );
  }
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('BUILDCAST_')),
  );
  const started = performance.now();
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  void exited.then(() => live.delete(proc));
  const stop = async (graceMs = 5_000): Promise<number | null> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  scope.defer(() => stop(2_000));

  const stderrTail: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  let pending = '';
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
      for (const listener of listeners) listener(line);
    }
  });

  return new Promise<Child>((resolve, reject) => {
    let out = '';
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop(500);
      reject(
        new Error(
          `${path.basename(script)} ${why}${stderrTail.length ? `:\n  ${stderrTail.join('\n  ')}` : ''}`,
        ),
      );
    };
    const timer = setTimeout(() => fail('did not start in time'), options.timeoutMs ?? 60_000);
    proc.once('exit', (code) => fail(`exited with code ${code} before it was ready`));
    proc.stdout!.setEncoding('utf8').on('data', function onData(chunk: string) {
      out += chunk;
      const line = out.split('\n').find((l) => options.ready.test(l));
      if (line === undefined || settled) return;
      settled = true;
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      proc.stdout!.resume();
      resolve({
        pid: proc.pid!,
        url: options.ready.exec(line)![1]!,
        startMs: performance.now() - started,
        stderrTail,
        onStderr: (listener) => {
          listeners.push(listener);
          return () => {
            const at = listeners.indexOf(listener);
            if (at !== -1) listeners.splice(at, 1);
          };
        },
        stop,
      });
    });
  });
}

/** Options every buildcast child gets: an isolated data folder, no user settings. */
export interface ServerSpawn {
  root: string;
  db: string;
  debounceMs: number;
  /** Loads the memory probe (a full GC, then `process.memoryUsage()`, on SIGUSR2). */
  probe?: boolean;
}

/** Starts `buildcast serve` on a free port against `root` and `db`. */
export function spawnBuildcast(
  scope: Scope,
  { root, db, debounceMs, probe = false }: ServerSpawn,
): Promise<Child> {
  const claude = scope.tempDir('claude');
  return spawnChild(
    serverCli,
    [
      'serve',
      '--port',
      '0',
      '--root',
      root,
      '--db',
      db,
      '--debounce',
      String(debounceMs),
      '--heartbeat',
      '5',
      '--claude-dir',
      claude,
    ],
    scope,
    {
      ready: /^buildcast listening on (http:\/\/\S+)$/,
      nodeArgs: probe
        ? ['--expose-gc', '--import', pathToFileURL(path.join(benchDist, 'mem-probe.js')).href]
        : [],
    },
  );
}

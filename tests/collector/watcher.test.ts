/**
 * The watcher over real folders and real chokidar. The clock that times the search for a missing
 * root is fake, so each test decides when it looks again; the one failure that cannot be caused
 * here, the OS running out of watchers, comes from a test double at the factory seam.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { isPhaseFile } from '../../src/collector/build-files.js';
import {
  startWatcher,
  watchWithChokidar,
  type WatchEvent,
  type WatchFactory,
  type Watcher,
} from '../../src/collector/watcher.js';
import { eventually, removeDir, sleep, tempDir } from '../helpers/server.js';

/** `<root>/<name>/.context-foundry/current-phase.json`, its folder made. */
function phasePath(root: string, name: string): string {
  const folder = path.join(root, name, '.context-foundry');
  mkdirSync(folder, { recursive: true });
  return path.join(folder, 'current-phase.json');
}

function outOfWatchers(root: string): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
    code: 'ENOSPC',
    path: root,
  });
}

describe('watcher', () => {
  const cleanup: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function folder(): string {
    const dir = tempDir();
    cleanup.push(() => removeDir(dir));
    return dir;
  }

  async function watch(roots: string[], extra: { watch?: WatchFactory; pollingIntervalMs?: number } = {}) {
    const clock = new FakeClock();
    const seen: Array<{ event: WatchEvent; file: string }> = [];
    const problems = new Map<string, string>();
    const log: string[] = [];
    const watcher = await new Promise<Watcher>((resolve) => {
      const w: Watcher = startWatcher({
        roots,
        accept: isPhaseFile,
        clock,
        rootCheckMs: 1_000,
        ...extra,
        onFile: (event, file) => seen.push({ event, file }),
        onProblem: (where, reason) => {
          problems.set(where, reason);
          log.push(`problem ${where}`);
        },
        onResolved: (where) => {
          problems.delete(where);
          log.push(`resolved ${where}`);
        },
        onReady: () => resolve(w),
      });
    });
    cleanup.push(() => watcher.close());
    const saw = (file: string) => seen.some((s) => s.file === file && s.event !== 'unlink');
    /** Moves the clock on until the check holds: each look for a missing root is one step. */
    const until = (check: () => boolean) =>
      eventually(() => {
        clock.advance(1_000);
        return check();
      });
    return { clock, seen, saw, problems, log, until, watcher };
  }

  it('does not lose a write that follows another within 50 ms', async () => {
    const root = folder();
    const file = phasePath(root, 'w');
    const { seen } = await watch([root]);
    writeFileSync(file, '{"status":"one"}');
    await eventually(() => seen.length >= 1);
    await sleep(100);
    writeFileSync(file, '{"status":"two"}');
    await eventually(() => seen.length >= 2);
    // chokidar itself stays silent about this one: it falls in the 50 ms after "two".
    writeFileSync(file, '{"status":"three, longer"}');
    await sleep(300);
    expect(seen.map((s) => s.event)).toEqual(['add', 'change', 'change']);
  });

  it('skips FIFOs named like a phase file with a problem each, and reports the good file', async () => {
    const root = folder();
    const fifos = Array.from({ length: 6 }, (_, i) => phasePath(root, `fifo-${i}`));
    for (const fifo of fifos.slice(0, 3)) execFileSync('mkfifo', [fifo]);
    const { seen, saw, problems, log } = await watch([root]);
    for (const fifo of fifos.slice(3)) execFileSync('mkfifo', [fifo]);
    const good = phasePath(root, 'good');
    writeFileSync(good, '{}');
    await eventually(() => saw(good) && problems.size === 6);
    expect(seen.filter((s) => s.file !== good)).toEqual([]);
    for (const fifo of fifos)
      expect(problems.get(fifo)).toBe('not a regular file (a FIFO); skipped, never opened');

    // Replaced by a regular file, the path is read and its problem is over.
    rmSync(fifos[0]!);
    writeFileSync(fifos[0]!, '{}');
    await eventually(() => saw(fifos[0]!));
    expect(problems.has(fifos[0]!)).toBe(false);
    expect(log).toContain(`resolved ${fifos[0]}`);
  });

  it('watches a root again when it is removed and made again', async () => {
    const base = folder();
    const root = path.join(base, 'builds');
    const first = phasePath(root, 'first');
    writeFileSync(first, '{}');
    const { saw, problems, until, seen } = await watch([root]);
    await eventually(() => saw(first));

    rmSync(root, { recursive: true });
    await eventually(() => problems.get(root));
    expect(problems.get(root)).toBe('folder was removed; it will be watched again when it comes back');

    const second = phasePath(root, 'second');
    writeFileSync(second, '{}');
    await until(() => saw(second));
    expect(problems.has(root)).toBe(false);

    // And it goes on being watched, changes included.
    const count = seen.length;
    writeFileSync(second, '{"status":"testing"}');
    await eventually(() => seen.length > count);
    expect(seen.at(-1)).toEqual({ event: 'change', file: second });
  });

  it('reports a root missing at start, is ready at once, and watches it once it appears', async () => {
    const base = folder();
    const present = path.join(base, 'present');
    mkdirSync(present);
    const missing = path.join(base, 'later');
    const { saw, problems, until, log } = await watch([present, missing]);
    expect(problems.get(missing)).toBe('folder not found; it will be watched once it appears');

    const file = phasePath(missing, 'w');
    writeFileSync(file, '{}');
    await until(() => saw(file));
    expect(problems.size).toBe(0);
    expect(log).toEqual([`problem ${missing}`, `resolved ${missing}`]);
  });

  for (const how of ['throws', 'reports an error'] as const) {
    it(`polls a root for which the OS has no watchers left (the factory ${how})`, async () => {
      const root = folder();
      const before = phasePath(root, 'before');
      writeFileSync(before, '{}');
      const asked: boolean[] = [];
      const failing: WatchFactory = (folder, options) => {
        asked.push(options.usePolling === true);
        if (options.usePolling) return watchWithChokidar(folder, options);
        if (how === 'throws') throw outOfWatchers(folder);
        const real = watchWithChokidar(folder, options);
        setImmediate(() => real.emit('error', outOfWatchers(folder)));
        return real;
      };
      const { saw, problems } = await watch([root], { watch: failing, pollingIntervalMs: 50 });
      await eventually(() => saw(before));
      expect(problems.get(root)).toBe('out of OS file watchers; polling this folder every 50 ms instead');

      const after = phasePath(root, 'after');
      writeFileSync(after, '{}');
      await eventually(() => saw(after));
      expect(asked).toEqual([false, true]);
    });
  }
});

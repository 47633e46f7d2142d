/**
 * @module
 * The only module that knows chokidar. It watches folders for the files buildcast cares about,
 * prunes heavy folders early, never follows symbolic links (so a link loop cannot trap it), and
 * cannot be starved: a FIFO, socket or device named like a build file is skipped, never opened; a
 * root that is missing or removed is watched once it is there again; a root for which the OS has
 * no more watchers is polled instead. Each such condition is reported once as a problem of its
 * path, and reported resolved when it ends, while the rest goes on being watched.
 */
import type { Stats } from 'node:fs';
import path from 'node:path';
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import type { Clock, TimerHandle } from '../shared/clock.js';
import { fileExists, fileIdentity, notRegular } from './reader.js';

/**
 * chokidar drops every `change` of a file for 50 ms after it reports one, and never reports
 * them later; a file written twice in quick succession would keep its first content. So each
 * reported file is looked at again just after that window, and a change seen then is reported.
 * The window is chokidar's own real time, so this check runs on real timers too.
 */
const TRAILING_CHECK_MS = 60;

/** Folders never worth descending into: dependencies, VCS data, build output, caches. */
const HEAVY_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.tox',
  'dist',
  'build',
  'target',
  '.next',
  '.nuxt',
  '.cache',
  '.gradle',
  '.idea',
  'coverage',
  'vendor',
  'Pods',
  '.terraform',
]);

export const WatchEvent = { Add: 'add', Change: 'change', Unlink: 'unlink' } as const;
export type WatchEvent = (typeof WatchEvent)[keyof typeof WatchEvent];

/** How one root's chokidar watcher is made: a seam for the one failure that cannot be caused here. */
export type WatchFactory = (root: string, options: ChokidarOptions) => FSWatcher;

/** The real factory. */
export const watchWithChokidar: WatchFactory = (root, options) => watch(root, options);

export interface WatcherOptions {
  roots: readonly string[];
  /** Which files matter; everything else is ignored (and its folders still descended). */
  accept: (file: string) => boolean;
  /** Which folders to descend; the default skips {@link HEAVY_FOLDERS}. */
  descend?: (folder: string) => boolean;
  depth?: number;
  onFile: (event: WatchEvent, file: string) => void;
  onProblem: (where: string, reason: string) => void;
  /** A problem reported for `where` is over (the root is back, the FIFO is gone). */
  onResolved?: (where: string) => void;
  onReady?: () => void;
  /** Times the checks for a missing root. */
  clock: Clock;
  /** How often a missing root is looked for. */
  rootCheckMs?: number;
  /** How often a root is polled once the OS has no watchers left for it. */
  pollingIntervalMs?: number;
  watch?: WatchFactory;
}

export interface Watcher {
  close(): Promise<void>;
}

/** Codes with which the OS says it has no more file watchers to give. */
const OUT_OF_WATCHERS = new Set(['ENOSPC', 'EMFILE']);

/** The options every root shares, resolved once. */
interface Shared {
  options: WatcherOptions;
  depth: number;
  rootCheckMs: number;
  pollingIntervalMs: number;
  watch: WatchFactory;
  descend: (folder: string) => boolean;
  problems: Problems;
  recheck: (file: string, seen: Stats | undefined) => void;
  isClosed: () => boolean;
}

/** Problems by path, each reported once until it is resolved. */
class Problems {
  readonly #open = new Map<string, string>();
  readonly #options: WatcherOptions;

  constructor(options: WatcherOptions) {
    this.#options = options;
  }

  report(where: string, reason: string): void {
    if (this.#open.get(where) === reason) return;
    this.#open.set(where, reason);
    this.#options.onProblem(where, reason);
  }

  resolve(where: string): void {
    if (this.#open.delete(where)) this.#options.onResolved?.(where);
  }
}

/** Starts watching; existing files are reported as `add` during the first scan of each root. */
export function startWatcher(options: WatcherOptions): Watcher {
  const trailing = new Map<string, ReturnType<typeof setTimeout>>();
  let closed = false;
  const shared: Shared = {
    options,
    depth: options.depth ?? 12,
    rootCheckMs: options.rootCheckMs ?? 1_000,
    pollingIntervalMs: options.pollingIntervalMs ?? 1_000,
    watch: options.watch ?? watchWithChokidar,
    descend: options.descend ?? ((folder: string) => !HEAVY_FOLDERS.has(path.basename(folder))),
    problems: new Problems(options),
    isClosed: () => closed,
    recheck: (file, seen) => {
      // Each reported event opens a new 50 ms window; the check must cover the latest one.
      clearTimeout(trailing.get(file));
      trailing.set(
        file,
        setTimeout(() => {
          trailing.delete(file);
          void fileIdentity(file).then((now) => {
            if (closed || !now || !seen) return;
            if (now.mtimeMs !== seen.mtimeMs || now.size !== seen.size || now.ino !== seen.ino) {
              options.onFile(WatchEvent.Change, file);
            }
          });
        }, TRAILING_CHECK_MS),
      );
    },
  };
  const roots = [...new Set(options.roots.map((root) => path.resolve(root)))];
  let waiting = roots.length;
  const ready = () => {
    waiting -= 1;
    if (waiting === 0) options.onReady?.();
  };
  if (roots.length === 0) queueMicrotask(() => options.onReady?.());
  const watches = roots.map((root) => new RootWatch(root, shared, ready));
  return {
    close: async () => {
      closed = true;
      for (const timer of trailing.values()) clearTimeout(timer);
      trailing.clear();
      await Promise.all(watches.map((watch) => watch.close()));
    },
  };
}

/** One root: watched while it exists, looked for while it does not, polled once out of watchers. */
class RootWatch {
  readonly #root: string;
  readonly #shared: Shared;
  #ready: (() => void) | null;
  #watcher: FSWatcher | null = null;
  #check: TimerHandle | null = null;
  #polling = false;

  constructor(root: string, shared: Shared, ready: () => void) {
    this.#root = root;
    this.#shared = shared;
    this.#ready = ready;
    void this.#lookFor('folder not found; it will be watched once it appears');
  }

  async close(): Promise<void> {
    if (this.#check !== null) this.#shared.options.clock.clearTimeout(this.#check);
    this.#check = null;
    this.#markReady();
    await this.#stop();
  }

  /** The first scan of this root is done, or there is nothing to scan: counted once. */
  #markReady(): void {
    this.#ready?.();
    this.#ready = null;
  }

  /** Watches the root if it is there; otherwise says why and checks again on the clock. */
  async #lookFor(absent: string): Promise<void> {
    const { clock } = this.#shared.options;
    this.#check = null;
    const present = await fileExists(this.#root);
    if (this.#shared.isClosed()) return;
    if (present) {
      this.#shared.problems.resolve(this.#root);
      this.#start();
      return;
    }
    this.#shared.problems.report(this.#root, absent);
    this.#markReady();
    this.#check = clock.setTimeout(() => void this.#lookFor(absent), this.#shared.rootCheckMs);
  }

  #start(): void {
    const { options, problems, depth, pollingIntervalMs } = this.#shared;
    const root = this.#root;
    const polling = this.#polling;
    if (polling) {
      const every = pollingIntervalMs >= 1_000 ? `${pollingIntervalMs / 1_000} s` : `${pollingIntervalMs} ms`;
      problems.report(root, `out of OS file watchers; polling this folder every ${every} instead`);
    }
    const ignored = (file: string, stats?: Stats): boolean => {
      if (file === root || !stats) return false;
      if (stats.isDirectory()) return !this.#shared.descend(file);
      return !options.accept(file);
    };
    let watcher: FSWatcher;
    try {
      watcher = this.#shared.watch(root, {
        ignored,
        alwaysStat: true,
        ignoreInitial: false,
        followSymlinks: false,
        depth,
        atomic: !polling,
        usePolling: polling,
        interval: pollingIntervalMs,
        binaryInterval: pollingIntervalMs,
        persistent: true,
      });
    } catch (error) {
      this.#failed(error as NodeJS.ErrnoException);
      return;
    }
    this.#watcher = watcher;
    watcher.on('add', (file, stats) => this.#report(WatchEvent.Add, file, stats));
    watcher.on('change', (file, stats) => this.#report(WatchEvent.Change, file, stats));
    watcher.on('unlink', (file) => this.#report(WatchEvent.Unlink, file));
    watcher.on('unlinkDir', (folder) => {
      if (folder === root && this.#watcher === watcher) void this.#vanished();
    });
    watcher.on('error', (error) => {
      if (this.#watcher === watcher) this.#failed(error as NodeJS.ErrnoException);
    });
    watcher.on('ready', () => this.#markReady());
  }

  #report(event: WatchEvent, file: string, stats?: Stats): void {
    const { options, problems } = this.#shared;
    // chokidar asks `ignored` without stats first, so a file can slip through; check again here.
    if (!options.accept(file)) return;
    // A link is judged by the reader, which looks at what it points to.
    const odd = stats && !stats.isSymbolicLink() ? notRegular(stats) : null;
    if (odd !== null && event !== WatchEvent.Unlink) {
      problems.report(file, `${odd}; skipped, never opened`);
      return;
    }
    problems.resolve(file);
    options.onFile(event, file);
    if (event !== WatchEvent.Unlink) this.#shared.recheck(file, stats);
  }

  #failed(error: NodeJS.ErrnoException): void {
    if (OUT_OF_WATCHERS.has(error.code ?? '') && !this.#polling) {
      this.#polling = true;
      void this.#stop().then(() => {
        if (!this.#shared.isClosed()) this.#start();
      });
      return;
    }
    const reason = error.code === 'EACCES' || error.code === 'EPERM' ? 'permission denied' : error.message;
    this.#shared.problems.report(error.path ?? this.#root, reason);
    // A root chokidar could not even start on has no first scan to wait for.
    if (this.#watcher === null) this.#markReady();
  }

  /** The root itself was removed: chokidar never sees it again, so look for it from scratch. */
  async #vanished(): Promise<void> {
    await this.#stop();
    if (!this.#shared.isClosed()) {
      await this.#lookFor('folder was removed; it will be watched again when it comes back');
    }
  }

  async #stop(): Promise<void> {
    const watcher = this.#watcher;
    this.#watcher = null;
    await watcher?.close();
  }
}

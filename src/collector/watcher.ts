/**
 * @module
 * The only module that knows chokidar. It watches folders for the files buildcast cares about,
 * prunes heavy folders early, never follows symbolic links (so a link loop cannot trap it), and
 * reports each problem folder once while it goes on watching the rest.
 */
import type { Stats } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { fileIdentity } from './reader.js';

/**
 * chokidar drops every `change` of a file for 50 ms after it reports one, and never reports
 * them later; a file written twice in quick succession would keep its first content. So each
 * reported file is looked at again just after that window, and a change seen then is reported.
 */
const TRAILING_CHECK_MS = 60;

/** Folders never worth descending into: dependencies, VCS data, build output, caches. */
export const HEAVY_FOLDERS: ReadonlySet<string> = new Set([
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

export interface WatcherOptions {
  roots: readonly string[];
  /** Which files matter; everything else is ignored (and its folders still descended). */
  accept: (file: string) => boolean;
  /** Which folders to descend; the default skips {@link HEAVY_FOLDERS}. */
  descend?: (folder: string) => boolean;
  depth?: number;
  onFile: (event: WatchEvent, file: string) => void;
  onProblem: (where: string, reason: string) => void;
  onReady?: () => void;
}

export interface Watcher {
  close(): Promise<void>;
}

/** Starts watching; existing files are reported as `add` during the first scan. */
export function startWatcher(options: WatcherOptions): Watcher {
  const descend = options.descend ?? ((folder: string) => !HEAVY_FOLDERS.has(path.basename(folder)));
  const roots = options.roots.map((root) => path.resolve(root));
  const reported = new Set<string>();
  const problem = (where: string, reason: string) => {
    const key = `${where}\u0000${reason}`;
    if (reported.has(key)) return;
    reported.add(key);
    options.onProblem(where, reason);
  };
  const ignored = (file: string, stats?: Stats): boolean => {
    if (roots.includes(file)) return false;
    if (!stats) return false;
    if (stats.isDirectory()) return !descend(file);
    return !options.accept(file);
  };
  const watcher: FSWatcher = watch(roots, {
    ignored,
    alwaysStat: true,
    ignoreInitial: false,
    followSymlinks: false,
    depth: options.depth ?? 12,
    atomic: true,
    persistent: true,
  });
  const trailing = new Map<string, ReturnType<typeof setTimeout>>();
  let closed = false;
  const recheck = (file: string, seen: Stats | undefined) => {
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
  };
  // chokidar asks `ignored` without stats first, so a file can slip through; check again here.
  const report = (event: WatchEvent) => (file: string, stats?: Stats) => {
    if (!options.accept(file)) return;
    options.onFile(event, file);
    if (event !== WatchEvent.Unlink) recheck(file, stats);
  };
  watcher.on('add', report(WatchEvent.Add));
  watcher.on('change', report(WatchEvent.Change));
  watcher.on('unlink', report(WatchEvent.Unlink));
  watcher.on('error', (error) => {
    const err = error as NodeJS.ErrnoException;
    problem(
      err.path ?? 'watcher',
      err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.message,
    );
  });
  if (options.onReady) watcher.on('ready', options.onReady);
  return {
    close: () => {
      closed = true;
      for (const timer of trailing.values()) clearTimeout(timer);
      trailing.clear();
      return watcher.close();
    },
  };
}

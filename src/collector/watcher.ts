/**
 * @module
 * The only module that knows chokidar. It watches folders for the files buildcast cares about,
 * prunes heavy folders early, never follows symbolic links (so a link loop cannot trap it), and
 * reports each problem folder once while it goes on watching the rest.
 */
import type { Stats } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

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
    ignoreInitial: false,
    followSymlinks: false,
    depth: options.depth ?? 12,
    atomic: true,
    persistent: true,
  });
  // chokidar asks `ignored` without stats first, so a file can slip through; check again here.
  const report = (event: WatchEvent) => (file: string) => {
    if (options.accept(file)) options.onFile(event, file);
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
  return { close: () => watcher.close() };
}

/**
 * @module
 * The collector shell: watches build folders and checkpoint folders, collapses bursts of events
 * per file within the debounce window into one read, parses, and hands typed observations or
 * faults to its sink. It knows files and formats, nothing about HTTP or SQL.
 */
import path from 'node:path';
import type { Clock, TimerHandle } from '../shared/clock.js';
import { parseCheckpoint } from './checkpoint.js';
import { parsePhaseFile } from './phase-file.js';
import { fileExists, readSourceFile } from './reader.js';
import type { PhaseObservation, SourceFault } from './types.js';
import { startWatcher, WatchEvent, type Watcher } from './watcher.js';

export const PHASE_FILE = 'current-phase.json';
export const STATE_FOLDER = '.context-foundry';
const CHECKPOINT_FILES = new Set(['state.json', 'progress.json', 'COMPLETE']);

export interface CollectorSink {
  observe(observation: PhaseObservation): void;
  fault(fault: SourceFault): void;
  /** Folder-level problems (permissions, vanished roots), reported once each. */
  problem?(where: string, reason: string): void;
}

export interface CollectorOptions {
  roots: readonly string[];
  checkpoints?: readonly string[];
  clock: Clock;
  debounceMs?: number;
  sink: CollectorSink;
}

/** Whether a path is a build's phase file: `<workdir>/.context-foundry/current-phase.json`. */
export function isPhaseFile(file: string): boolean {
  return path.basename(file) === PHASE_FILE && path.basename(path.dirname(file)) === STATE_FOLDER;
}

/** The build's work directory for a phase file. */
export function workdirOf(phaseFile: string): string {
  return path.dirname(path.dirname(phaseFile));
}

export class Collector {
  readonly #options: Required<Omit<CollectorOptions, 'checkpoints'>> & { checkpoints: readonly string[] };
  readonly #timers = new Map<string, TimerHandle>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #watchers: Watcher[] = [];
  /** Reads that failed to parse once are retried a single time: the watcher often fires mid-write. */
  readonly #retried = new Set<string>();
  #closed = false;

  constructor(options: CollectorOptions) {
    this.#options = { debounceMs: 100, checkpoints: [], ...options };
  }

  /** Starts watching; resolves when the first scan of every folder is done. */
  async start(): Promise<void> {
    const { roots, checkpoints, sink } = this.#options;
    const ready: Array<Promise<void>> = [];
    const problem = (where: string, reason: string) => sink.problem?.(where, reason);
    if (roots.length > 0) {
      ready.push(
        new Promise((resolve) => {
          this.#watchers.push(
            startWatcher({
              roots,
              accept: isPhaseFile,
              onFile: (event, file) => {
                if (event !== WatchEvent.Unlink) this.#schedule(file, () => this.#readPhaseFile(file));
              },
              onProblem: problem,
              onReady: resolve,
            }),
          );
        }),
      );
    }
    if (checkpoints.length > 0) {
      ready.push(
        new Promise((resolve) => {
          this.#watchers.push(
            startWatcher({
              roots: checkpoints,
              depth: 3,
              descend: () => true,
              accept: (file) => CHECKPOINT_FILES.has(path.basename(file)),
              onFile: (_event, file) => {
                const folder = path.dirname(file);
                this.#schedule(folder, () => this.#readCheckpoint(folder));
              },
              onProblem: problem,
              onReady: resolve,
            }),
          );
        }),
      );
    }
    await Promise.all(ready);
  }

  /** Reads a phase file now (also used by tests and by the first scan). */
  async readPhaseFile(file: string): Promise<void> {
    await this.#readPhaseFile(file);
  }

  /** Waits for every scheduled and running read to finish (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight.values());
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers.values()) this.#options.clock.clearTimeout(timer);
    this.#timers.clear();
    await Promise.all(this.#watchers.map((watcher) => watcher.close()));
    await this.settle();
  }

  /** Collapses events for one key within the debounce window into one run of `work`. */
  #schedule(key: string, work: () => Promise<void>): void {
    if (this.#closed) return;
    const { clock, debounceMs } = this.#options;
    const pending = this.#timers.get(key);
    if (pending) clock.clearTimeout(pending);
    this.#timers.set(
      key,
      clock.setTimeout(() => {
        this.#timers.delete(key);
        // One read per key at a time; a read requested meanwhile runs after it.
        const previous = this.#inFlight.get(key) ?? Promise.resolve();
        const run = previous.then(work, work).finally(() => {
          if (this.#inFlight.get(key) === run) this.#inFlight.delete(key);
        });
        this.#inFlight.set(key, run);
      }, debounceMs),
    );
  }

  async #readPhaseFile(file: string): Promise<void> {
    const { clock, sink } = this.#options;
    const workdir = workdirOf(file);
    const read = await readSourceFile(file);
    const observedAt = clock.now();
    if (!read.ok) {
      // A file replaced by rename vanishes for an instant; the watcher reports the new one.
      if (!read.missing) sink.fault({ file, workdir, reason: read.reason, observedAt });
      return;
    }
    const parsed = parsePhaseFile(read.text);
    if (!parsed.ok) {
      if (!this.#retried.has(file) && parsed.problem.code !== 'too-large') {
        this.#retried.add(file);
        this.#schedule(file, () => this.#readPhaseFile(file));
        return;
      }
      this.#retried.delete(file);
      sink.fault({ file, workdir, reason: parsed.problem.message, observedAt });
      return;
    }
    this.#retried.delete(file);
    sink.observe({
      source: 'live',
      record: parsed.value,
      raw: read.text,
      workdir,
      file,
      observedAt,
      dataTime: Math.min(read.mtimeMs, observedAt),
    });
  }

  async #readCheckpoint(folder: string): Promise<void> {
    const { clock, sink } = this.#options;
    const stateFile = path.join(folder, 'state.json');
    const [state, progress, complete] = await Promise.all([
      readSourceFile(stateFile),
      readSourceFile(path.join(folder, 'progress.json')),
      fileExists(path.join(folder, 'COMPLETE')),
    ]);
    const observedAt = clock.now();
    if (!state.ok) {
      if (!state.missing) sink.fault({ file: stateFile, workdir: null, reason: state.reason, observedAt });
      return;
    }
    const parsed = parseCheckpoint({
      folderName: path.basename(folder),
      stateText: state.text,
      progressText: progress.ok ? progress.text : null,
      complete,
    });
    if (!parsed.ok) {
      sink.fault({ file: stateFile, workdir: null, reason: parsed.problem.message, observedAt });
      return;
    }
    const written = parsed.value.dataTime ? Date.parse(parsed.value.dataTime) : state.mtimeMs;
    sink.observe({
      source: 'checkpoint',
      record: parsed.value.record,
      raw: state.text,
      workdir: null,
      file: stateFile,
      observedAt,
      dataTime: Math.min(Number.isNaN(written) ? state.mtimeMs : written, observedAt),
      complete: parsed.value.complete,
    });
  }
}

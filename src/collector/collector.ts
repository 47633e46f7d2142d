/**
 * @module
 * The collector shell: watches build folders and checkpoint folders, collapses bursts of events
 * per file within the debounce window into one read, parses, and hands typed observations or
 * faults to its sink. It knows files and formats, nothing about HTTP or SQL.
 */
import path from 'node:path';
import type { Clock } from '../shared/clock.js';
import { Scheduler } from '../shared/scheduler.js';
import { parseCheckpoint } from './checkpoint.js';
import { parseEventLines } from './events-file.js';
import { LineTail, type LineOffsetStore } from './line-tail.js';
import { parsePhaseFile } from './phase-file.js';
import { parseBuildTasks, parseSessionSummary } from './side-files.js';
import { parseTestIterationCount, parseTestResultsFile, testIterationFromFileName } from './test-results.js';
import { fileExists, readSourceFile } from './reader.js';
import type { PhaseObservation, SideFileObservation, SourceFault } from './types.js';
import { startWatcher, WatchEvent, type Watcher } from './watcher.js';
import {
  CHECKPOINT_FILES,
  eventLogWorkdir,
  isPhaseFile,
  isSideFile,
  logFileWorkdir,
  phaseFileOf,
  workdirOf,
} from './build-files.js';

export interface CollectorSink {
  observe(observation: PhaseObservation): void;
  /** Context Foundry's side files (SPEC 1.4): test iterations, results, the session summary. */
  side?(observation: SideFileObservation): void;
  fault(fault: SourceFault): void;
  /** A side file that had a problem was read well again. */
  cleared?(file: string): void;
  /**
   * Problems of a folder or of a file that is not read (permissions, a missing or removed root,
   * a FIFO named like a build file, polling for want of OS watchers), reported once each.
   */
  problem?(where: string, reason: string): void;
  /** A problem reported for `where` is over. */
  resolved?(where: string): void;
}

export interface CollectorOptions {
  roots: readonly string[];
  checkpoints?: readonly string[];
  clock: Clock;
  debounceMs?: number;
  sink: CollectorSink;
  /** Where event-log and log-file offsets are kept (in memory when not given). */
  lineOffsets?: LineOffsetStore;
}

export class Collector {
  readonly #options: Required<Omit<CollectorOptions, 'checkpoints' | 'lineOffsets'>> & {
    checkpoints: readonly string[];
  };
  readonly #lineTail: LineTail;
  readonly #scheduler: Scheduler;
  readonly #watchers: Watcher[] = [];
  /** Reads that failed to parse once are retried a single time: the watcher often fires mid-write. */
  readonly #retried = new Set<string>();
  #closed = false;

  constructor({ lineOffsets, ...options }: CollectorOptions) {
    this.#options = { debounceMs: 100, checkpoints: [], ...options };
    const { clock, debounceMs, sink } = this.#options;
    this.#scheduler = new Scheduler({
      clock,
      windowMs: debounceMs,
      onError: (key, error) => sink.problem?.(key, error instanceof Error ? error.message : String(error)),
    });
    const memory = new Map<string, { offset: number; ino: number }>();
    this.#lineTail = new LineTail(
      lineOffsets ?? {
        get: (file) => memory.get(file) ?? null,
        set: (file, value) => void memory.set(file, value),
      },
    );
  }

  /** Starts watching; resolves when the first scan of every folder is done. */
  async start(): Promise<void> {
    const { roots, checkpoints, sink, clock } = this.#options;
    const ready: Array<Promise<void>> = [];
    const problem = (where: string, reason: string) => sink.problem?.(where, reason);
    const resolved = (where: string) => sink.resolved?.(where);
    if (roots.length > 0) {
      ready.push(
        new Promise((resolve) => {
          this.#watchers.push(
            startWatcher({
              roots,
              accept: (file) =>
                isPhaseFile(file) ||
                isSideFile(file) ||
                eventLogWorkdir(file) !== null ||
                logFileWorkdir(file) !== null,
              onFile: (event, file) => {
                if (event === WatchEvent.Unlink) return;
                if (isPhaseFile(file)) this.#schedule(file, () => this.#readPhaseFile(file));
                else if (isSideFile(file)) this.#schedule(file, () => this.#readSideFile(file));
                else this.#schedule(file, () => this.#readLines(file));
              },
              onProblem: problem,
              onResolved: resolved,
              onReady: resolve,
              clock,
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
              onResolved: resolved,
              onReady: resolve,
              clock,
            }),
          );
        }),
      );
    }
    await Promise.all(ready);
  }

  /** Waits for every running read, and any read owed after it, to finish (tests, shutdown). */
  async settle(): Promise<void> {
    await this.#scheduler.settle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#watchers.map((watcher) => watcher.close()));
    await this.#scheduler.close();
  }

  /**
   * Collapses events for one key into one run of `work` at the end of a window that opens at the
   * first event: a read already due will see later writes, and steady events cannot postpone it.
   */
  #schedule(key: string, work: () => Promise<void>): void {
    if (!this.#closed) this.#scheduler.schedule(key, work);
  }

  /** Runs every debounced read now and waits for all of them (start-up: builds before transcripts). */
  async flushPending(): Promise<void> {
    await this.#scheduler.flush();
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

  async #readSideFile(file: string): Promise<void> {
    const { clock, sink } = this.#options;
    if (!sink.side) return;
    const workdir = workdirOf(file);
    const read = await readSourceFile(file);
    if (!read.ok) {
      if (!read.missing) sink.fault({ file, workdir, reason: read.reason, observedAt: clock.now() });
      return;
    }
    const name = path.basename(file);
    let observation: SideFileObservation | null = null;
    if (name === 'test-iteration-count.txt') {
      const parsed = parseTestIterationCount(read.text);
      if (parsed.ok)
        observation = { kind: 'test-count', workdir, file, at: read.mtimeMs, iteration: parsed.value };
    } else if (name === 'build-tasks.json') {
      const parsed = parseBuildTasks(read.text);
      if (parsed.ok)
        observation = { kind: 'build-tasks', workdir, file, at: read.mtimeMs, tasks: parsed.value };
    } else if (name === 'session-summary.json') {
      const parsed = parseSessionSummary(read.text);
      if (parsed.ok) observation = { kind: 'summary', workdir, file, at: read.mtimeMs, ...parsed.value };
    } else if (testIterationFromFileName(name) !== null) {
      const parsed = parseTestResultsFile(name, read.text);
      if (parsed.ok) observation = { kind: 'test-results', workdir, file, at: read.mtimeMs, ...parsed.value };
    }
    // A side file that cannot be read yet (half written) is simply read again on its next change.
    if (observation) {
      await this.#phaseFileFirst(workdir);
      sink.cleared?.(file);
      sink.side(observation);
    }
  }

  /** New lines of an event log or a log file, each read once (offsets survive restarts). */
  async #readLines(file: string): Promise<void> {
    const { clock, sink } = this.#options;
    if (!sink.side) return;
    const events = eventLogWorkdir(file);
    const workdir = events ?? logFileWorkdir(file);
    if (workdir === null) return;
    const read = await this.#lineTail.read(file);
    const at = clock.now();
    if (!read.ok) {
      if (!read.missing) sink.fault({ file, workdir, reason: read.reason, observedAt: at });
      return;
    }
    if (read.lines.length === 0) return;
    await this.#phaseFileFirst(workdir);
    if (events === null) {
      sink.side({ kind: 'log-lines', workdir, file, at, lines: read.lines, startsLog: read.fromStart });
      return;
    }
    const { events: good, bad } = parseEventLines(read.lines);
    if (bad > 0)
      sink.fault({ file, workdir, reason: `${bad} event line(s) could not be read`, observedAt: at });
    else sink.cleared?.(file);
    if (good.length > 0)
      sink.side({ kind: 'events', workdir, file, at, events: good, startsLog: read.fromStart });
  }

  /** A folder's due phase-file read goes first: lines read before it find no run, or the last one. */
  async #phaseFileFirst(workdir: string): Promise<void> {
    const phaseFile = phaseFileOf(workdir);
    if (this.#scheduler.isPending(phaseFile))
      await this.#scheduler.run(phaseFile, () => this.#readPhaseFile(phaseFile));
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

/**
 * @module
 * Reads Claude Code transcripts incrementally (SPEC 1.5): every file is read from the byte
 * offset where the last complete line ended, so a restart or a new line never re-reads what was
 * read. On start it backfills every existing transcript in the background, one chunk at a time,
 * while live changes are read as they come.
 */
import { Lru } from '../shared/lru.js';
import type { BackfillProgress } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { Scheduler } from '../shared/scheduler.js';
import { isTranscriptFile, listTranscriptFiles, TRANSCRIPT_DEPTH } from './claude-dirs.js';
import { countLines, fileIdentity, readRange, type RangeResult } from './reader.js';
import { RecentKeys } from './transcript.js';
import { TranscriptStream } from './transcript-chunk.js';
import type { TokenSample } from './types.js';
import { startWatcher, type Watcher } from './watcher.js';

/** Where a file was read up to: `offset` is just after its last complete line. */
export interface FileOffset {
  offset: number;
  size: number;
  ino: number;
}

/** Durable per-file offsets, so a restart resumes where the last run stopped. */
export interface OffsetStore {
  get(file: string): FileOffset | null;
  set(file: string, value: FileOffset): void;
}

export interface TailerSink {
  /** One call per chunk read; a key may repeat across restarts, so store with INSERT OR IGNORE. */
  samples(batch: TokenSample[]): void;
  /** A line (1-based; null when unknown) or a folder that could not be read. */
  problem(file: string, reason: string, line: number | null): void;
  /** A folder that could not be watched is watched again. */
  resolved?(where: string): void;
  progress?(progress: BackfillProgress): void;
}

export interface TranscriptTailerOptions {
  dirs: readonly string[];
  clock: Clock;
  offsets: OffsetStore;
  sink: TailerSink;
  debounceMs?: number;
  chunkBytes?: number;
}

export interface TailerStats {
  /** Distinct files read since start. */
  files: number;
  bytes: number;
  samples: number;
  problems: number;
}

const PROGRESS_EVERY_MS = 250;
/** Files whose line count and recent keys are kept; live transcripts are far fewer. */
const TRACKED_FILES = 256;
/**
 * chokidar drops a file's change events for 50 ms after it reports one, with no trailing event;
 * a debounce at least that long still reads after every dropped append.
 */
const WATCHER_CHANGE_THROTTLE_MS = 50;

interface FileState {
  /** Complete lines before `offset`; null after a restart until a problem needs the number. */
  lines: number | null;
  offset: number;
  recent: RecentKeys;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Bytes still to read in a file, given what was stored about it. */
function unread(stored: FileOffset | null, now: { size: number; ino: number }): number {
  if (!stored || stored.ino !== now.ino || now.size < stored.offset) return now.size;
  return now.size - stored.offset;
}

export class TranscriptTailer {
  /** Resolves when every transcript that existed at start has been read (or the tailer closed). */
  readonly backfillDone: Promise<void>;
  readonly #options: Required<TranscriptTailerOptions>;
  /** One read per file at a time; events during a read ask for exactly one more. */
  readonly #scheduler: Scheduler;
  /** Per-file state, least recently read first. */
  /** Only recently read files keep their state: a backfill of thousands must not pin memory. */
  readonly #files = new Lru<string, FileState>(TRACKED_FILES);
  readonly #seen = new Set<string>();
  readonly #stats: TailerStats = { files: 0, bytes: 0, samples: 0, problems: 0 };
  #finishBackfill: () => void = () => {};
  #backfill: Promise<void> | null = null;
  #watcher: Watcher | null = null;
  #closed = false;

  constructor(options: TranscriptTailerOptions) {
    const merged = { debounceMs: 100, chunkBytes: 4 * 1024 * 1024, ...options };
    this.#options = { ...merged, debounceMs: Math.max(merged.debounceMs, WATCHER_CHANGE_THROTTLE_MS) };
    this.#scheduler = new Scheduler({
      clock: this.#options.clock,
      windowMs: this.#options.debounceMs,
      onError: (file, error) =>
        this.#problem(file, error instanceof Error ? error.message : String(error), null),
    });
    this.backfillDone = new Promise((resolve) => (this.#finishBackfill = resolve));
  }

  /** Starts watching and begins the backfill; resolves once watching is set up. */
  async start(): Promise<void> {
    const { dirs } = this.#options;
    if (dirs.length > 0) {
      // Files present before the watcher is ready belong to the backfill, which lists them itself.
      let ready = false;
      await new Promise<void>((resolve) => {
        this.#watcher = startWatcher({
          roots: dirs,
          depth: TRANSCRIPT_DEPTH,
          descend: () => true,
          accept: isTranscriptFile,
          onFile: (_event, file) => {
            if (ready) this.#schedule(file);
          },
          onProblem: (where, reason) => this.#problem(where, reason, null),
          onResolved: (where) => this.#options.sink.resolved?.(where),
          clock: this.#options.clock,
          onReady: () => {
            ready = true;
            resolve();
          },
        });
      });
    }
    this.#backfill = this.#runBackfill().finally(() => this.#finishBackfill());
  }

  /** Waits for the backfill and for every running or owed read (tests, shutdown). */
  async settle(): Promise<void> {
    if (this.#backfill) await this.#backfill;
    await this.#scheduler.settle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#watcher?.close();
    await this.#scheduler.close();
    await this.settle();
    this.#finishBackfill();
  }

  stats(): TailerStats {
    return { ...this.#stats, files: this.#seen.size };
  }

  /** A live change: read the file at the end of the window its first event opens. */
  #schedule(file: string): void {
    if (!this.#closed) this.#scheduler.schedule(file, () => this.#read(file));
  }

  async #runBackfill(): Promise<void> {
    const { clock, offsets, sink, dirs } = this.#options;
    const plan: Array<{ file: string; bytes: number }> = [];
    for (const file of await listTranscriptFiles(dirs)) {
      const identity = await fileIdentity(file);
      if (identity) plan.push({ file, bytes: unread(offsets.get(file), identity) });
    }
    const progress: BackfillProgress = {
      filesDone: 0,
      filesTotal: plan.length,
      bytesDone: 0,
      bytesTotal: plan.reduce((sum, entry) => sum + entry.bytes, 0),
      done: false,
    };
    let reportedAt = -Infinity;
    const report = () => {
      if (clock.now() - reportedAt < PROGRESS_EVERY_MS) return;
      reportedAt = clock.now();
      sink.progress?.({ ...progress });
    };
    report();
    for (const { file, bytes } of plan) {
      if (this.#closed) return;
      const before = progress.bytesDone;
      let read = 0;
      await this.#scheduler.run(file, () =>
        this.#read(file, (n) => {
          read += n;
          progress.bytesDone = before + Math.min(bytes, read);
          report();
        }),
      );
      // A file that grew, shrank or vanished meanwhile still counts as exactly its planned share.
      progress.bytesDone = before + bytes;
      progress.filesDone += 1;
      report();
    }
    sink.progress?.({ ...progress, done: true });
  }

  /** Reads a file from its stored offset to its end, chunk by chunk. */
  async #read(file: string, onBytes?: (bytes: number) => void): Promise<void> {
    const { offsets, chunkBytes, sink } = this.#options;
    const stored = offsets.get(file);
    let start = stored?.offset ?? 0;
    let result = await readRange(file, start, chunkBytes);
    if (!result.ok) return this.#unreadable(file, result, stored);
    if (stored && start > 0 && (result.ino !== stored.ino || result.size < start)) {
      // Truncated or replaced: read it all again; downstream dedupe keeps the counts right.
      start = 0;
      result = await readRange(file, 0, chunkBytes);
      if (!result.ok) return this.#unreadable(file, result, stored);
    }
    let state = this.#files.get(file);
    if (!state || start === 0 || state.offset !== start) {
      state = { lines: start === 0 ? 0 : null, offset: start, recent: new RecentKeys() };
      this.#files.set(file, state);
    }
    this.#seen.add(file);
    const ino = result.ino;
    const stream = new TranscriptStream(start, state.recent);
    let pos = start;
    for (;;) {
      if (result.ino !== ino || result.bytes.length === 0) break;
      const bytes: Buffer = result.bytes;
      pos += bytes.length;
      onBytes?.(bytes.length);
      // The next chunk is read while this one is parsed.
      const ahead: Promise<RangeResult> | null =
        bytes.length === chunkBytes && !this.#closed ? readRange(file, pos, chunkBytes) : null;
      const chunkStart = state.offset;
      const fed = stream.feed(bytes);
      state.offset = fed.offset;
      if (fed.samples.length > 0) {
        this.#stats.samples += fed.samples.length;
        sink.samples(fed.samples);
      }
      if (fed.problems.length > 0) {
        state.lines ??= await countLines(file, chunkStart);
        for (const { index, reason } of fed.problems) {
          this.#problem(file, reason, state.lines === null ? null : state.lines + index + 1);
        }
      }
      if (state.lines !== null) state.lines += fed.lines;
      if (state.offset > chunkStart) {
        this.#stats.bytes += state.offset - chunkStart;
        offsets.set(file, { offset: state.offset, size: result.size, ino });
      }
      if (!ahead || this.#closed) break;
      await nextTurn();
      const next: RangeResult = await ahead;
      if (!next.ok) return this.#unreadable(file, next, offsets.get(file));
      result = next;
    }
  }

  /** A vanished file is forgotten quietly; if one appears again by that name it is read from 0. */
  #unreadable(file: string, result: { reason: string; missing: boolean }, stored: FileOffset | null): void {
    if (!result.missing) {
      this.#problem(file, result.reason, null);
      return;
    }
    this.#files.delete(file);
    if (stored && stored.offset > 0) this.#options.offsets.set(file, { offset: 0, size: 0, ino: 0 });
  }

  #problem(file: string, reason: string, line: number | null): void {
    this.#stats.problems += 1;
    this.#options.sink.problem(file, reason, line);
  }
}

/**
 * @module
 * Claude Code history (SPEC 1.5) wired to the rest of buildcast: a transcript tailer whose byte
 * offsets live in the store, whose samples go to the metrics, whose problems are counted per
 * file (only the first few logged, so a broken history cannot flood the log), and whose
 * backfill progress reaches the console, the sockets and the pages.
 */
import type { BackfillProgress } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { TranscriptTailer, type OffsetStore } from '../collector/transcript-tailer.js';
import type { TokenSample } from '../collector/types.js';

const LOGGED_PER_FILE = 3;
const PROGRESS_LOG_MS = 2_000;

export interface HistoryOptions {
  dirs: readonly string[];
  /** Where each transcript's read offset is kept. */
  offsets: OffsetStore;
  clock: Clock;
  log: (line: string) => void;
  onSamples: (batch: TokenSample[]) => void;
  onProgress: (progress: BackfillProgress) => void;
}

export interface History {
  tailer: TranscriptTailer;
  /** The latest backfill progress, or null before the first report. */
  backfill(): BackfillProgress | null;
  /** How many files have had problems. */
  filesWithProblems(): number;
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

export function createHistory({ dirs, offsets, clock, log, onSamples, onProgress }: HistoryOptions): History {
  let backfill: BackfillProgress | null = null;
  let lastProgressLog = 0;
  const problems = new Map<string, number>();
  const tailer = new TranscriptTailer({
    dirs,
    clock,
    offsets,
    sink: {
      samples: onSamples,
      problem: (file, reason, line) => {
        const count = (problems.get(file) ?? 0) + 1;
        problems.set(file, count);
        if (count > LOGGED_PER_FILE) return;
        const more = count === LOGGED_PER_FILE ? ' (further problems in this file are only counted)' : '';
        log(`transcript ${file}${line ? `:${line}` : ''}: ${reason}${more}`);
      },
      resolved: (where) => {
        if (problems.delete(where)) log(`transcripts: watching ${where} again`);
      },
      progress: (progress) => {
        backfill = progress;
        onProgress(progress);
        const now = clock.now();
        if (!progress.done && now - lastProgressLog < PROGRESS_LOG_MS) return;
        lastProgressLog = now;
        log(
          `${progress.done ? 'read' : 'reading'} Claude Code history: ${progress.filesDone}/${progress.filesTotal} files, ` +
            `${mb(progress.bytesDone)}/${mb(progress.bytesTotal)} MB`,
        );
      },
    },
  });
  return { tailer, backfill: () => backfill, filesWithProblems: () => problems.size };
}

/**
 * @module
 * The words and the bar of the "Reading Claude Code history" banner, shown while buildcast
 * first reads the transcripts already on disk. The server draws the banner once
 * (src/render/backfill.ts) and the browser client keeps it current from `backfill`
 * frames (src/client/backfill.ts); both take the sentence and the bar's scale from here.
 */
import type { BackfillProgress } from './protocol.js';
import { formatBytes } from './format.js';

/** "Reading Claude Code history: 120 of 800 files, 1.2 GB of 3.4 GB". */
export function backfillText(progress: BackfillProgress): string {
  const files = `${progress.filesDone} of ${progress.filesTotal} ${progress.filesTotal === 1 ? 'file' : 'files'}`;
  const bytes =
    progress.bytesTotal > 0
      ? `, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`
      : '';
  return `Reading Claude Code history: ${files}${bytes}`;
}

/** The bar's scale: bytes when known (files vary wildly in size), otherwise files. */
export function backfillBar(progress: BackfillProgress): { value: number; max: number } {
  if (progress.bytesTotal > 0) {
    return { value: Math.min(progress.bytesDone, progress.bytesTotal), max: progress.bytesTotal };
  }
  return { value: Math.min(progress.filesDone, progress.filesTotal), max: Math.max(1, progress.filesTotal) };
}

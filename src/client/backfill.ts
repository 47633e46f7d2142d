/**
 * @module
 * Keeps the "Reading Claude Code history" banner (`#backfill`) current from `backfill` frames.
 * Only text and numbers are written (`textContent`, `progress.value`), never markup.
 */
import type { BackfillProgress } from '../shared/protocol.js';
import { backfillText } from './format.js';

/** Shows the banner with this progress, or hides it once the history has been read. */
export function showBackfill(progress: BackfillProgress, root: Document = document): void {
  const banner = root.getElementById('backfill');
  if (!banner) return;
  if (progress.done) {
    banner.hidden = true;
    return;
  }
  const text = banner.querySelector('.backfill-text');
  const sentence = backfillText(progress);
  if (text && text.textContent !== sentence) text.textContent = sentence;
  const bar = banner.querySelector('progress');
  if (bar) {
    // Bytes when known, as the server draws it: files vary too much in size to measure by.
    const byBytes = progress.bytesTotal > 0;
    bar.max = byBytes ? progress.bytesTotal : Math.max(1, progress.filesTotal);
    bar.value = byBytes
      ? Math.min(progress.bytesDone, progress.bytesTotal)
      : Math.min(progress.filesDone, progress.filesTotal);
  }
  banner.hidden = false;
}

/**
 * @module
 * The banner shown while buildcast first reads Claude Code history (the transcripts already on
 * disk when it starts), on the dashboard and on session pages. The browser client keeps it
 * current from `backfill` frames, writing the sentence with `textContent` and the bar's value
 * (src/client/backfill.ts; src/client/format.ts words the sentence the same way), and hides it when done.
 */
import type { BackfillProgress } from '../../shared/protocol.js';
import { html, type SafeHtml } from './html.js';
import { formatBytes } from './format.js';
import { BACKFILL_FRAGMENT_PATH } from './paths.js';

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

/**
 * The banner, hidden when there is nothing to report (no history being read, or done). It is
 * always rendered so a page opened before a backfill starts can still show it.
 */
export function renderBackfill(progress: BackfillProgress | null): SafeHtml {
  const active = progress !== null && !progress.done;
  const bar = active ? backfillBar(progress) : { value: 0, max: 1 };
  return html`<div
    id="backfill"
    class="backfill"
    ${!active && html`hidden`}
    hx-get="${BACKFILL_FRAGMENT_PATH}"
    hx-trigger="bc:backfill"
    hx-swap="outerHTML"
  >
    <span class="backfill-text">${active ? backfillText(progress) : ''}</span>
    <progress
      class="bar backfill-bar"
      max="${bar.max}"
      value="${bar.value}"
      aria-label="Claude Code history read"
    ></progress>
  </div>`;
}

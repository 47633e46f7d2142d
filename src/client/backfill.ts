/**
 * @module
 * Keeps the "Reading Claude Code history" banner (`#backfill`) current from `backfill` frames.
 * Only text and numbers are written (`textContent`, `progress.value`), never markup.
 */
import { backfillBar, backfillText } from '../shared/backfill.js';
import { CLASSES, IDS } from '../shared/dom.js';
import type { BackfillProgress } from '../shared/protocol.js';

/** Shows the banner with this progress, or hides it once the history has been read. */
export function showBackfill(progress: BackfillProgress, root: Document = document): void {
  const banner = root.getElementById(IDS.backfill);
  if (!banner) return;
  if (progress.done) {
    banner.hidden = true;
    return;
  }
  const text = banner.querySelector(`.${CLASSES.backfillText}`);
  const sentence = backfillText(progress);
  if (text && text.textContent !== sentence) text.textContent = sentence;
  const bar = banner.querySelector('progress');
  if (bar) {
    const scale = backfillBar(progress);
    bar.max = scale.max;
    bar.value = scale.value;
  }
  banner.hidden = false;
}

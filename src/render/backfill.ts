/**
 * @module
 * The banner shown while buildcast first reads Claude Code history (the transcripts already on
 * disk when it starts), on the dashboard and on session pages. The browser client keeps it
 * current from `backfill` frames, writing the sentence with `textContent` and the bar's value
 * (src/client/backfill.ts), and hides it when done; both take the sentence and the bar's scale
 * from src/shared/backfill.ts.
 */
import { backfillBar, backfillText } from '../shared/backfill.js';
import type { BackfillProgress } from '../shared/protocol.js';
import { html, type SafeHtml } from './html.js';
import { CLASSES, EVENTS, IDS, ROUTES } from '../shared/dom.js';

/**
 * The banner, hidden when there is nothing to report (no history being read, or done). It is
 * always rendered so a page opened before a backfill starts can still show it.
 */
export function renderBackfill(progress: BackfillProgress | null): SafeHtml {
  const active = progress !== null && !progress.done;
  const bar = active ? backfillBar(progress) : { value: 0, max: 1 };
  return html`<div
    id="${IDS.backfill}"
    class="backfill"
    ${!active && html`hidden`}
    hx-get="${ROUTES.backfillFragment}"
    hx-trigger="${EVENTS.backfill}"
    hx-swap="outerHTML"
  >
    <span class="${CLASSES.backfillText}">${active ? backfillText(progress) : ''}</span>
    <progress
      class="bar backfill-bar"
      max="${bar.max}"
      value="${bar.value}"
      aria-label="Claude Code history read"
    ></progress>
  </div>`;
}

/**
 * @module
 * Clock-derived text and times of day. Session frames carry no clock-derived values (SPEC 2), so
 * the server renders these once with its clock and the browser client ticks them every second
 * from the `data-fresh` / `data-ended` / `data-since` attributes. Times of day are drawn in UTC,
 * which the server can know, and marked `data-local` for the client to put in the viewer's zone;
 * the UTC time stays in the tooltip.
 */
import { html, type SafeHtml } from './html.js';
import {
  finishedLabel,
  formatClock,
  formatDuration,
  formatTimestamp,
  freshnessClass,
  parseTime,
  updatedLabel,
  UNKNOWN,
  type LocalTimeStyle,
} from '../shared/format.js';
import { DATA } from '../shared/dom.js';

/**
 * `<time class="fresh fresh-green" data-fresh="ISO">Updated 3s ago</time>`: when the data of a
 * build still going last changed, coloured by age.
 */
export function freshStamp(updatedAt: string, now: number): SafeHtml {
  const at = parseTime(updatedAt);
  if (at === null) return html`<time class="fresh fresh-red">Updated ${UNKNOWN}</time>`;
  return html`<time
    class="fresh ${freshnessClass(now - at)}"
    ${DATA.fresh}="${updatedAt}"
    datetime="${updatedAt}"
    title="Last change ${formatTimestamp(updatedAt)}"
    >${updatedLabel(now - at)}</time
  >`;
}

/**
 * `<time class="fresh fresh-ended" data-ended="ISO">Finished 3m ago</time>`: a build that has
 * ended is not stale, so its stamp says when it finished, in a neutral colour.
 */
function finishedStamp(endedAt: string, now: number): SafeHtml {
  const at = parseTime(endedAt);
  if (at === null) return html`<time class="fresh fresh-ended">Finished ${UNKNOWN}</time>`;
  return html`<time
    class="fresh fresh-ended"
    ${DATA.ended}="${endedAt}"
    datetime="${endedAt}"
    title="Finished ${formatTimestamp(endedAt)}"
    >${finishedLabel(now - at)}</time
  >`;
}

/** The stamp of a session: when it finished once it has, else how fresh its data is. */
export function sessionStamp(
  session: { readonly updatedAt: string; readonly endedAt: string | null },
  now: number,
): SafeHtml {
  return session.endedAt === null ? freshStamp(session.updatedAt, now) : finishedStamp(session.endedAt, now);
}

/**
 * A time of day: `<time datetime="ISO" data-local="clock" title="2026-11-20 14:02:11 UTC">14:02:11</time>`,
 * in UTC until the client puts it in the viewer's zone; "—" when unknown.
 */
export function localTime(iso: string | null, style: LocalTimeStyle, className?: string): SafeHtml {
  const kind = className !== undefined && html` class="${className}"`;
  if (iso === null || parseTime(iso) === null) return html`<time${kind}>${UNKNOWN}</time>`;
  const utc = formatTimestamp(iso);
  const text = style === 'clock' ? formatClock(iso) : utc;
  // On one line: log lines are preformatted text, where the markup's own spaces would show.
  return html`<time${kind} datetime="${iso}" ${DATA.local}="${style}" title="${utc}">${text}</time>`;
}

/**
 * Time since `since`, ticking in the browser while the run goes on; a fixed duration once it
 * has ended.
 */
export function elapsed(since: string | null, endedAt: string | null, now: number): SafeHtml {
  const start = parseTime(since);
  if (start === null) return html`<span class="elapsed">${UNKNOWN}</span>`;
  const end = parseTime(endedAt);
  if (end !== null) return html`<span class="elapsed">${formatDuration(end - start)}</span>`;
  return html`<span class="elapsed" ${DATA.since}="${since}">${formatDuration(now - start)}</span>`;
}

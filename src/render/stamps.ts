/**
 * @module
 * Clock-derived text. Session frames carry no clock-derived values (SPEC 2), so the server
 * renders these once with its clock and the browser client ticks them every second from the
 * `data-fresh` / `data-since` attributes.
 */
import { html, type SafeHtml } from './html.js';
import {
  formatAge,
  formatDuration,
  formatTimestamp,
  freshnessClass,
  parseTime,
  UNKNOWN,
} from '../shared/format.js';
import { DATA } from '../shared/dom.js';

/**
 * `<time class="fresh fresh-green" data-fresh="ISO">Updated 3s ago</time>`: when the data last
 * changed, coloured by age.
 */
export function freshStamp(updatedAt: string, now: number): SafeHtml {
  const at = parseTime(updatedAt);
  if (at === null) return html`<time class="fresh fresh-red">Updated ${UNKNOWN}</time>`;
  const age = now - at;
  return html`<time
    class="fresh ${freshnessClass(age)}"
    ${DATA.fresh}="${updatedAt}"
    datetime="${updatedAt}"
    title="Last change ${formatTimestamp(updatedAt)}"
    >Updated ${formatAge(age)}</time
  >`;
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

/**
 * @module
 * Clock-derived values are never sent over the wire (SPEC 2); the page computes them here,
 * once a second, from the `data-fresh` and `data-since` attributes the server rendered.
 */
import { readData, withData } from '../shared/dom.js';
import { FRESH_CLASSES, formatAge, formatDuration, freshnessClass } from '../shared/format.js';

/** Rewrites every freshness stamp and elapsed counter under `root` for the time `now` (ms). */
export function tickStamps(now: number, root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>(withData('fresh'))) {
    const at = Date.parse(readData(el, 'fresh') ?? '');
    if (Number.isNaN(at)) continue;
    const age = now - at;
    const text = `Updated ${formatAge(age)}`;
    if (el.textContent !== text) el.textContent = text;
    const wanted = freshnessClass(age);
    if (!el.classList.contains(wanted)) {
      el.classList.remove(...FRESH_CLASSES);
      el.classList.add(wanted);
    }
  }
  for (const el of root.querySelectorAll<HTMLElement>(withData('since'))) {
    const since = Date.parse(readData(el, 'since') ?? '');
    if (Number.isNaN(since)) continue;
    const text = formatDuration(now - since);
    if (el.textContent !== text) el.textContent = text;
  }
}

/**
 * @module
 * Times of day in the viewer's time zone. The server draws every `<time data-local>` in UTC (it
 * cannot know the viewer's zone) with the UTC time in its tooltip; this rewrites their text in
 * the zone of the browser, once at start and then for every element htmx or the client adds. A
 * mutation observer runs before the browser paints what was added, so a swapped fragment never
 * shows its UTC text.
 */
import { readData, withData } from '../shared/dom.js';
import { formatLocalTime, isLocalTimeStyle } from '../shared/format.js';

/** Rewrites one element in the viewer's zone; elements without a readable time are left alone. */
function localize(el: HTMLTimeElement, timeZone: string | undefined): void {
  const style = readData(el, 'local');
  if (!isLocalTimeStyle(style) || el.dateTime === '') return;
  const text = formatLocalTime(el.dateTime, style, timeZone);
  if (el.textContent !== text) el.textContent = text;
}

/** Every `<time data-local>` in `root` (and `root` itself), in the viewer's zone (or `timeZone`). */
export function localizeTimes(root: ParentNode, timeZone?: string): void {
  if (root instanceof HTMLTimeElement) localize(root, timeZone);
  for (const el of root.querySelectorAll<HTMLTimeElement>(`time${withData('local')}`)) localize(el, timeZone);
}

/** Localizes the page now and whatever is added to it from now on. */
export function followLocalTimes(): void {
  localizeTimes(document);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) localizeTimes(node);
    }
  }).observe(document.body, { childList: true, subtree: true });
}

/**
 * @module
 * Times of day in the viewer's time zone. The server draws every `<time data-local>`, and the
 * time axis of its charts (SVG `<text data-local data-at>`), in UTC, since it cannot know the
 * viewer's zone, with the UTC time in the tooltip; this rewrites their text in
 * the zone of the browser, once at start and then for every element htmx or the client adds. A
 * mutation observer runs before the browser paints what was added, so a swapped fragment never
 * shows its UTC text.
 */
import { readData, withData } from '../shared/dom.js';
import { formatLocalTime, isLocalTimeStyle } from '../shared/format.js';

/** Rewrites one element in the viewer's zone; elements without a readable time are left alone. */
function localize(el: HTMLElement | SVGElement, timeZone: string | undefined): void {
  const style = readData(el, 'local');
  // A `<time>` holds its time in `datetime`; an SVG label, which cannot be one, in `data-at`.
  const iso = el instanceof HTMLTimeElement ? el.dateTime : readData(el, 'at');
  if (!isLocalTimeStyle(style) || !iso) return;
  const text = formatLocalTime(iso, style, timeZone);
  if (el.textContent !== text) el.textContent = text;
}

const SELECTOR = `time${withData('local')}, text${withData('local')}${withData('at')}`;

/** Every time marked `data-local` in `root` (and `root` itself), in the viewer's zone (or `timeZone`). */
function localizeTimes(root: ParentNode, timeZone?: string): void {
  if ((root instanceof HTMLElement || root instanceof SVGElement) && root.matches(SELECTOR))
    localize(root, timeZone);
  for (const el of root.querySelectorAll<HTMLElement | SVGElement>(SELECTOR)) localize(el, timeZone);
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

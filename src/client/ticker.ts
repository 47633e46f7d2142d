/**
 * @module
 * Clock-derived values are never sent over the wire (SPEC 2); the page computes them here,
 * once a second, from the `data-fresh`, `data-ended` and `data-since` attributes the server rendered.
 */
import { readData, withData, type DataName } from '../shared/dom.js';
import {
  finishedLabel,
  FRESH_CLASSES,
  formatDuration,
  freshnessClass,
  updatedLabel,
} from '../shared/format.js';

/** Each element under `root` carrying the time attribute `name`, with the time it holds (ms). */
function* stamped(root: ParentNode, name: DataName): Generator<[HTMLElement, number]> {
  for (const el of root.querySelectorAll<HTMLElement>(withData(name))) {
    const at = Date.parse(readData(el, name) ?? '');
    if (!Number.isNaN(at)) yield [el, at];
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Rewrites every freshness stamp and elapsed counter under `root` for the time `now` (ms). */
export function tickStamps(now: number, root: ParentNode = document): void {
  for (const [el, at] of stamped(root, 'fresh')) {
    const age = now - at;
    setText(el, updatedLabel(age));
    const wanted = freshnessClass(age);
    if (!el.classList.contains(wanted)) {
      el.classList.remove(...FRESH_CLASSES);
      el.classList.add(wanted);
    }
  }
  // A finished build's stamp only says how long ago; its colour never changes.
  for (const [el, at] of stamped(root, 'ended')) setText(el, finishedLabel(now - at));
  for (const [el, since] of stamped(root, 'since')) setText(el, formatDuration(now - since));
}

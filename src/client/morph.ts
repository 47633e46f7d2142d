/**
 * @module
 * Makes a live element look like a freshly rendered copy of itself, touching only what differs:
 * attributes, text, and children matched by position or, in lists, by their `data-key`. Elements
 * that stay stay the same elements, so CSS transitions run between their old and new look and a
 * viewer never sees the overlay flash as it would if it were replaced whole.
 */
import { OVERLAY_DATA } from '../shared/overlay-dom.js';

const keyOf = (node: Node): string | null =>
  node instanceof Element ? node.getAttribute(OVERLAY_DATA.key) : null;

/** Whether `live` can become `next` in place: the same kind of node, tag and key. */
function sameKind(live: Node, next: Node): boolean {
  if (live.nodeType !== next.nodeType) return false;
  if (live instanceof Element && next instanceof Element)
    return live.tagName === next.tagName && keyOf(live) === keyOf(next);
  return true;
}

function syncAttributes(live: Element, next: Element): void {
  for (const { name } of [...live.attributes]) if (!next.hasAttribute(name)) live.removeAttribute(name);
  for (const { name, value } of [...next.attributes])
    if (live.getAttribute(name) !== value) live.setAttribute(name, value);
}

function update(live: ChildNode, next: ChildNode): void {
  if (live instanceof Element && next instanceof Element) morph(live, next);
  else if (live.nodeValue !== next.nodeValue) live.nodeValue = next.nodeValue;
}

/**
 * Children in the order of `next`: a keyed child is found wherever it is among the live ones,
 * an unkeyed one is the next live child if it is of the same kind; the others are taken from
 * `next` as they are, and live children left over are removed.
 */
function morphChildren(live: Element, next: Element): void {
  const keyed = new Map<string, Element>();
  for (const child of live.children) {
    const key = keyOf(child);
    if (key !== null) keyed.set(key, child);
  }
  let cursor: ChildNode | null = live.firstChild;
  for (const incoming of [...next.childNodes]) {
    const key = keyOf(incoming);
    let match: ChildNode | null = null;
    if (key !== null) {
      const found = keyed.get(key);
      if (found !== undefined && sameKind(found, incoming)) match = found;
      keyed.delete(key);
    } else if (cursor !== null && keyOf(cursor) === null && sameKind(cursor, incoming)) {
      match = cursor;
    }
    if (match === null) {
      live.insertBefore(incoming, cursor);
      continue;
    }
    if (match === cursor) cursor = cursor.nextSibling;
    else live.insertBefore(match, cursor);
    update(match, incoming);
  }
  while (cursor !== null) {
    const after: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = after;
  }
}

/** Changes `live` in place until it is like `next`; `next` is taken apart doing so. */
export function morph(live: Element, next: Element): void {
  syncAttributes(live, next);
  morphChildren(live, next);
}

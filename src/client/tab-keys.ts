/**
 * @module
 * The dashboard's tab bar as the WAI-ARIA tabs pattern has it: one tab in the Tab order (the
 * selected one, `tabindex="0"`, drawn by the server), Left and Right arrows to the previous and
 * next tab (wrapping), Home and End to the first and last, Enter or Space to show the focused one
 * (manual activation, so moving along the tabs loads nothing). The bar is redrawn whenever its
 * counts change or a tab is chosen; focus stays on the same tab through that.
 */
import { IDS } from '../shared/dom.js';

const TAB = '[role="tab"]';

/** The tab to move to from `index` of `count` tabs for a key, or null for any other key. */
function tabTarget(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return (index + 1) % count;
    case 'ArrowLeft':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

function onKey(event: KeyboardEvent): void {
  if (event.altKey || event.ctrlKey || event.metaKey || !(event.target instanceof HTMLElement)) return;
  const tab = event.target.closest<HTMLElement>(TAB);
  const list = tab?.closest('[role="tablist"]');
  if (!tab || !list) return;
  if (event.key === ' ') {
    // A link answers Enter by itself; Space is the other key a tab answers.
    event.preventDefault();
    tab.click();
    return;
  }
  const tabs = [...list.querySelectorAll<HTMLElement>(TAB)];
  const next = tabTarget(event.key, tabs.indexOf(tab), tabs.length);
  if (next === null) return;
  event.preventDefault();
  tabs[next]?.focus();
}

/** Answers the arrow keys on the tab bar and keeps focus on a tab while the bar is redrawn. */
export function enableTabKeys(): void {
  document.addEventListener('keydown', onKey);
  let refocus: string | null = null;
  const before = (): void => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active.id !== '' && active.closest(`#${IDS.tabs}`))
      refocus = active.id;
  };
  const after = (): void => {
    if (refocus === null) return;
    const el = document.getElementById(refocus);
    refocus = null;
    if (el && document.activeElement !== el) el.focus();
  };
  // A tab click swaps the list and brings the bar out of band; a count change swaps the bar itself.
  for (const event of ['htmx:beforeSwap', 'htmx:oobBeforeSwap']) document.addEventListener(event, before);
  for (const event of ['htmx:afterSwap', 'htmx:oobAfterSwap']) document.addEventListener(event, after);
}

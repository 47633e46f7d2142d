/**
 * @module
 * ANSI colours in log lines drawn on the server. The parsing rules live in src/shared/ansi.ts,
 * which the browser client uses too, so a line reads the same before and after a live update;
 * here segments become `ansi-*` classes on spans, and the text itself is escaped like
 * everything else a build writes.
 */
import { logLineSegments } from '../shared/ansi.js';
import { html, type SafeHtml } from './html.js';

/**
 * A log line's text as spans with `ansi-*` classes, cut to `LOG_LINE_DISPLAY_CHARS` with a "…"
 * marker (`.log-cut`) when longer. Unstyled text is not wrapped in a span.
 */
export function renderAnsi(text: string): SafeHtml {
  const { segments, truncated } = logLineSegments(text);
  return html`${segments.map((segment) =>
    segment.classes.length === 0
      ? segment.text
      : html`<span class="${segment.classes.join(' ')}">${segment.text}</span>`,
  )}${truncated && html`<span class="log-cut" title="${text.length} characters; the rest is not shown">…</span>`}`;
}

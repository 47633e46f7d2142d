/**
 * @module
 * A session's event and log tail (SPEC 5): the last lines, newest at the bottom, ANSI colours
 * drawn as classes, error and warning lines marked by level.
 *
 * `#log-tail` holds the controls (an "Errors only" checkbox, filtered by CSS alone, and the
 * "Follow" toggle the browser client drives) and the lines, `<ol id="log-lines">`. The client
 * appends lines from `log` frames to that list itself (src/client/log-tail.ts, building the
 * same markup with `textContent` and `className`); htmx swaps the list alone, on `bc:logs`,
 * after a reconnect, so the reader's filter and follow choices are never reset.
 */
import type { LogLevel, LogLine } from '../shared/protocol.js';
import { renderAnsi } from './ansi.js';
import { html, type SafeHtml } from './html.js';
import { localTime } from './stamps.js';
import { CLASSES, DATA, EVENTS, IDS, logLevelClass } from '../shared/dom.js';
import { logsFragmentPath } from '../shared/paths.js';

/** Lines the server draws; the client keeps up to 1,000 as more arrive. */
export const LOG_TAIL_LINES = 200;

const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);

/** The level as a class name: one of the four, `info` for anything else. */
const levelOf = (level: string): LogLevel => (LEVELS.has(level) ? (level as LogLevel) : 'info');

/** Colour is not the only sign of a problem line: it also says so in words. */
const LEVEL_TAGS: Readonly<Partial<Record<LogLevel, string>>> = { error: 'error', warn: 'warn' };

/** One line: `<li class="log-line log-error" data-seq="12">`, time, level tag, text. */
function renderLogLine(line: LogLine): SafeHtml {
  const level = levelOf(line.level);
  const tag = LEVEL_TAGS[level];
  return html`<li
    class="${CLASSES.logLine} ${logLevelClass(level)}"
    ${DATA.seq}="${line.seq}"
    ${DATA.level}="${level}"
    ${DATA.source}="${line.source}"
  >
    ${localTime(line.at, 'clock', CLASSES.logTime)}${tag !== undefined && html`<span class="${CLASSES.logLevel}">${tag}</span>`}<span
      class="${CLASSES.logText}"
      >${renderAnsi(line.text)}</span
    >
  </li>`;
}

/**
 * The lines: what `/fragments/sessions/:id/logs` returns and swaps. `data-last-seq` is the
 * newest line drawn, so the client appends only lines after it.
 */
export function renderLogLines(sessionId: string, lines: readonly LogLine[]): SafeHtml {
  const shown = lines.slice(-LOG_TAIL_LINES);
  const lastSeq = shown.reduce((last, line) => Math.max(last, line.seq), 0);
  return html`<ol
    id="${IDS.logLines}"
    class="log-lines"
    ${DATA.sessionId}="${sessionId}"
    ${DATA.lastSeq}="${lastSeq}"
    tabindex="0"
    aria-label="Log lines, newest last"
    hx-get="${logsFragmentPath(sessionId)}"
    hx-trigger="${EVENTS.logs}"
    hx-swap="outerHTML"
  >
    ${
      shown.length === 0
        ? html`<li class="${CLASSES.logEmpty}">
            No log lines yet. Lines pushed to <code>/api/broadcast/${sessionId}</code> and the build's event
            log show here as they come.
          </li>`
        : shown.map(renderLogLine)
    }
  </ol>`;
}

/** The whole panel on a session page. */
export function renderLogTail(sessionId: string, lines: readonly LogLine[]): SafeHtml {
  return html`<section
    id="${IDS.logTail}"
    class="panel log-tail"
    aria-labelledby="log-tail-title"
    ${DATA.sessionId}="${sessionId}"
  >
    <div class="log-head">
      <h2 id="log-tail-title">Log</h2>
      <label class="log-filter"><input type="checkbox" id="${IDS.logErrorsOnly}" /> Errors only</label>
      <button
        type="button"
        id="${IDS.logFollow}"
        class="log-follow"
        aria-pressed="true"
        title="Keep the newest line in view; scrolling up pauses this"
      >
        Following
      </button>
    </div>
    ${renderLogLines(sessionId, lines)}
    <p class="log-no-errors muted">No error lines in this tail.</p>
  </section>`;
}

/**
 * @module
 * The session page's log tail (`#log-tail`): appends the lines of `log` frames to `#log-lines`
 * (only sequence numbers after the newest shown, so repeats and stragglers are dropped), keeps at
 * most {@link MAX_LINES} of them, and follows the newest line until the reader scrolls up,
 * resuming when they scroll back to the bottom or press "Follow".
 *
 * Lines are built from DOM nodes with `textContent` and `className` only, never markup, in the
 * same shape the server draws them (src/render/log-tail.ts). The "Errors only" filter is
 * pure CSS on the checkbox, so it needs nothing here.
 */
import type { LogLine } from '../shared/protocol.js';
import { logLineSegments } from '../shared/ansi.js';
import { CLASSES, IDS, logLevelClass, readData, writeData } from '../shared/dom.js';
import { formatLocalTime, formatTimestamp } from '../shared/format.js';

/** Lines kept on the page; older ones are removed as new ones arrive. */
export const MAX_LINES = 1000;
/** Within this many pixels of the end counts as "at the bottom" (zoom rounds scroll positions). */
const END_SLACK_PX = 24;

const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);

/** Frames are checked once at the edge; a line without these fields is not drawn. */
function isLine(value: unknown): value is LogLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.seq === 'number' &&
    Number.isFinite(line.seq) &&
    typeof line.at === 'string' &&
    typeof line.level === 'string' &&
    typeof line.text === 'string'
  );
}

function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

/** One `<li class="log-line log-error">`, as the server draws it. */
function lineElement(line: LogLine): HTMLLIElement {
  const level = LEVELS.has(line.level) ? line.level : 'info';
  const li = document.createElement('li');
  li.className = `${CLASSES.logLine} ${logLevelClass(level)}`;
  writeData(li, 'seq', String(line.seq));
  writeData(li, 'level', level);
  writeData(li, 'source', typeof line.source === 'string' ? line.source : '');
  const time = document.createElement('time');
  time.className = CLASSES.logTime;
  time.dateTime = line.at;
  time.title = formatTimestamp(line.at);
  writeData(time, 'local', 'clock');
  time.textContent = formatLocalTime(line.at, 'clock');
  li.append(time);
  if (level === 'error' || level === 'warn') li.append(span(CLASSES.logLevel, level));
  const text = span(CLASSES.logText, '');
  const { segments, truncated } = logLineSegments(line.text);
  for (const segment of segments) {
    // A string given to append() becomes a text node: never parsed as markup.
    text.append(segment.classes.length === 0 ? segment.text : span(segment.classes.join(' '), segment.text));
  }
  if (truncated) {
    const cut = span(CLASSES.logCut, '…');
    cut.title = `${line.text.length} characters; the rest is not shown`;
    text.append(cut);
  }
  li.append(text);
  return li;
}

export class LogTail {
  readonly #sessionId: string;
  #following = true;
  /** Lines that arrived while paused, for the "Follow" button. */
  #unseen = 0;
  #lastTop = 0;
  /**
   * Lines received on this connection, newest last: a list htmx swaps in (after a reconnect) was
   * drawn at some moment, and lines that came after it are added back from here.
   */
  #recent: LogLine[] = [];
  #list: HTMLElement | null = null;

  constructor(sessionId: string) {
    this.#sessionId = sessionId;
    // Scroll events do not bubble; capturing catches them for whichever list is on the page.
    document.addEventListener('scroll', (event) => this.#onScroll(event), true);
    document.addEventListener('click', (event) => {
      const target = event.target;
      if (target instanceof Element && target.closest(`#${IDS.logFollow}`))
        this.#setFollowing(!this.#following);
    });
    document.addEventListener('change', (event) => {
      const target = event.target;
      if (target instanceof HTMLInputElement && target.id === IDS.logErrorsOnly) this.#keepAtEnd();
    });
    document.addEventListener('htmx:afterSwap', () => this.#adopt());
    this.#adopt();
    this.#showFollow();
  }

  /** A new connection: sequence numbers from before it may come from a server since restarted. */
  reset(): void {
    this.#recent = [];
  }

  /** New lines from a `log` frame for this page's session. */
  append(lines: readonly unknown[]): void {
    const fresh = lines.filter(isLine);
    for (const line of fresh) {
      const newest = this.#recent[this.#recent.length - 1];
      if (newest === undefined || line.seq > newest.seq) this.#recent.push(line);
    }
    if (this.#recent.length > MAX_LINES) this.#recent.splice(0, this.#recent.length - MAX_LINES);
    this.#adopt();
    if (this.#list) this.#appendTo(this.#list, fresh);
  }

  /** Picks up the list on the page; one htmx has just swapped in gets the lines it is missing. */
  #adopt(): void {
    const list = document.getElementById(IDS.logLines);
    if (list === this.#list) return;
    this.#list = list && readData(list, 'sessionId') === this.#sessionId ? list : null;
    if (!this.#list) return;
    this.#appendTo(this.#list, this.#recent);
    this.#keepAtEnd();
  }

  #appendTo(list: HTMLElement, lines: readonly LogLine[]): void {
    let last = Number(readData(list, 'lastSeq')) || 0;
    const fragment = document.createDocumentFragment();
    let added = 0;
    for (const line of lines) {
      if (line.seq <= last) continue;
      fragment.append(lineElement(line));
      last = line.seq;
      added += 1;
    }
    if (added === 0) return;
    for (const empty of list.querySelectorAll(`.${CLASSES.logEmpty}`)) empty.remove();
    list.append(fragment);
    writeData(list, 'lastSeq', String(last));
    for (let excess = list.children.length - MAX_LINES; excess > 0; excess--)
      list.firstElementChild?.remove();
    if (this.#following) this.#keepAtEnd();
    else {
      this.#unseen += added;
      this.#showFollow();
    }
  }

  #onScroll(event: Event): void {
    const list = event.target;
    if (!(list instanceof HTMLElement) || list !== this.#list) return;
    const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight <= END_SLACK_PX;
    // New lines only ever move the end away; only the reader moves the view up.
    if (atEnd && !this.#following) this.#setFollowing(true);
    else if (!atEnd && this.#following && list.scrollTop < this.#lastTop) this.#setFollowing(false);
    this.#lastTop = list.scrollTop;
  }

  #setFollowing(following: boolean): void {
    this.#following = following;
    if (following) {
      this.#unseen = 0;
      this.#keepAtEnd();
    }
    this.#showFollow();
  }

  #keepAtEnd(): void {
    const list = this.#list;
    if (!list || !this.#following) return;
    list.scrollTop = list.scrollHeight;
    this.#lastTop = list.scrollTop;
  }

  #showFollow(): void {
    const button = document.getElementById(IDS.logFollow);
    if (button) {
      const text = this.#following
        ? 'Following'
        : this.#unseen > 0
          ? `Follow (${this.#unseen} new)`
          : 'Follow';
      if (button.textContent !== text) button.textContent = text;
      button.setAttribute('aria-pressed', String(this.#following));
    }
    document.getElementById(IDS.logTail)?.classList.toggle('log-paused', !this.#following);
  }
}

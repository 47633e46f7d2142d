/**
 * @module
 * A bounded log tail per session: lines pushed to `/api/broadcast/:id`, Context Foundry's
 * `events.jsonl` entries, its log files, OpenTelemetry events. Old lines fall off the front;
 * every line is stored, so a restart keeps each run's own record.
 */
import type { LogLevel, LogLine } from '../shared/protocol.js';
import type { ActivityStore } from '../store/activity.js';

const MAX_TEXT = 8 * 1024;
const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);
/** Sessions whose tail is kept in memory; others are read back from the store when asked. */
const CACHED_SESSIONS = 256;

export type LogEntry = string | Record<string, unknown>;

function levelOf(value: unknown, text: string): LogLevel {
  const word = typeof value === 'string' ? value.toLowerCase() : '';
  if (LEVELS.has(word)) return word as LogLevel;
  if (word === 'warning') return 'warn';
  if (word === 'fatal' || word === 'critical' || word === 'failed') return 'error';
  return /\b(error|failed|exception|traceback)\b/i.test(text) ? 'error' : 'info';
}

function textOf(entry: Record<string, unknown>): string {
  for (const key of ['text', 'message', 'line', 'msg']) {
    const value = entry[key];
    if (typeof value === 'string') return value;
  }
  return JSON.stringify(entry);
}

/** One line, bounded, without the NULs and trailing newline a build may leave in it. */
function clean(text: string): string {
  const bounded = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} characters)` : text;
  return bounded.replaceAll('\u0000', '').replace(/\r?\n$/, '');
}

export class LogBook {
  readonly #store: Pick<ActivityStore, 'appendLogs' | 'loadLogs' | 'lastLogSeq'> | null;
  readonly #lines = new Map<string, LogLine[]>();
  readonly #seq = new Map<string, number>();

  constructor(
    store: Pick<ActivityStore, 'appendLogs' | 'loadLogs' | 'lastLogSeq'> | null = null,
    readonly maxLines = 1_000,
  ) {
    this.#store = store;
  }

  /** Adds one entry (a text line or a JSON event) and returns the stored line. */
  append(sessionId: string, entry: LogEntry, now: number, source = 'push'): LogLine {
    return this.appendMany(sessionId, [{ entry, at: now }], source)[0]!;
  }

  /** Adds entries in order, in one write; returns the stored lines. */
  appendMany(
    sessionId: string,
    entries: ReadonlyArray<{ entry: LogEntry; at: number; level?: LogLevel }>,
    source: string,
  ): LogLine[] {
    const lines = this.#cached(sessionId);
    let seq = this.#seq.get(sessionId) ?? 0;
    const added: LogLine[] = [];
    for (const { entry, at, level } of entries) {
      const text = clean(typeof entry === 'string' ? entry : textOf(entry));
      const line: LogLine = {
        seq: ++seq,
        at: new Date(at).toISOString(),
        level:
          level ??
          levelOf(typeof entry === 'string' ? undefined : (entry['level'] ?? entry['severity']), text),
        text,
        source,
      };
      added.push(line);
      lines.push(line);
    }
    this.#seq.set(sessionId, seq);
    if (lines.length > this.maxLines) lines.splice(0, lines.length - this.maxLines);
    this.#store?.appendLogs(sessionId, added, this.maxLines);
    return added;
  }

  /** The last `limit` lines of a session, oldest first. */
  tail(sessionId: string, limit = 200): LogLine[] {
    return this.#cached(sessionId).slice(-limit);
  }

  #cached(sessionId: string): LogLine[] {
    let lines = this.#lines.get(sessionId);
    if (lines) {
      // Most recently used last, so the oldest entry is the one to let go.
      this.#lines.delete(sessionId);
      this.#lines.set(sessionId, lines);
      return lines;
    }
    lines = this.#store?.loadLogs(sessionId, this.maxLines) ?? [];
    if (!this.#seq.has(sessionId)) this.#seq.set(sessionId, this.#store?.lastLogSeq(sessionId) ?? 0);
    this.#lines.set(sessionId, lines);
    if (this.#lines.size > CACHED_SESSIONS) {
      const oldest = this.#lines.keys().next().value;
      if (oldest !== undefined) this.#lines.delete(oldest);
    }
    return lines;
  }
}

/**
 * @module
 * A bounded log tail per session: lines pushed to `/api/broadcast/:id`, Context Foundry's
 * `events.jsonl` entries, its log files, OpenTelemetry events. Old lines fall off the front;
 * every line is stored, so a restart keeps each run's own record.
 */
import type { LogLevel, LogLine } from '../shared/protocol.js';
import { Emitter } from '../shared/emitter.js';
import { Lru } from '../shared/lru.js';
import { readLogEntry, type LogEntry } from '../collector/log-entry.js';
import type { ActivityStorage } from './storage.js';

/** Sessions whose tail is kept in memory; others are read back from the store when asked. */
const CACHED_SESSIONS = 256;

/** What the log book tells those who follow it. */
export type LogBookEvents = {
  /** New lines of a session, in order. */
  lines: [sessionId: string, lines: LogLine[]];
};

export class LogBook {
  readonly #store: Pick<ActivityStorage, 'appendLogs' | 'loadLogs' | 'lastLogSeq'> | null;
  /** Every appended batch, as it is stored. */
  readonly changes = new Emitter<LogBookEvents>();
  readonly #lines = new Lru<string, LogLine[]>(CACHED_SESSIONS);
  readonly #seq = new Map<string, number>();

  constructor(
    store: Pick<ActivityStorage, 'appendLogs' | 'loadLogs' | 'lastLogSeq'> | null = null,
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
      const read = readLogEntry(entry);
      const line: LogLine = {
        seq: ++seq,
        at: new Date(at).toISOString(),
        level: level ?? read.level,
        text: read.text,
        source,
      };
      added.push(line);
      lines.push(line);
    }
    this.#seq.set(sessionId, seq);
    if (lines.length > this.maxLines) lines.splice(0, lines.length - this.maxLines);
    this.#store?.appendLogs(sessionId, added, this.maxLines);
    if (added.length > 0) this.changes.emit('lines', sessionId, added);
    return added;
  }

  /** A session was deleted: what is cached of its log goes too. */
  forget(sessionId: string): void {
    this.#lines.delete(sessionId);
    this.#seq.delete(sessionId);
  }

  /** The last `limit` lines of a session, oldest first. */
  tail(sessionId: string, limit = 200): LogLine[] {
    return this.#cached(sessionId).slice(-limit);
  }

  #cached(sessionId: string): LogLine[] {
    const cached = this.#lines.get(sessionId);
    if (cached) return cached;
    const lines = this.#store?.loadLogs(sessionId, this.maxLines) ?? [];
    if (!this.#seq.has(sessionId)) this.#seq.set(sessionId, this.#store?.lastLogSeq(sessionId) ?? 0);
    this.#lines.set(sessionId, lines);
    return lines;
  }
}

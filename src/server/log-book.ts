/**
 * @module
 * A bounded log tail per session: free-form lines pushed to `/api/broadcast/:id` (and, later,
 * events and log files). Old lines fall off the front; nothing grows without limit.
 */
import type { LogLevel, LogLine } from '../shared/protocol.js';

const MAX_TEXT = 8 * 1024;
const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);

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

export class LogBook {
  readonly #lines = new Map<string, LogLine[]>();
  readonly #seq = new Map<string, number>();

  constructor(readonly maxLines = 1_000) {}

  /** Adds one entry (a text line or a JSON event) and returns the stored line. */
  append(sessionId: string, entry: string | Record<string, unknown>, now: number, source = 'push'): LogLine {
    const rawText = typeof entry === 'string' ? entry : textOf(entry);
    const text =
      rawText.length > MAX_TEXT ? `${rawText.slice(0, MAX_TEXT)}… (${rawText.length} characters)` : rawText;
    const seq = (this.#seq.get(sessionId) ?? 0) + 1;
    this.#seq.set(sessionId, seq);
    const line: LogLine = {
      seq,
      at: new Date(now).toISOString(),
      level: levelOf(typeof entry === 'string' ? undefined : (entry['level'] ?? entry['severity']), text),
      text: text.replace(/\r?\n$/, ''),
      source,
    };
    const lines = this.#lines.get(sessionId) ?? [];
    lines.push(line);
    if (lines.length > this.maxLines) lines.splice(0, lines.length - this.maxLines);
    this.#lines.set(sessionId, lines);
    return line;
  }

  /** The last `limit` lines of a session, oldest first. */
  tail(sessionId: string, limit = 200): LogLine[] {
    return (this.#lines.get(sessionId) ?? []).slice(-limit);
  }
}

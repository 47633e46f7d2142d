/**
 * @module
 * How builds write a log line (SPEC 1.2 `POST /api/broadcast/:id`, `events.jsonl`, log files,
 * OpenTelemetry events): plain text, or a JSON event whose text is under `text`, `message`,
 * `line` or `msg` and whose level is under `level` or `severity`, in any of the words tools use.
 */
import type { LogLevel } from '../shared/protocol.js';

/** Longest line kept, in characters; a longer one is cut with a note of its length. */
const MAX_LOG_TEXT = 8 * 1024;

/** A line as a build sent it. */
export type LogEntry = string | Record<string, unknown>;

const LEVELS: ReadonlyMap<string, LogLevel> = new Map([
  ['debug', 'debug'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['error', 'error'],
  ['fatal', 'error'],
  ['critical', 'error'],
  ['failed', 'error'],
]);

const TEXT_KEYS = ['text', 'message', 'line', 'msg'] as const;

/** The level a build gave, else one read from the text (errors and tracebacks stand out). */
function logLevelOf(value: unknown, text: string): LogLevel {
  const level = typeof value === 'string' ? LEVELS.get(value.toLowerCase()) : undefined;
  if (level) return level;
  return /\b(error|failed|exception|traceback)\b/i.test(text) ? 'error' : 'info';
}

/** One line, bounded, without the NULs and trailing newline a build may leave in it. */
function cleanLogText(text: string): string {
  const bounded =
    text.length > MAX_LOG_TEXT ? `${text.slice(0, MAX_LOG_TEXT)}… (${text.length} characters)` : text;
  return bounded.replaceAll('\u0000', '').replace(/\r?\n$/, '');
}

/** The text and level of an entry. */
export function readLogEntry(entry: LogEntry): { text: string; level: LogLevel } {
  if (typeof entry === 'string') {
    const text = cleanLogText(entry);
    return { text, level: logLevelOf(undefined, text) };
  }
  let raw: string | undefined;
  for (const key of TEXT_KEYS) {
    const value = Object.hasOwn(entry, key) ? entry[key] : undefined;
    if (typeof value === 'string') {
      raw = value;
      break;
    }
  }
  const text = cleanLogText(raw ?? JSON.stringify(entry));
  const own = (key: string) => (Object.hasOwn(entry, key) ? entry[key] : undefined);
  const level = own('level') ?? own('severity');
  return { text, level: logLevelOf(level, text) };
}

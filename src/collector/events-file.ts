/**
 * @module
 * Reads Context Foundry's event logs (SPEC 1.4), `logs/events/<session>/events.jsonl`: one JSON
 * object per line, `{"type","session_id","timestamp","sequence","data"}`, with types
 * phase_change, iteration_start, iteration_complete, task_complete, context_update, log_line,
 * error and completion. Each line becomes a {@link BuildEvent} with a one-line summary for the
 * session page's event tail.
 *
 * Pure: the caller reads the file (remembering its offset) and hands over complete lines.
 */
import { fieldKey, parseJson, parseTimestamp, pickField, truncateDeep, truncateText } from './json-text.js';
import { MAX_NAME_LENGTH } from './limits.js';
import { readSummaryCounts } from './test-summary.js';
import type { BuildEvent, EventLevel } from './types.js';

/** What one line of the log turned out to be. */
export type EventLine =
  { kind: 'event'; event: BuildEvent } | { kind: 'skip' } | { kind: 'problem'; reason: string };

/** Lines longer than this many characters are refused unread: no build event is a megabyte. */
export const MAX_EVENT_LINE_LENGTH = 1024 * 1024;

/** {@link BuildEvent.text} is cut to this many characters (ending in "…(truncated)"). */
export const MAX_EVENT_TEXT_LENGTH = 300;

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const ENVELOPE = {
  type: ['type', 'event', 'eventtype', 'kind'],
  sessionId: ['sessionid', 'session'],
  at: ['timestamp', 'ts', 'time', 'createdat', 'at'],
  sequence: ['sequence', 'seq', 'sequencenumber'],
  data: ['data', 'payload', 'details'],
} as const;
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(Object.values(ENVELOPE).flat());

/** The first of `aliases` present in `object`, matched ignoring case and punctuation. */
const pick = (object: JsonObject, aliases: readonly string[]): unknown => pickField(object, aliases);

/** Text of a field: strings trimmed, numbers as written; null when absent or empty. */
function textOf(object: JsonObject, aliases: readonly string[]): string | null {
  const value = pick(object, aliases);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isObject(value)) return textOf(value, ['message', 'error', 'detail']);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function countOf(object: JsonObject, aliases: readonly string[]): number | null {
  const value = pick(object, aliases);
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : null;
}

function oneLine(text: string): string {
  return truncateText(text.replace(/\s+/g, ' ').trim(), MAX_EVENT_TEXT_LENGTH);
}

const MESSAGE = ['message', 'msg', 'line', 'text', 'log', 'content', 'error', 'detail', 'details', 'reason'];
const DETAIL = ['detail', 'details', 'message', 'msg', 'summary', 'result'];
const ITERATION = ['iteration', 'testiteration', 'iterationnumber', 'n'];
const FAILED_WORD = /\b(?:fail|failed|failure|error|errored|aborted|crashed)\b/i;

/** A `Map`, so a level such as "constructor" is simply unknown, never `Object.prototype`'s. */
const LEVELS: ReadonlyMap<string, EventLevel> = new Map([
  ['trace', 'debug'],
  ['debug', 'debug'],
  ['verbose', 'debug'],
  ['info', 'info'],
  ['notice', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['error', 'error'],
  ['err', 'error'],
  ['fatal', 'error'],
  ['critical', 'error'],
]);

const withDetail = (head: string, detail: string | null): string => (detail ? `${head}: ${detail}` : head);

/** The one-line summary and level of an event, by type. */
function describe(type: string, data: JsonObject): { text: string; level: EventLevel } {
  const status = textOf(data, ['status', 'outcome', 'state']);
  const failedStatus = status !== null && FAILED_WORD.test(status.replace(/[_-]/g, ' '));
  const iteration = countOf(data, ITERATION);
  const label = iteration === null ? 'iteration' : `iteration ${iteration}`;
  switch (type) {
    case 'phase_change': {
      const from = textOf(data, ['from', 'fromphase', 'previousphase', 'prevphase', 'oldphase']);
      const to = textOf(data, ['to', 'tophase', 'newphase', 'phase', 'currentphase', 'phasename']);
      const head =
        from && to ? `phase_change: ${from} → ${to}` : `phase_change: ${to ?? from ?? 'unknown phase'}`;
      const detail = textOf(data, DETAIL);
      const text = `${head}${status ? ` (${status})` : ''}${detail ? ` — ${detail}` : ''}`;
      return { text, level: failedStatus ? 'error' : 'info' };
    }
    case 'iteration_start':
      return { text: `${label} started`, level: 'info' };
    case 'iteration_complete': {
      const detail = textOf(data, DETAIL);
      const stated = readSummaryCounts(detail ?? '');
      const passed =
        countOf(data, ['passed', 'testspassed', 'passing', 'passedcount']) ?? stated?.passed ?? null;
      const failed =
        countOf(data, ['failed', 'testsfailed', 'failing', 'failedcount']) ?? stated?.failed ?? null;
      if (passed === null && failed === null)
        return { text: withDetail(`${label} complete`, detail), level: 'info' };
      const counts = [
        passed === null ? null : `${passed} passed`,
        failed === null ? null : `${failed} failed`,
      ];
      const text = `${label} complete: ${counts.filter((part) => part !== null).join(', ')}`;
      return { text, level: failed !== null && failed > 0 ? 'warn' : 'info' };
    }
    case 'task_complete': {
      const task = textOf(data, ['taskname', 'name', 'title', 'task', 'taskid', 'id']) ?? 'a task';
      return failedStatus
        ? { text: withDetail(`task failed: ${task}`, textOf(data, ['error', 'reason'])), level: 'error' }
        : { text: `task complete: ${task}`, level: 'info' };
    }
    case 'context_update': {
      const percent = textOf(data, [
        'percent',
        'contextpercent',
        'usagepercent',
        'percentage',
        'contextusage',
      ]);
      const used = countOf(data, ['tokens', 'usedtokens', 'contexttokens', 'tokensused']);
      const limit = countOf(data, ['maxtokens', 'contextwindow', 'limit', 'totaltokens']);
      const parts = [
        percent === null ? null : `${percent.replace(/%$/, '')}% used`,
        used === null ? null : limit === null ? `${used} tokens` : `${used} / ${limit} tokens`,
      ].filter((part) => part !== null);
      return { text: parts.length > 0 ? `context: ${parts.join(', ')}` : 'context_update', level: 'info' };
    }
    case 'log_line':
      return { text: textOf(data, MESSAGE) ?? 'log_line', level: 'info' };
    case 'error':
      return { text: withDetail('error', textOf(data, MESSAGE)), level: 'error' };
    case 'completion': {
      const detail = textOf(data, DETAIL);
      return {
        text: `completion: ${status ?? 'done'}${detail ? ` — ${detail}` : ''}`,
        level: failedStatus ? 'error' : 'info',
      };
    }
    default:
      return { text: withDetail(type, textOf(data, MESSAGE)), level: failedStatus ? 'error' : 'info' };
  }
}

/**
 * Reads one line of an event log. Blank lines are skipped; a line that is not a JSON object
 * with a `type` is a problem with its reason (a half-written last line is one: pass only
 * lines that ended in a newline).
 */
export function parseEventLine(line: string): EventLine {
  if (line.length > MAX_EVENT_LINE_LENGTH) {
    return {
      kind: 'problem',
      reason: `line too long: ${line.length} characters (limit ${MAX_EVENT_LINE_LENGTH})`,
    };
  }
  const body = line.replace(/^\ufeff/, '').trim();
  if (body === '') return { kind: 'skip' };
  const parsed = parseJson(body);
  if (!parsed.ok) return { kind: 'problem', reason: parsed.problem.message };
  const { value } = parsed;
  if (!isObject(value)) return { kind: 'problem', reason: 'expected a JSON object' };
  const rawType = pick(value, ENVELOPE.type);
  const type =
    typeof rawType === 'string'
      ? rawType
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, '_')
          .slice(0, 64)
      : '';
  if (type === '') return { kind: 'problem', reason: 'no event type' };

  const rawData = pick(value, ENVELOPE.data);
  const data = (
    isObject(rawData)
      ? truncateDeep(rawData)
      : typeof rawData === 'string'
        ? { message: truncateDeep(rawData) }
        : truncateDeep(
            Object.fromEntries(Object.entries(value).filter(([name]) => !ENVELOPE_KEYS.has(fieldKey(name)))),
          )
  ) as JsonObject;
  const sessionId = textOf(value, ENVELOPE.sessionId);
  const at = parseTimestamp(pick(value, ENVELOPE.at));
  const { text, level } = describe(type, data);
  const explicit = textOf(data, ['level', 'severity']) ?? textOf(value, ['level', 'severity']);
  const stated = explicit === null ? undefined : LEVELS.get(explicit.toLowerCase());
  return {
    kind: 'event',
    event: {
      type,
      sessionId: sessionId === null ? null : truncateText(sessionId, MAX_NAME_LENGTH),
      at: at === null ? null : Date.parse(at),
      sequence: countOf(value, ENVELOPE.sequence),
      data,
      text: oneLine(text),
      level: level === 'error' ? 'error' : (stated ?? level),
    },
  };
}

/** The events of complete lines, in the order written, and how many lines could not be read. */
export function parseEventLines(lines: readonly string[]): { events: BuildEvent[]; bad: number } {
  const events: BuildEvent[] = [];
  let bad = 0;
  for (const line of lines) {
    const parsed = parseEventLine(line);
    if (parsed.kind === 'event') events.push(parsed.event);
    else if (parsed.kind === 'problem') bad += 1;
  }
  return { events, bad };
}

/** The events of a log's text, the problems by line number (1-based), and an unfinished last line. */
export interface EventLog {
  events: BuildEvent[];
  problems: Array<{ line: number; reason: string }>;
  /** Text after the last newline: a line still being written, to read again with what follows. */
  rest: string;
}

/** Reads every complete line of `text` (see {@link parseEventLine}), in the order written. */
export function parseEventLog(text: string): EventLog {
  const end = text.lastIndexOf('\n') + 1;
  const log: EventLog = { events: [], problems: [], rest: text.slice(end) };
  text
    .slice(0, end)
    .split('\n')
    .forEach((line, index) => {
      const parsed = parseEventLine(line);
      if (parsed.kind === 'event') log.events.push(parsed.event);
      else if (parsed.kind === 'problem') log.problems.push({ line: index + 1, reason: parsed.reason });
    });
  return log;
}

/**
 * Events in the order they happened: by sequence, then timestamp, then arrival (the order
 * given). Events without a sequence come after those with one, and events without a timestamp
 * after those with one at the same sequence; the result is a new array.
 */
export function orderEvents<T extends Pick<BuildEvent, 'sequence' | 'at'>>(events: readonly T[]): T[] {
  const nullsLast = (a: number | null, b: number | null): number =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b;
  return events
    .map((event, arrival) => ({ event, arrival }))
    .sort(
      (a, b) =>
        nullsLast(a.event.sequence, b.event.sequence) ||
        nullsLast(a.event.at, b.event.at) ||
        a.arrival - b.arrival,
    )
    .map(({ event }) => event);
}

/**
 * Drops events whose (sessionId, sequence) was seen before, keeping the first; events without
 * a sequence are all kept. A log re-read from its start, or an event both pushed and logged,
 * then shows once.
 */
export function dedupeEvents<T extends Pick<BuildEvent, 'sessionId' | 'sequence'>>(
  events: readonly T[],
): T[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    if (event.sequence === null) return true;
    const id = JSON.stringify([event.sessionId, event.sequence]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * @module
 * Reading JSON text and the values inside it the way every build file needs: size- and
 * depth-bounded, BOM-tolerant parsing, long strings cut with a visible marker, bounded previews
 * of bad values for warnings, timestamps in any common spelling, and the slugs and compact
 * times that make session ids.
 */
import { MAX_JSON_DEPTH, MAX_LIST_ENTRIES, MAX_TEXT_LENGTH, TRUNCATED } from './limits.js';
import type { ParseProblem, Result } from './types.js';

export { MAX_JSON_DEPTH, MAX_TEXT_LENGTH } from './limits.js';

/** Larger phase files are refused unread: no build writes 16 MiB of status. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

export interface JsonReadOptions {
  /** Refuse text longer than this many UTF-8 bytes (default {@link DEFAULT_MAX_BYTES}). */
  maxBytes?: number;
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const problem = (code: ParseProblem['code'], message: string): { ok: false; problem: ParseProblem } => ({
  ok: false,
  problem: { code, message },
});

/**
 * Whether JSON text nests arrays and objects more than `limit` levels deep. One pass over the
 * characters, no recursion: `JSON.parse` copes with any depth, but `JSON.stringify` and every
 * recursive walk after it overflow the stack at a few thousand levels.
 */
export function nestsDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  // Every level takes at least two characters.
  if (text.length <= limit * 2) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The problem for text nested too deep, in the words every parser uses. */
const tooDeep = (): { ok: false; problem: ParseProblem } =>
  problem('too-deep', `nested more than ${MAX_JSON_DEPTH} levels deep`);

/**
 * Reads text that must hold one JSON value: drops a UTF-8 BOM and refuses text that is too
 * large, blank, not JSON, or nested more than {@link MAX_JSON_DEPTH} levels deep.
 */
export function parseJson(text: string, options: JsonReadOptions = {}): Result<unknown> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // A UTF-8 character is at most 3 bytes per UTF-16 unit, so short text skips the byte count.
  if (text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) return problem('too-large', `too large: ${bytes} bytes (limit ${maxBytes} bytes)`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return problem('empty', 'file is empty');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return problem('invalid-json', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return nestsDeeperThan(body) ? tooDeep() : { ok: true, value };
}

/**
 * Reads text that must hold one JSON object (a phase file, a checkpoint's `state.json`): as
 * {@link parseJson}, and refuses arrays and scalars.
 */
export function parseJsonObject(text: string, options: JsonReadOptions = {}): Result<JsonObject> {
  const parsed = parseJson(text, options);
  if (!parsed.ok) return parsed;
  const { value } = parsed;
  if (isObject(value)) return { ok: true, value };
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return problem('not-object', `expected a JSON object, got ${kind}`);
}

/**
 * Cuts a string to `max` characters (default {@link MAX_TEXT_LENGTH}), the last ones
 * {@link TRUNCATED}, never halving a surrogate pair.
 */
export function truncateText(text: string, max = MAX_TEXT_LENGTH): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - TRUNCATED.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${TRUNCATED}`;
}

/**
 * A copy of a JSON value with {@link truncateText} applied to every string in it, lists cut to
 * {@link MAX_LIST_ENTRIES} (a last entry says how many more there were), and anything nested
 * deeper than {@link MAX_JSON_DEPTH} replaced by a marker. Objects are rebuilt with
 * `Object.fromEntries`, so a `__proto__` key stays plain data.
 */
export function truncateDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return truncateText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) return `${TRUNCATED} nested too deep`;
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_LIST_ENTRIES).map((item: unknown) => truncateDeep(item, depth + 1));
    if (value.length > MAX_LIST_ENTRIES)
      kept.push(`${TRUNCATED} ${value.length - MAX_LIST_ENTRIES} more entries`);
    return kept;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncateDeep(v, depth + 1)]));
}

/**
 * A bad value quoted for a warning, as JSON, at most `max` characters (the last one "…" when
 * cut). Only as much of the value is visited as is shown, so a huge or deep value costs nothing.
 */
export function previewJson(value: unknown, max = 60): string {
  let out = '';
  const write = (item: unknown, depth: number): void => {
    if (out.length > max) return;
    if (typeof item === 'string') out += JSON.stringify(item.slice(0, max));
    else if (typeof item === 'number' || typeof item === 'boolean' || item === null) out += String(item);
    else if (typeof item !== 'object') out += String(item);
    else if (depth >= 8) out += '…';
    else if (Array.isArray(item)) {
      out += '[';
      for (let i = 0; i < item.length && out.length <= max; i++) {
        if (i > 0) out += ',';
        write(item[i], depth + 1);
      }
      out += ']';
    } else {
      out += '{';
      let first = true;
      for (const key in item) {
        if (out.length > max) break;
        if (!Object.hasOwn(item, key)) continue;
        out += `${first ? '' : ','}${JSON.stringify(key.slice(0, max))}:`;
        first = false;
        write((item as JsonObject)[key], depth + 1);
      }
      out += '}';
    }
  };
  write(value, 0);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** A field name as builds' drift compares: case and punctuation ignored (`session_id` = `SessionID`). */
export const fieldKey = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const fieldIndexes = new WeakMap<JsonObject, Map<string, unknown[]>>();

/**
 * The values of an object's fields by {@link fieldKey}, in the order written. Built once per
 * object and kept while the object lives, so looking up many aliases costs one pass over the
 * object's keys rather than one per alias.
 */
function fieldIndex(object: JsonObject): Map<string, unknown[]> {
  let index = fieldIndexes.get(object);
  if (index) return index;
  index = new Map();
  for (const [name, value] of Object.entries(object)) {
    const k = fieldKey(name);
    const list = index.get(k);
    if (list) list.push(value);
    else index.set(k, [value]);
  }
  fieldIndexes.set(object, index);
  return index;
}

/**
 * The first value of the first alias (a {@link fieldKey}) that `object` holds and `accept`
 * takes (by default anything but null and undefined); undefined when none does.
 */
export function pickField(
  object: JsonObject,
  aliases: readonly string[],
  accept: (value: unknown) => boolean = (value) => value !== null && value !== undefined,
): unknown {
  const index = fieldIndex(object);
  for (const alias of aliases) {
    for (const value of index.get(alias) ?? []) if (accept(value)) return value;
  }
  return undefined;
}

const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

function isoFromMs(ms: number): string | null {
  // Outside these years toISOString either throws or stops being YYYY-MM-DD.
  if (!Number.isFinite(ms) || ms < 0 || ms >= Date.UTC(10000, 0, 1)) return null;
  return new Date(ms).toISOString();
}

/**
 * Reads a build's timestamp as ISO UTC (`YYYY-MM-DDTHH:MM:SS.sssZ`): ISO 8601 with or without
 * `Z` or an offset and with fractional seconds, `"2026-11-20 14:02:11"`, or epoch seconds or
 * milliseconds (numbers or digit strings; values under 1e11 are seconds). A time without a
 * zone is taken as UTC: the server cannot know the build machine's zone, and Context Foundry
 * writes UTC. Anything else is null.
 */
export function parseTimestamp(value: unknown): string | null {
  if (typeof value === 'number') return value > 0 ? isoFromMs(value < 1e11 ? value * 1000 : value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return parseTimestamp(Number(text));
  const m = TIMESTAMP_PATTERN.exec(text);
  if (m === null) {
    // Only forms that name their zone, so Date.parse never falls back to the server's local time.
    return /\b(?:GMT|UTC)\b|[+-]\d{4}$/.test(text) ? isoFromMs(Date.parse(text)) : null;
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  const local = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, millis);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month! - 1 || check.getUTCHours() !== hour)
    return null;
  if (check.getUTCMinutes() !== minute || check.getUTCSeconds() !== second) return null;
  const zone = /^([+-])(\d{2}):?(\d{2})?$/.exec(m[8] ?? '');
  if (zone === null) return isoFromMs(local);
  const offsetMinutes = Number(zone[2]) * 60 + Number(zone[3] ?? 0);
  if (Number(zone[2]) > 23 || Number(zone[3] ?? 0) > 59) return null;
  return isoFromMs(local - (zone[1] === '-' ? -1 : 1) * offsetMinutes * 60_000);
}

/**
 * A URL-safe, lower-case slug for session ids: accents dropped, every run of other characters
 * turned into one hyphen, at most 60 characters, `session` when nothing is left.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'session' : slug;
}

/**
 * The compact, URL-safe form of a time for session ids: `2026-11-20T14:02:11.000Z` →
 * `20261120T140211Z`. Milliseconds are dropped (builds write whole seconds). Text that is not a
 * time keeps only its letters and digits.
 */
export function compactTimestamp(iso: string): string {
  const parsed = parseTimestamp(iso);
  if (parsed === null) return iso.replace(/[^0-9A-Za-z]/g, '') || 'unknown';
  return parsed.replace(/[-:]/g, '').replace(/\.\d+/, '');
}

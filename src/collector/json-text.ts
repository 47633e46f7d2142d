/**
 * @module
 * Reading JSON text and the values inside it the way every build file needs: size-bounded,
 * BOM-tolerant parsing into an object, long strings cut, timestamps in any common spelling,
 * and the slugs and compact times that make session ids.
 */
import type { ParseProblem, Result } from './types.js';

/** Larger phase files are refused unread: no build writes 16 MiB of status. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** Longer strings are cut to this many characters (ending in "…") so pages stay readable. */
export const MAX_TEXT_LENGTH = 4000;

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
 * Reads text that must hold one JSON object (a phase file, a checkpoint's `state.json`): drops
 * a UTF-8 BOM and refuses text that is too large, blank, not JSON, or not an object.
 */
export function parseJsonObject(text: string, options: JsonReadOptions = {}): Result<JsonObject> {
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
  if (isObject(value)) return { ok: true, value };
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  return problem('not-object', `expected a JSON object, got ${kind}`);
}

/** Cuts a string to {@link MAX_TEXT_LENGTH} characters, the last one "…", never halving a surrogate pair. */
export function truncateText(text: string): string {
  if (text.length <= MAX_TEXT_LENGTH) return text;
  let end = MAX_TEXT_LENGTH - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * A copy of a JSON value with {@link truncateText} applied to every string in it. Objects are
 * rebuilt with `Object.fromEntries`, so a `__proto__` key stays plain data.
 */
export function truncateDeep(value: unknown): unknown {
  if (typeof value === 'string') return truncateText(value);
  if (Array.isArray(value)) return value.map(truncateDeep);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncateDeep(v)]));
  return value;
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

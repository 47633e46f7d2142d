/**
 * @module
 * The OTLP JSON encoding, read leniently and without throwing: `AnyValue` and `KeyValue[]` to
 * plain values, 64-bit integers and `*UnixNano` times written as decimal strings (or, by some
 * exporters, bare numbers), and the `resource…[].scope…[].item[]` nesting shared by logs and
 * metrics. Every unreadable part becomes a problem line with its path.
 * See https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding.
 */
import { previewJson, truncateText } from './json-text.js';
import { MAX_JSON_DEPTH } from './limits.js';

/** Problems kept per body; the rest are counted in one closing line. */
const MAX_PROBLEMS = 50;
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Decoded attributes: key to plain JSON value. */
export type Attrs = Map<string, unknown>;
/** A JSON object. */
export type Obj = Record<string, unknown>;

/** An attribute value as shown in the log tail; arrays and maps arrive as JSON text. */
export type OtlpScalar = string | number | boolean;

/** Stands for an attribute that was present but unreadable, so it is not mistaken for absent. */
export const UNREADABLE: unique symbol = Symbol('unreadable');

/** A JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short quotation of a bad value for a problem line (only as much of it is read as is shown). */
export const show = (value: unknown): string => previewJson(value, 40);

/** Times after year 9999 are no real record's, and could not be shown as dates. */
const LATEST_MS = Date.UTC(10000, 0, 1);

/** Collects problems, keeping the first few so a garbage body cannot flood the log. */
export class Problems {
  readonly list: string[] = [];
  #count = 0;
  add(path: string, reason: string): void {
    this.#count++;
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${path}: ${reason}`);
  }
  done(): string[] {
    const more = this.#count - this.list.length;
    return more > 0 ? [...this.list, `… and ${more} more problems`] : this.list;
  }
}

/**
 * OTLP `AnyValue` to plain JSON; undefined when it cannot be read (a problem is recorded).
 * Text is cut as every build text is ({@link truncateText}); arrays and maps nested past {@link MAX_JSON_DEPTH}
 * levels are not read.
 */
export function decodeAny(value: unknown, path: string, problems: Problems, depth = 0): unknown {
  if (!isObject(value)) return problems.add(path, `expected an AnyValue object, got ${show(value)}`);
  if (depth >= MAX_JSON_DEPTH) return problems.add(path, `nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (Object.hasOwn(value, 'stringValue') || Object.hasOwn(value, 'bytesValue')) {
    const text = value.stringValue ?? value.bytesValue;
    return typeof text === 'string'
      ? truncateText(text)
      : problems.add(path, `expected text, got ${show(text)}`);
  }
  if ('intValue' in value) return readNumber(value.intValue, true, path, problems);
  if ('doubleValue' in value) return readNumber(value.doubleValue, false, path, problems);
  if ('boolValue' in value) {
    return typeof value.boolValue === 'boolean'
      ? value.boolValue
      : problems.add(path, 'expected true or false');
  }
  if ('arrayValue' in value) {
    const values = isObject(value.arrayValue) ? (value.arrayValue.values ?? []) : undefined;
    if (!Array.isArray(values)) return problems.add(path, 'arrayValue.values is not an array');
    return values.map(
      (item, i) => decodeAny(item, `${path}.arrayValue.values[${i}]`, problems, depth + 1) ?? null,
    );
  }
  if ('kvlistValue' in value) {
    const list = isObject(value.kvlistValue) ? value.kvlistValue.values : undefined;
    const entries = decodeAttributes(list, `${path}.kvlistValue.values`, problems, depth + 1);
    return Object.fromEntries([...entries].filter(([, item]) => item !== UNREADABLE));
  }
  return null; // an empty AnyValue is OTLP's null
}

/**
 * Numbers as OTLP JSON writes them: JSON numbers or decimal strings. A `whole` number must be
 * exact, at most 2^53 either way: a 64-bit count beyond that has lost its digits.
 */
export function readNumber(
  raw: unknown,
  whole: boolean,
  path: string,
  problems: Problems,
): number | undefined {
  const value = typeof raw === 'string' && NUMBER_TEXT.test(raw.trim()) ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isFinite(value) && (!whole || Number.isSafeInteger(value))) {
    return value;
  }
  const expected = !whole
    ? 'a number'
    : Number.isInteger(value)
      ? 'a whole number below 2^53'
      : 'a whole number';
  problems.add(path, `expected ${expected}, got ${show(raw)}`);
  return undefined;
}

/** OTLP `KeyValue[]` to plain values; an unreadable value is reported and kept as `UNREADABLE`. */
export function decodeAttributes(list: unknown, path: string, problems: Problems, depth = 0): Attrs {
  const attrs: Attrs = new Map();
  if (list === undefined || list === null) return attrs;
  if (!Array.isArray(list)) {
    problems.add(path, 'expected an array of {key, value}');
    return attrs;
  }
  list.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.key !== 'string') {
      return problems.add(`${path}[${i}]`, 'expected {key, value}');
    }
    const where = `${path}[${i}] (${truncateText(entry.key, 80)})`;
    const value = decodeAny(entry.value ?? {}, where, problems, depth);
    attrs.set(entry.key, value === undefined ? UNREADABLE : value);
  });
  return attrs;
}

/** An attribute as text (numbers and booleans written out); null when absent or blank. */
export const text = (attrs: Attrs, key: string): string | null => {
  const value = attrs.get(key);
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
};

/** A plain value as a log-tail scalar; arrays and maps become JSON text. */
export const scalar = (value: unknown): OtlpScalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : JSON.stringify(value);

/**
 * `*UnixNano` to ms; null when absent or zero (OTLP's "unset"), undefined when unreadable or
 * after the year 9999.
 */
export function nanosToMs(raw: unknown, path: string, problems: Problems): number | null | undefined {
  if (raw === undefined || raw === null) return null;
  let ms: number | undefined;
  if (typeof raw === 'string' && /^\d+$/.test(raw)) ms = raw.length > 6 ? Number(raw.slice(0, -6)) : 0;
  else if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) ms = Math.floor(raw / 1e6);
  if (ms !== undefined && ms < LATEST_MS) return ms || null;
  problems.add(path, `expected nanoseconds since the epoch, got ${show(raw)}`);
  return undefined;
}

/** Walks `outer[].inner[].leaf[]`, reporting every level that is not the array it should be. */
export function eachNested(
  body: unknown,
  keys: [string, string, string],
  problems: Problems,
  visit: (item: unknown, path: string, resource: Attrs) => void,
): void {
  const [outer, inner, leaf] = keys;
  if (!isObject(body)) {
    return problems.add('body', `expected an OTLP JSON object with "${outer}", got ${show(body)}`);
  }
  const list = (value: unknown, path: string): unknown[] => {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    problems.add(path, `expected an array, got ${show(value)}`);
    return [];
  };
  list(body[outer], outer).forEach((group, i) => {
    const groupPath = `${outer}[${i}]`;
    if (!isObject(group)) return problems.add(groupPath, 'expected an object');
    const resourceAttrs = isObject(group.resource) ? group.resource.attributes : undefined;
    const resource = decodeAttributes(resourceAttrs, `${groupPath}.resource.attributes`, problems);
    list(group[inner], `${groupPath}.${inner}`).forEach((scope, j) => {
      const scopePath = `${groupPath}.${inner}[${j}]`;
      if (!isObject(scope)) return problems.add(scopePath, 'expected an object');
      list(scope[leaf], `${scopePath}.${leaf}`).forEach((item, k) =>
        visit(item, `${scopePath}.${leaf}[${k}]`, resource),
      );
    });
  });
}

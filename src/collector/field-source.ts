/**
 * @module
 * The fields of one JSON object as a drifting build writes them: looked up by name ignoring case
 * and punctuation, each read once, wrong-typed values reported and left as written, and the
 * rest kept as `extra`. Every pass is one walk over the object's keys.
 */
import { fieldKey, isObject, previewJson, truncateDeep, truncateText, type JsonObject } from './json-text.js';
import { MAX_NAME_LENGTH } from './limits.js';

/** A field reader: the value, null for "absent", or undefined for "present but the wrong type". */
export type Reader<T> = (value: unknown) => T | null | undefined;

/** A bad value quoted for a warning, at most 60 characters. */
export function preview(value: unknown): string {
  const text = previewJson(value, 61);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The fields of one JSON object, looked up by normalized name. Keys a field was read from are
 * consumed; whatever is left over becomes `extra`. Keys holding a value of the wrong type are
 * not consumed, so the value stays in `extra` as written.
 */
export class FieldSource {
  private readonly consumed = new Set<string>();
  /** Original key names by normalized name; several when a build wrote both spellings. */
  private readonly names = new Map<string, string[]>();

  constructor(
    private readonly object: JsonObject,
    private readonly warnings: string[],
    private readonly prefix = '',
  ) {
    for (const name of Object.keys(object)) {
      const list = this.names.get(fieldKey(name));
      if (list) list.push(name);
      else this.names.set(fieldKey(name), [name]);
    }
  }

  take<T>(aliases: readonly string[], expected: string, read: Reader<T>): T | null {
    for (const alias of aliases) {
      for (const name of this.names.get(alias) ?? []) {
        if (this.consumed.has(name)) continue;
        const value = this.object[name];
        const result = value === null ? null : read(value);
        if (result === undefined) {
          const field = truncateText(`${this.prefix}${name}`, MAX_NAME_LENGTH);
          this.warnings.push(`${field}: expected ${expected}, got ${preview(value)}`);
          continue;
        }
        this.consumed.add(name);
        if (result !== null) return result;
      }
    }
    return null;
  }

  /** A nested object (e.g. `timestamps`), left in `extra` as written. */
  nested(alias: string): FieldSource | null {
    const name = (this.names.get(alias) ?? []).find((candidate) => isObject(this.object[candidate]));
    return name === undefined
      ? null
      : new FieldSource(this.object[name] as JsonObject, this.warnings, `${name}.`);
  }

  rest(): JsonObject {
    return Object.fromEntries(
      Object.entries(this.object)
        .filter(([name]) => !this.consumed.has(name))
        .map(([name, value]) => [name, truncateDeep(value)]),
    );
  }
}

/**
 * @module
 * The one least-recently-used cache: a `Map` kept in use order (most recent last), so the first
 * key is always the one to let go. Keys are compared as `Map` keys, never as object properties,
 * so build text such as `"constructor"` is an ordinary key.
 */

export class Lru<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  /** `capacity` is the most entries kept; at least one. */
  constructor(capacity: number) {
    this.#capacity = Math.max(1, Math.floor(capacity));
  }

  /** The value, marked as just used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Whether a key is cached, without marking it used. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Stores a value as the most recently used, letting the least recently used go when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

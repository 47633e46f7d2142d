/**
 * @module
 * The one bounded waiting queue: things that arrive before what they belong to exists (side files
 * before a build's first phase file, agent updates before their session, requests before their
 * build) wait here by key, in arrival order, and are taken out whole when it appears. Bounded both
 * ways, so a stream of updates for a build that never appears cannot grow memory: past the limits
 * the oldest go first, handed to `onEvict` so the owner decides what "too late" means.
 */

export interface WaitingQueueOptions<T> {
  /** The most keys waiting at once; the key waiting longest goes first. */
  maxKeys: number;
  /** The most items waiting under one key; the oldest goes first. */
  maxPerKey: number;
  /** Told of items that had to leave unclaimed (default: they are dropped). */
  onEvict?: (key: string, items: T[]) => void;
}

export class WaitingQueue<T> {
  readonly #waiting = new Map<string, T[]>();
  readonly #maxKeys: number;
  readonly #maxPerKey: number;
  readonly #onEvict: (key: string, items: T[]) => void;
  #count = 0;

  constructor({ maxKeys, maxPerKey, onEvict = () => {} }: WaitingQueueOptions<T>) {
    this.#maxKeys = Math.max(1, maxKeys);
    this.#maxPerKey = Math.max(1, maxPerKey);
    this.#onEvict = onEvict;
  }

  /** Keeps an item under its key; returns how many now wait under that key. */
  keep(key: string, item: T): number {
    let list = this.#waiting.get(key);
    if (!list) {
      list = [];
      this.#waiting.set(key, list);
    }
    list.push(item);
    this.#count++;
    if (list.length > this.#maxPerKey) {
      this.#count--;
      this.#onEvict(key, [list.shift()!]);
    }
    if (this.#waiting.size > this.#maxKeys) {
      const [oldestKey, oldest] = this.#waiting.entries().next().value as [string, T[]];
      this.#waiting.delete(oldestKey);
      this.#count -= oldest.length;
      this.#onEvict(oldestKey, oldest);
    }
    return this.#waiting.get(key)?.length ?? 0;
  }

  /** Everything waiting under a key, oldest first, no longer waiting. */
  take(key: string): T[] {
    const list = this.#waiting.get(key);
    if (!list) return [];
    this.#waiting.delete(key);
    this.#count -= list.length;
    return list;
  }

  /** Everything waiting under every key, in arrival order per key. */
  takeAll(): T[] {
    const all = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    this.#count = 0;
    return all;
  }

  has(key: string): boolean {
    return this.#waiting.has(key);
  }

  /** How many items wait in all. */
  get size(): number {
    return this.#count;
  }
}

/**
 * @module
 * Every run kept in each order the history can be sorted by (SPEC 4 `GET /api/sessions?sort=`),
 * so a listing of 100,000 stored runs walks an order that is already there instead of sorting
 * them all on each request. A change moves one run within each order (two binary searches, and
 * a splice only when its key changed); the whole set is sorted once, after a restart.
 */
import type { Session } from '../shared/protocol.js';
import { runDurationMs } from './run-figures.js';

/** The orders `GET /api/sessions` takes as `sort=`. */
export const RUN_SORTS = ['started', 'duration', 'tokens', 'cost', 'iterations'] as const;
export type RunSort = (typeof RUN_SORTS)[number];

/** Every kept order: the five above and the newest change first of the dashboard. */
export type RunOrderKey = RunSort | 'updated';
const KEYS: readonly RunOrderKey[] = ['updated', ...RUN_SORTS];

export type SortDirection = 'asc' | 'desc';

/** A run with its sort keys worked out once; null keys sort last in either direction. */
interface Slot {
  readonly id: string;
  readonly session: Session;
  readonly updated: number | null;
  readonly started: number | null;
  readonly duration: number | null;
  readonly tokens: number | null;
  readonly cost: number | null;
  readonly iterations: number | null;
}

const time = (iso: string): number | null => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
};

function slotOf(session: Session): Slot {
  return {
    id: session.id,
    session,
    updated: time(session.updatedAt),
    started: time(session.startedAt),
    duration: runDurationMs(session),
    tokens: session.tokensTotal,
    cost: session.costUsd,
    iterations: session.testIteration,
  };
}

/** Ascending by key, nulls after every value, ties by id: a total order, so positions are exact. */
function compare(a: Slot, b: Slot, key: RunOrderKey): number {
  const x = a[key];
  const y = b[key];
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

/** The first position whose slot does not sort before `slot`. */
function lowerBound(list: readonly Slot[], slot: Slot, key: RunOrderKey): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, slot, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position holding a null key (the end of the runs that have one). */
function firstNull(list: readonly Slot[], key: RunOrderKey): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]![key] !== null) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RunOrder {
  readonly #slots = new Map<string, Slot>();
  readonly #lists = new Map<RunOrderKey, Slot[]>(KEYS.map((key) => [key, []]));
  /** False after a bulk load: the lists are rebuilt and sorted once, on the next read. */
  #sorted = true;

  /** How many runs are kept. */
  get size(): number {
    return this.#slots.size;
  }

  /** Records a run's new state (or a new run). */
  put(session: Session): void {
    const before = this.#slots.get(session.id);
    if (before?.session === session) return;
    const slot = slotOf(session);
    this.#slots.set(session.id, slot);
    if (!this.#sorted) return;
    for (const [key, list] of this.#lists) {
      if (before) {
        const at = lowerBound(list, before, key);
        if (before[key] === slot[key]) {
          list[at] = slot;
          continue;
        }
        list.splice(at, 1);
      }
      list.splice(lowerBound(list, slot, key), 0, slot);
    }
  }

  /** Records many runs at once (a restart): sorted once, when first read. */
  load(sessions: Iterable<Session>): void {
    for (const session of sessions) this.#slots.set(session.id, slotOf(session));
    this.#sorted = false;
  }

  /** Forgets a run; false when it was not kept. */
  remove(id: string): boolean {
    const before = this.#slots.get(id);
    if (!before) return false;
    this.#slots.delete(id);
    if (!this.#sorted) return true;
    for (const [key, list] of this.#lists) list.splice(lowerBound(list, before, key), 1);
    return true;
  }

  /**
   * The runs in an order, lazily: descending walks the runs that have the key from the largest
   * down (ties by id, last first), ascending from the smallest up; either way runs without the
   * key come last.
   */
  *walk(key: RunOrderKey, direction: SortDirection): Generator<Session> {
    const list = this.#list(key);
    const nulls = firstNull(list, key);
    if (direction === 'asc') {
      for (let i = 0; i < list.length; i++) yield list[i]!.session;
      return;
    }
    for (let i = nulls - 1; i >= 0; i--) yield list[i]!.session;
    for (let i = list.length - 1; i >= nulls; i--) yield list[i]!.session;
  }

  /** The first `limit` runs of an order. */
  first(key: RunOrderKey, direction: SortDirection, limit: number): Session[] {
    const out: Session[] = [];
    if (limit <= 0) return out;
    for (const session of this.walk(key, direction)) {
      out.push(session);
      if (out.length >= limit) break;
    }
    return out;
  }

  #list(key: RunOrderKey): Slot[] {
    if (!this.#sorted) {
      const all = [...this.#slots.values()];
      for (const k of KEYS)
        this.#lists.set(
          k,
          [...all].sort((a, b) => compare(a, b, k)),
        );
      this.#sorted = true;
    }
    return this.#lists.get(key)!;
  }
}

/**
 * @module
 * A small typed, synchronous event emitter: how a change flows on from the part that made it to
 * the parts that follow it (registry → hub, metrics, agents) without the maker knowing who they
 * are. A listener that throws is reported and never stops the others.
 *
 * An event raised while this emitter's listeners are still running (a listener that, through
 * others, causes a further change) is delivered after them, so every listener sees an emitter's
 * events in the order they happened: the hub can never be told of a newer state before an older one.
 */

/** Event names mapped to their argument lists. */
export type EventMap = Record<string, readonly unknown[]>;

type Listener<A extends readonly unknown[]> = (...args: A) => void;

export class Emitter<E extends EventMap> {
  readonly #listeners = new Map<keyof E, Array<Listener<E[keyof E]>>>();
  readonly #onError: (error: unknown, event: keyof E) => void;
  /** Events raised while delivering, in order; null when nothing is being delivered. */
  #queue: Array<() => void> | null = null;

  constructor(onError: (error: unknown, event: keyof E) => void = reportListenerError) {
    this.#onError = onError;
  }

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as Listener<E[keyof E]>);
    this.#listeners.set(event, list);
    return () => {
      const current = this.#listeners.get(event);
      const at = current?.indexOf(listener as Listener<E[keyof E]>) ?? -1;
      if (current && at >= 0) current.splice(at, 1);
    };
  }

  /** Calls every listener of the event, in the order they were added (see the module note). */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const deliver = () => this.#deliver(event, args);
    if (this.#queue) {
      this.#queue.push(deliver);
      return;
    }
    this.#queue = [];
    try {
      deliver();
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) next();
    } finally {
      this.#queue = null;
    }
  }

  #deliver<K extends keyof E>(event: K, args: E[K]): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    for (const listener of [...list]) {
      try {
        listener(...args);
      } catch (error) {
        this.#onError(error, event);
      }
    }
  }
}

function reportListenerError(error: unknown, event: PropertyKey): void {
  const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`buildcast: a listener of "${String(event)}" failed: ${reason}`);
}

/**
 * @module
 * One way to turn bursts of events into runs of a task, per key (a file, a folder). A key's
 * window opens at its first event and is never pushed back by later ones, so a file appended to
 * every few milliseconds is still read once per window instead of never. Runs of one key never
 * overlap: an event during a run asks for exactly one more run, after the current one. Time comes
 * from an injected {@link Clock}, so tests move it by hand.
 */
import type { Clock, TimerHandle } from './clock.js';

/** The work done for a key; it should not throw, but a throw is reported, never lost. */
export type Task = () => Promise<void>;

export interface SchedulerOptions {
  clock: Clock;
  /** How long after a key's first event its task runs. */
  windowMs: number;
  /** A task that threw or rejected; the key can be scheduled again as usual. */
  onError?: (key: string, error: unknown) => void;
}

interface Entry {
  task: Task;
  /** The open window, if any. */
  timer: TimerHandle | null;
  running: boolean;
  /** A run is owed as soon as the current one ends (its window closed, or it was asked for now). */
  due: boolean;
  /** Callers of {@link Scheduler.run} waiting for the owed run. */
  waiters: Array<() => void>;
}

export class Scheduler {
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #onError: (key: string, error: unknown) => void;
  readonly #entries = new Map<string, Entry>();
  readonly #active = new Set<Promise<void>>();
  #closed = false;

  constructor({ clock, windowMs, onError = () => {} }: SchedulerOptions) {
    this.#clock = clock;
    this.#windowMs = Math.max(0, windowMs);
    this.#onError = onError;
  }

  /**
   * An event for `key`: its task runs once at the end of the window this event opens, or of the
   * one already open. Events while a run is owed are part of that run, which has not started yet.
   */
  schedule(key: string, task: Task): void {
    if (this.#closed) return;
    const entry = this.#entry(key, task);
    if (entry.timer !== null || entry.due) return;
    entry.task = task;
    entry.timer = this.#clock.setTimeout(() => {
      entry.timer = null;
      this.#owe(key, entry);
    }, this.#windowMs);
  }

  /**
   * Runs `task` for `key` now, or right after the key's current run, in place of a run already
   * owed (which has not started, so this one sees the same); resolves once it has run (or was
   * cancelled). An open window stays open: events after this run began still get their run.
   */
  run(key: string, task: Task): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const entry = this.#entry(key, task);
    entry.task = task;
    const done = new Promise<void>((resolve) => entry.waiters.push(resolve));
    this.#owe(key, entry);
    return done;
  }

  /** Closes every open window now and waits until every run, owed ones included, has ended. */
  async flush(): Promise<void> {
    for (const [key, entry] of this.#entries) {
      if (entry.timer === null) continue;
      this.#clock.clearTimeout(entry.timer);
      entry.timer = null;
      this.#owe(key, entry);
    }
    await this.settle();
  }

  /** Waits until nothing runs and nothing is owed; open windows are left to their clock. */
  async settle(): Promise<void> {
    while (this.#active.size > 0) await Promise.all(this.#active);
  }

  /** Forgets the key's open window and owed run; a run already going finishes. */
  cancel(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    if (entry.timer !== null) this.#clock.clearTimeout(entry.timer);
    entry.timer = null;
    entry.due = false;
    for (const resolve of entry.waiters.splice(0)) resolve();
    if (!entry.running) this.#entries.delete(key);
  }

  /** Cancels every key, ignores later events and waits for the runs still going. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const key of [...this.#entries.keys()]) this.cancel(key);
    await this.settle();
  }

  /** Whether `key` has a window open, a run owed or a run going on. */
  isPending(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && (entry.timer !== null || entry.due || entry.running);
  }

  /** Keys with an open window. */
  get waiting(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.timer !== null) count++;
    return count;
  }

  #entry(key: string, task: Task): Entry {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { task, timer: null, running: false, due: false, waiters: [] };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** The key's task is owed: run it now, or after the run going on. */
  #owe(key: string, entry: Entry): void {
    entry.due = true;
    if (!entry.running) this.#start(key, entry);
  }

  #start(key: string, entry: Entry): void {
    entry.due = false;
    entry.running = true;
    const { task } = entry;
    const waiters = entry.waiters.splice(0);
    const run = (async () => {
      try {
        await task();
      } catch (error) {
        this.#onError(key, error);
      }
    })().then(() => {
      this.#active.delete(run);
      entry.running = false;
      for (const resolve of waiters) resolve();
      // The next run starts before this promise settles, so `settle` never sees a gap.
      if (entry.due) this.#start(key, entry);
      else if (entry.timer === null && this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    this.#active.add(run);
  }
}

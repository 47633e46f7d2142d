/**
 * @module
 * Write coalescing (SPEC 2): a busy build rewrites its phase file many times a second, but the
 * store needs only the latest state of each session, about once a second, in one transaction.
 * A session that reaches its final state, and everything pending at shutdown, is written at once.
 *
 * An answered HTTP request cannot be read again after a crash, so ingest asks for a commit
 * ({@link WriteCoalescer.commit}) before it answers: requests that arrive in the same turn of the
 * event loop share one transaction (group commit), and each is answered once that has committed.
 */
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { Session, SessionState } from '../shared/protocol.js';
import type { SessionWrite } from '../core/storage.js';
import type { Store } from './store.js';

export interface WriteCoalescerOptions {
  /** Only `saveSessions` is used, so a test may wrap or replace it. */
  store: Pick<Store, 'saveSessions'>;
  clock: Clock;
  /** The longest a change waits before it is written (default 1000 ms). */
  intervalMs?: number;
  /**
   * Told when a write fails (disk full, file locked). The entries stay pending and are tried
   * again one interval later, so a passing fault loses nothing. Default: one line on stderr.
   */
  onError?: (err: unknown) => void;
}

const FINAL_STATES: ReadonlySet<SessionState> = new Set(['completed', 'failed']);

function logWriteError(err: unknown): void {
  const reason = err instanceof Error ? err.message : String(err);
  console.error(`buildcast: could not save sessions, will retry: ${reason}`);
}

/** Batches session writes: at most one transaction per interval for all dirty sessions. */
export class WriteCoalescer {
  readonly #store: Pick<Store, 'saveSessions'>;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #pending = new Map<string, SessionWrite>();
  /** The last state seen per session, to notice the moment a session becomes final. */
  readonly #lastState = new Map<string, SessionState>();
  #timer: TimerHandle | null = null;
  #closed = false;
  /** Requests waiting for the next group commit. */
  #waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  #groupCommit: NodeJS.Immediate | null = null;

  constructor({ store, clock, intervalMs = 1000, onError = logWriteError }: WriteCoalescerOptions) {
    this.#store = store;
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  /** Sessions waiting to be written. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Records the latest state of a session. `raw` undefined keeps whatever raw text an earlier
   * call gave (or the stored one); null clears it. A session that has just completed or
   * failed is written at once, with everything else pending, so its outcome survives a crash.
   */
  markDirty(session: Session, raw?: string | null): void {
    if (this.#closed) {
      this.#onError(new Error(`write coalescer is closed; update for session ${session.id} was not saved`));
      return;
    }
    const earlier = this.#pending.get(session.id);
    const entry: SessionWrite =
      raw !== undefined
        ? { session, raw }
        : earlier?.raw !== undefined
          ? { session, raw: earlier.raw }
          : { session };
    this.#pending.set(session.id, entry);

    const before = this.#lastState.get(session.id);
    this.#lastState.set(session.id, session.state);
    if (FINAL_STATES.has(session.state) && before !== session.state) {
      this.flushNow();
      return;
    }
    this.#schedule();
  }

  /**
   * Writes everything pending now, in one transaction. Returns false when the write failed;
   * the entries then stay pending and a retry is scheduled.
   */
  flushNow(): boolean {
    this.#cancel();
    if (this.#pending.size === 0) return true;
    try {
      this.#store.saveSessions([...this.#pending.values()]);
    } catch (err) {
      this.#onError(err);
      if (!this.#closed) this.#schedule();
      return false;
    }
    this.#pending.clear();
    return true;
  }

  /**
   * Resolves once everything marked dirty so far is committed; rejects when the write failed (the
   * entries stay pending and are tried again). Callers in the same turn of the event loop share
   * one transaction: the write waits for the turn's I/O callbacks, not for a clock, so it is
   * scheduled with `setImmediate` rather than the injected clock.
   */
  commit(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#groupCommit ??= setImmediate(() => this.#commitGroup());
    });
  }

  #commitGroup(): void {
    this.#groupCommit = null;
    const waiting = this.#waiting.splice(0);
    if (this.flushNow()) {
      for (const { resolve } of waiting) resolve();
      return;
    }
    const error = new Error('the update could not be written to storage; it will be retried');
    for (const { reject } of waiting) reject(error);
  }

  /** Drops a session's pending write and history, for a session that was deleted. */
  forget(id: string): void {
    this.#pending.delete(id);
    this.#lastState.delete(id);
    if (this.#pending.size === 0) this.#cancel();
  }

  /**
   * Flushes, then stops: no timer is left behind and later updates are refused (reported
   * through `onError`). Returns false when the final write failed; `pendingCount` then says
   * how many sessions could not be saved.
   */
  close(): boolean {
    if (this.#closed) return this.#pending.size === 0;
    if (this.#groupCommit) clearImmediate(this.#groupCommit);
    this.#groupCommit = null;
    const written = this.flushNow();
    this.#closed = true;
    this.#cancel();
    const waiting = this.#waiting.splice(0);
    for (const { resolve, reject } of waiting)
      if (written) resolve();
      else reject(new Error('the store closed before the update could be written'));
    return written;
  }

  #schedule(): void {
    if (this.#timer !== null) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.flushNow();
    }, this.#intervalMs);
  }

  #cancel(): void {
    if (this.#timer === null) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}

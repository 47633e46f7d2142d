/**
 * @module
 * `--retain-days N` (SPEC 6): finished runs that ended more than N days ago are pruned at start
 * and once a day. Only finished runs go (completed or failed, with an end time): a running or
 * stalled build is never touched, however old. Pruning goes in batches of one transaction each,
 * so a first prune of a large history never holds the store in one long write.
 */
import type { Session } from '../shared/protocol.js';
import type { Clock, TimerHandle } from '../shared/clock.js';

export const DAY_MS = 86_400_000;
/** Runs removed per transaction. */
const BATCH = 1_000;

/** The runs a retention of `days` days prunes at `now`: finished, and ended before the cut-off. */
export function retentionChoice(sessions: Iterable<Session>, now: number, days: number): string[] {
  const cutoff = now - days * DAY_MS;
  const chosen: string[] = [];
  for (const session of sessions) {
    if (session.endedAt === null || (session.state !== 'completed' && session.state !== 'failed')) continue;
    const ended = Date.parse(session.endedAt);
    if (!Number.isNaN(ended) && ended < cutoff) chosen.push(session.id);
  }
  return chosen;
}

/** What retention needs of the registry. */
export interface PrunableRuns {
  /** Every run kept, in any order. */
  all(): Iterable<Session>;
  /** Removes runs, everywhere; returns those it removed. */
  removeAll(ids: readonly string[]): Session[];
}

export interface RetentionOptions {
  runs: PrunableRuns;
  clock: Clock;
  days: number;
  log: (line: string) => void;
}

/** Prunes old finished runs now and then once a day, until stopped. */
export class Retention {
  readonly #o: RetentionOptions;
  #timer: TimerHandle | null = null;

  constructor(options: RetentionOptions) {
    this.#o = options;
  }

  /** Removes what the retention chooses now; returns how many runs went. */
  prune(): number {
    const { runs, clock, days, log } = this.#o;
    const chosen = retentionChoice(runs.all(), clock.now(), days);
    let removed = 0;
    for (let i = 0; i < chosen.length; i += BATCH) {
      try {
        removed += runs.removeAll(chosen.slice(i, i + BATCH)).length;
      } catch (error) {
        // A store that refuses a delete loses nothing: the runs stay and the next prune tries again.
        log(`retention: could not prune old runs, will try again tomorrow: ${(error as Error).message}`);
        break;
      }
    }
    if (removed > 0) log(`retention: pruned ${removed} finished run(s) that ended over ${days} day(s) ago`);
    return removed;
  }

  start(): void {
    this.prune();
    this.#timer ??= this.#o.clock.setInterval(() => this.prune(), DAY_MS);
  }

  stop(): void {
    if (this.#timer !== null) this.#o.clock.clearInterval(this.#timer);
    this.#timer = null;
  }
}

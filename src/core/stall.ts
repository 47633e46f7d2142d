/**
 * @module
 * Silence (SPEC 2 "stalled"): one definition of when something has gone quiet for too long and of
 * how often to look. A running build silent for the stall window is stalled; a plain Claude Code
 * session (seen only in transcripts or telemetry) silent for the same window has ended; an agent
 * silent that long is stalled too.
 */
import type { Clock, TimerHandle } from '../shared/clock.js';

/** Whether something last heard of at `lastAt` (ms) has been silent for the stall window at `now`. */
export function isSilent(lastAt: number, now: number, stallMs: number): boolean {
  return now - lastAt >= stallMs;
}

/**
 * How often to look for silence: a quarter of the window, so a stall shows within 25 % of it, but
 * never more often than every 250 ms nor less often than every 5 s.
 */
export function stallWatchInterval(stallMs: number): number {
  return Math.max(250, Math.min(5_000, stallMs / 4));
}

/** Something that marks what has gone silent (the registry's runs, the agent book's agents). */
export interface SilenceCheck {
  checkStalls(): void;
}

/** One timer that looks for silence everywhere, at {@link stallWatchInterval}. */
export class StallWatch {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #checks: readonly SilenceCheck[];
  #timer: TimerHandle | null = null;

  constructor(
    clock: Clock,
    stallMs: number,
    checks: readonly SilenceCheck[],
    intervalMs = stallWatchInterval(stallMs),
  ) {
    this.#clock = clock;
    this.#checks = checks;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.stop();
    this.#timer = this.#clock.setInterval(() => {
      for (const check of this.#checks) check.checkStalls();
    }, this.#intervalMs);
  }

  stop(): void {
    if (this.#timer) this.#clock.clearInterval(this.#timer);
    this.#timer = null;
  }
}

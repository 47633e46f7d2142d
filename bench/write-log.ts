/**
 * @module
 * What the writer wrote and when, for matching frames to writes: each write carries a unique
 * marker, so a frame's `progressDetail` names the write it reports. Old writes are retired
 * after a while (a soak writes hundreds of thousands), counting deliveries that never came.
 */

export interface WriteRecord {
  sessionId: string;
  /** `performance.now()` just before the write. */
  t0: number;
  /** Whether it falls in the measured window (after warm-up). */
  measured: boolean;
  /** Clients that got a frame carrying this write's marker. */
  received: number;
}

export class WriteLog {
  readonly #records = new Map<string, WriteRecord>();
  readonly #order: string[] = [];
  #head = 0;
  #measured = 0;
  #missing = 0;

  /**
   * @param clients how many clients should see every write.
   * @param keepMs how long a write waits for its frames before it is retired.
   */
  constructor(
    readonly clients: number,
    readonly keepMs = 15_000,
  ) {}

  add(marker: string, record: WriteRecord): void {
    this.#records.set(marker, record);
    this.#order.push(marker);
    if (record.measured) this.#measured++;
  }

  get(marker: string): WriteRecord | undefined {
    return this.#records.get(marker);
  }

  /** Retires writes older than `keepMs` before `now`. */
  prune(now: number): void {
    while (this.#head < this.#order.length) {
      const record = this.#records.get(this.#order[this.#head]!)!;
      if (now - record.t0 < this.keepMs) break;
      this.#retire();
    }
    if (this.#head > 10_000) {
      this.#order.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Retires every write (end of a run). */
  finish(): void {
    while (this.#head < this.#order.length) this.#retire();
  }

  /** Writes in the measured window. */
  get measuredWrites(): number {
    return this.#measured;
  }

  /** Frames owed to clients for retired measured writes that never arrived. */
  get missingDeliveries(): number {
    return this.#missing;
  }

  #retire(): void {
    const marker = this.#order[this.#head++]!;
    const record = this.#records.get(marker)!;
    this.#records.delete(marker);
    if (record.measured) this.#missing += Math.max(0, this.clients - record.received);
  }
}

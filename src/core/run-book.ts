/**
 * @module
 * The runs the registry keeps, with what it tracks about each (content hash, data times) and the
 * indexes over them: latest run per project and folder, every order the history sorts by, and the
 * runs that were removed. The registry decides what changes; this keeps every view of it in step.
 */
import type { Session } from '../shared/protocol.js';
import { contentHash } from '../shared/hash.js';
import type { SessionTrack } from './session-rules.js';
import { countStates, listSessions, matchingRows } from './session-list.js';
import { TotalsBuilder, type RunTotalsReport } from './run-totals.js';
import type { SessionCounts, SessionPage, SessionQuery } from './session-query.js';
import { RunIndex } from './run-index.js';
import { RunOrder } from './run-order.js';
import { hostOf } from './run-hosts.js';
import type { Keyed } from './storage.js';

/** What is tracked about a run besides its content. */
export interface Entry extends SessionTrack {
  session: Session;
  /** Computed when first needed: a restart with 10,000 sessions need not hash them all. */
  hash: string | null;
  /** When any observation last arrived for it (ms), for stall marking. */
  lastSeenAt: number;
}

export type Track = Pick<Entry, 'dataTime' | 'liveDataTime' | 'lastSeenAt'>;

export class RunBook {
  readonly #entries = new Map<string, Entry>();
  /** Latest run per project (identity without `started_at`), runs per folder and per project. */
  readonly #index = new RunIndex();
  /** Every run in each order the history sorts by, the dashboard's newest change first among them. */
  readonly #order = new RunOrder();
  /** Runs deleted or pruned: a file still on disk must not bring one back. */
  readonly #removed = new Set<string>();
  /** The machine each run reported from, when it named one. */
  readonly #hosts = new Map<string, string>();
  readonly #hostOf = (id: string) => this.#hosts.get(id);
  readonly #storedHosts: Keyed<string> | null;

  /** `hosts` keeps the machine each run reported from between restarts. */
  constructor(hosts: Keyed<string> | null) {
    this.#storedHosts = hosts;
  }

  /** Restores stored runs (sorted once, when first listed), the ids of removed ones and hosts. */
  load(sessions: Iterable<Session>, removed: Iterable<string>, now: number): void {
    for (const id of removed) this.#removed.add(id);
    for (const [id, host] of this.#storedHosts?.all() ?? []) this.#hosts.set(id, host);
    const loaded: Session[] = [];
    for (const session of sessions) {
      const updated = Date.parse(session.updatedAt);
      const lastSeenAt = Math.min(now, Number.isNaN(updated) ? now : updated);
      this.#entries.set(session.id, {
        session,
        hash: null,
        dataTime: updated,
        liveDataTime: null,
        lastSeenAt,
      });
      this.#index.put(session, undefined);
      loaded.push(session);
    }
    this.#order.load(loaded);
  }

  get size(): number {
    return this.#entries.size;
  }

  entry(id: string): Entry | undefined {
    return this.#entries.get(id);
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Whether a run of this id was deleted or pruned. */
  wasRemoved(id: string): boolean {
    return this.#removed.has(id);
  }

  /** Every entry, in no particular order. */
  all(): IterableIterator<[string, Entry]> {
    return this.#entries.entries();
  }

  /** Keeps a run's new content and track; the indexes follow when the content is new. */
  remember(session: Session, { dataTime, liveDataTime, lastSeenAt }: Track): Entry {
    const previous = this.#entries.get(session.id);
    const hash = previous?.session === session ? previous.hash : null;
    const entry: Entry = { session, hash, dataTime, liveDataTime, lastSeenAt };
    this.#entries.set(session.id, entry);
    if (previous?.session !== session) {
      this.#index.put(session, previous?.session);
      this.#order.put(session);
    }
    return entry;
  }

  /** Forgets a run everywhere and remembers that it was removed. */
  remove(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#removed.add(id);
    this.#entries.delete(id);
    this.#hosts.delete(id);
    this.#index.remove(entry.session);
    this.#order.remove(id);
    return entry;
  }

  hashOf(entry: Entry): string {
    entry.hash ??= contentHash(entry.session);
    return entry.hash;
  }

  /** The first `limit` runs, newest change first. */
  newest(limit: number): Session[] {
    return this.#order.first('updated', 'desc', limit);
  }

  counts(): SessionCounts {
    return countStates(this.#order.stateCounts());
  }

  list(query: SessionQuery): SessionPage {
    return listSessions(this.#order, query, this.#hostOf);
  }

  /** Tokens and cost by day and project of every run the query's filters match, within its range. */
  totals(query: SessionQuery): RunTotalsReport {
    const order = this.#order;
    const c = order.columns;
    const builder = new TotalsBuilder();
    const known = (n: number) => (n === n ? n : null);
    const visit = (row: number) =>
      builder.add(
        order.projectName(c.project[row]!),
        c.started[row]!,
        known(c.tokens[row]!),
        known(c.cost[row]!),
      );
    matchingRows(order, { ...query, sort: undefined }, visit, this.#hostOf);
    return builder.report({ from: query.from, to: query.to });
  }

  /** Records the machine a run reported from, when its phase record names one. */
  noteHost(id: string, extra: Readonly<Record<string, unknown>>): void {
    const host = hostOf(extra);
    if (host === null || this.#hosts.get(id) === host) return;
    this.#hosts.set(id, host);
    this.#storedHosts?.set(id, host);
  }

  /** Every machine a kept run reported from. */
  hosts(): string[] {
    return [...new Set(this.#hosts.values())];
  }

  get index(): RunIndex {
    return this.#index;
  }
}

/**
 * @module
 * The session registry: the in-memory truth about every run, restored from the store at start,
 * moved forward by collector observations, written back through the write coalescer, and
 * announced to the hub only when a session's hash changes.
 */
import type { Session, SourceWarning } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { Emitter } from '../shared/emitter.js';
import { contentHash } from '../shared/hash.js';
import { Lru } from '../shared/lru.js';
import { capRaw } from '../collector/raw-text.js';
import type { PhaseObservation, SourceFault } from '../collector/types.js';
import {
  applyObservation,
  markStalled,
  projectOf,
  resolveIdentity,
  shouldApply,
  type SessionTrack,
} from './session-rules.js';
import { countSessions, listSessions } from './session-list.js';
import type { SessionCounts, SessionPage, SessionQuery, SessionReader } from './session-query.js';
import { RunIndex } from './run-index.js';
import { SourceFaults, withoutWarning, withWarning } from './source-faults.js';
import type { SessionStorage, SessionWriter } from './storage.js';

export interface RegistryOptions {
  store: SessionStorage;
  writer: SessionWriter;
  clock: Clock;
  /** SPEC 2 freshness window for live files, default 10 s. */
  freshMs?: number;
  /** SPEC 2 stall window, default 10 min. */
  stallMs?: number;
}

/** What the registry tells those who follow it. */
export type RegistryEvents = {
  /** A session's content changed (once per real change), with its new content hash. */
  session: [session: Session, hash: string];
};

interface Entry extends SessionTrack {
  /** Computed when first needed: a restart with 10,000 sessions need not hash them all. */
  hash: string | null;
  /** When any observation last arrived for it (ms), for stall marking. */
  lastSeenAt: number;
}

const RAW_CACHE_SIZE = 256;

export type ApplyResult =
  | { status: 'changed' | 'unchanged'; session: Session }
  | { status: 'ignored'; session: Session | undefined; reason: string };

export class SessionRegistry implements SessionReader {
  /** Every real change, as it happens: the hub, metrics, agents and side-file routing follow it. */
  readonly changes = new Emitter<RegistryEvents>();
  readonly #store: SessionStorage;
  readonly #writer: SessionWriter;
  readonly #clock: Clock;
  readonly #freshMs: number;
  readonly #stallMs: number;
  readonly #entries = new Map<string, Entry>();
  /** Latest run per project (identity without `started_at`) and runs per folder. */
  readonly #index = new RunIndex();
  readonly #faults = new SourceFaults();
  readonly #rawCache = new Lru<string, string>(RAW_CACHE_SIZE);
  #sorted: Session[] | null = null;

  constructor({ store, writer, clock, freshMs = 10_000, stallMs = 600_000 }: RegistryOptions) {
    this.#store = store;
    this.#writer = writer;
    this.#clock = clock;
    this.#freshMs = freshMs;
    this.#stallMs = stallMs;
  }

  /** Restores every stored session (SPEC 7: a restart loses nothing). */
  load(): number {
    const now = this.#clock.now();
    for (const session of this.#store.loadSessions()) {
      const updated = Date.parse(session.updatedAt);
      this.#remember(session, {
        dataTime: updated,
        liveDataTime: null,
        lastSeenAt: Math.min(now, Number.isNaN(updated) ? now : updated),
      });
    }
    this.#sorted = null;
    return this.#entries.size;
  }

  /** Applies one phase observation from a live file, a push or a checkpoint. */
  apply(observation: PhaseObservation): ApplyResult {
    const now = this.#clock.now();
    const project = projectOf(observation.record, observation.workdir);
    const identity = resolveIdentity(
      observation.record,
      project,
      this.#index.latestOfProject(project),
      (id) => this.#entries.has(id),
      new Date(observation.dataTime).toISOString(),
    );
    const entry = identity.kind === 'existing' ? this.#entries.get(identity.id) : undefined;
    if (!shouldApply(entry, observation, now, this.#freshMs)) {
      return {
        status: 'ignored',
        session: entry?.session,
        reason: 'a fresher live file speaks for this session',
      };
    }
    const startedAt =
      entry?.session.startedAt ??
      (identity.kind === 'new' ? identity.startedAt : observation.record.startedAt!);
    let next = applyObservation(entry?.session, { id: identity.id, startedAt }, project, observation);
    if (observation.file) this.#faults.spoke(observation.file, next.id);
    if (!entry && next.workdir) {
      const adopted = this.#faults.adopt(next.workdir, next.id);
      if (adopted.length > 0) next = { ...next, warnings: [...next.warnings, ...adopted] };
    }
    const raw = capRaw(observation.raw);
    this.#rawCache.set(next.id, raw);
    const changed = next !== entry?.session;
    this.#remember(next, {
      dataTime: changed || !entry ? observation.dataTime : Math.max(entry.dataTime, observation.dataTime),
      liveDataTime: observation.source === 'live' ? observation.dataTime : (entry?.liveDataTime ?? null),
      lastSeenAt: now,
    });
    if (!changed) return { status: 'unchanged', session: next };
    this.#commit(next, raw);
    return { status: 'changed', session: next };
  }

  /** A source could not be read: the session keeps its last good state and shows why (SPEC 7). */
  fault(fault: SourceFault): Session | undefined {
    const warning: SourceWarning = {
      file: fault.file,
      reason: fault.reason,
      at: new Date(fault.observedAt).toISOString(),
    };
    const id = this.#faults.sessionOf(fault.file) ?? this.#index.latestForWorkdir(fault.workdir)?.id;
    const entry = id ? this.#entries.get(id) : undefined;
    if (!entry) {
      this.#faults.orphan(warning);
      return undefined;
    }
    this.#faults.spoke(fault.file, entry.session.id);
    const next = withWarning(entry.session, warning);
    if (next === entry.session) return next;
    this.#remember(next, entry);
    this.#commit(next);
    return next;
  }

  /** A file that had a problem was read well again: its warning goes (SPEC 7). */
  clearFault(file: string): void {
    this.#faults.cleared(file);
    const id = this.#faults.sessionOf(file);
    const entry = id ? this.#entries.get(id) : undefined;
    if (!entry) return;
    const next = withoutWarning(entry.session, file);
    if (next === entry.session) return;
    this.#remember(next, entry);
    this.#commit(next);
  }

  /** Marks running sessions with no update for the stall window as stalled, once each. */
  checkStalls(): void {
    const now = this.#clock.now();
    for (const entry of this.#entries.values()) {
      const stalled = markStalled(entry.session, entry.lastSeenAt, now, this.#stallMs);
      if (!stalled) continue;
      this.#remember(stalled, entry);
      this.#commit(stalled);
    }
  }

  /**
   * Records a session that no phase file describes (a plain Claude Code session seen only in
   * transcripts or telemetry). Announced only when its content changed.
   */
  put(session: Session, lastSeenAt = this.#clock.now()): boolean {
    const entry = this.#entries.get(session.id);
    if (entry && contentHash(session) === this.#hashOf(entry)) return false;
    const dataTime = Date.parse(session.updatedAt);
    this.#remember(session, { dataTime, liveDataTime: null, lastSeenAt });
    this.#commit(session);
    return true;
  }

  /** A run's own summary says it is over (SPEC 1.1: `session-summary.json` reports completion). */
  finish(id: string, state: 'completed' | 'failed', atIso: string): void {
    const entry = this.#entries.get(id);
    if (!entry || entry.session.state === state) return;
    const next: Session = {
      ...entry.session,
      state,
      endedAt: entry.session.endedAt ?? atIso,
      progressPercent: state === 'completed' ? 100 : entry.session.progressPercent,
    };
    this.#remember(next, entry);
    this.#commit(next);
  }

  /** The most recent run of a project (see {@link isLaterRun}), without scanning every session. */
  latestOfProject(project: string): Session | undefined {
    return this.#index.latestOfProject(project);
  }

  /** Every run whose work directory is exactly `workdir`. */
  runsInWorkdir(workdir: string): Session[] {
    return this.#index.runsInWorkdir(workdir);
  }

  /** The most recent run in a work directory. */
  latestForWorkdir(workdir: string): Session | undefined {
    return this.#index.latestForWorkdir(workdir);
  }

  /** Sets real token totals on a session (metrics sources). */
  setTotals(id: string, tokensTotal: number | null, costUsd: number | null): void {
    const entry = this.#entries.get(id);
    if (!entry || (entry.session.tokensTotal === tokensTotal && entry.session.costUsd === costUsd)) return;
    const next = { ...entry.session, tokensTotal, costUsd };
    this.#remember(next, entry);
    this.#commit(next);
  }

  hash(id: string): string | undefined {
    const entry = this.#entries.get(id);
    return entry ? this.#hashOf(entry) : undefined;
  }

  /** Every session with its hash, newest change first (for snapshots). */
  entries(limit = Infinity): Array<{ session: Session; hash: string }> {
    return this.#ordered()
      .slice(0, limit)
      .map((session) => ({ session, hash: this.#hashOf(this.#entries.get(session.id)!) }));
  }

  /** Source problems that belong to no session yet. */
  orphanWarnings(): SourceWarning[] {
    return this.#faults.orphans();
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): Session | undefined {
    return this.#entries.get(id)?.session;
  }

  raw(id: string): string | null {
    if (!this.#entries.has(id)) return null;
    return this.#rawCache.get(id) ?? this.#store.loadRaw(id);
  }

  counts(): SessionCounts {
    return countSessions(this.#ordered());
  }

  list(query: SessionQuery): SessionPage {
    return listSessions(this.#ordered(), query);
  }

  #ordered(): Session[] {
    this.#sorted ??= [...this.#entries.values()]
      .map((entry) => entry.session)
      .sort((a, b) =>
        a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1,
      );
    return this.#sorted;
  }

  #remember(session: Session, track: Pick<Entry, 'dataTime' | 'liveDataTime' | 'lastSeenAt'>): void {
    const previous = this.#entries.get(session.id);
    const hash = previous?.session === session ? previous.hash : null;
    const { dataTime, liveDataTime, lastSeenAt } = track;
    this.#entries.set(session.id, { session, hash, dataTime, liveDataTime, lastSeenAt });
    if (previous?.session !== session) {
      this.#index.put(session, previous?.session);
      this.#sorted = null;
    }
  }

  /** Writes (the writer decides when; a final state goes at once) and tells the followers. */
  #commit(session: Session, raw?: string): void {
    const entry = this.#entries.get(session.id)!;
    this.#writer.markDirty(session, raw);
    this.changes.emit('session', session, this.#hashOf(entry));
  }

  #hashOf(entry: Entry): string {
    entry.hash ??= contentHash(entry.session);
    return entry.hash;
  }
}

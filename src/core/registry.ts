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
import { applyObservation, markStalled, projectOf, resolveIdentity, shouldApply } from './session-rules.js';
import type { SessionCounts, SessionPage, SessionQuery, SessionReader } from './session-query.js';
import { RunBook } from './run-book.js';
import type { RunTotalsReport } from './run-totals.js';
import { SourceFaults, withoutWarning, withWarning } from './source-faults.js';
import type { Keyed, SessionStorage, SessionWriter } from './storage.js';

export interface RegistryOptions {
  store: SessionStorage;
  writer: SessionWriter;
  clock: Clock;
  /** SPEC 2 freshness window for live files, default 10 s. */
  freshMs?: number;
  /** SPEC 2 stall window, default 10 min. */
  stallMs?: number;
  /** Where the machine each run reported from is kept, when runs name one. */
  hosts?: Keyed<string>;
}

/** What the registry tells those who follow it. */
export type RegistryEvents = {
  /** A session's content changed (once per real change), with its new content hash. */
  session: [session: Session, hash: string];
  /** A session was deleted or pruned: it is gone from the registry and from storage. */
  removed: [session: Session];
};

const isoTime = (ms: number): string => new Date(ms).toISOString();
const FRESHER_LIVE = 'a fresher live file speaks for this session';

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
  /** Every run with its track, and the indexes over them. */
  readonly #runs: RunBook;
  readonly #faults = new SourceFaults();
  readonly #rawCache = new Lru<string, string>(256);

  constructor({ store, writer, clock, freshMs = 10_000, stallMs = 600_000, hosts }: RegistryOptions) {
    this.#runs = new RunBook(hosts ?? null);
    this.#store = store;
    this.#writer = writer;
    this.#clock = clock;
    this.#freshMs = freshMs;
    this.#stallMs = stallMs;
  }

  /** Restores every stored session (SPEC 7: a restart loses nothing). */
  load(): number {
    this.#runs.load(this.#store.loadSessions(), this.#store.loadRemovedIds(), this.#clock.now());
    return this.#runs.size;
  }

  /** Applies one phase observation from a live file, a push or a checkpoint. */
  apply(observation: PhaseObservation): ApplyResult {
    const now = this.#clock.now();
    const project = projectOf(observation.record, observation.workdir);
    const identity = resolveIdentity(
      observation.record,
      project,
      this.#runs.index.latestOfProject(project),
      (id) => this.#runs.has(id),
      isoTime(observation.dataTime),
    );
    const entry = identity.kind === 'existing' ? this.#runs.entry(identity.id) : undefined;
    if (!entry && this.#runs.wasRemoved(identity.id)) {
      return { status: 'ignored', session: undefined, reason: 'this run was deleted' };
    }
    if (!shouldApply(entry, observation, now, this.#freshMs)) {
      return { status: 'ignored', session: entry?.session, reason: FRESHER_LIVE };
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
    this.#runs.noteHost(next.id, observation.record.extra);
    const changed = next !== entry?.session;
    this.#runs.remember(next, {
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
    const warning: SourceWarning = { file: fault.file, reason: fault.reason, at: isoTime(fault.observedAt) };
    const id = this.#faults.sessionOf(fault.file) ?? this.#runs.index.latestForWorkdir(fault.workdir)?.id;
    if (id === undefined || !this.#runs.has(id)) {
      this.#faults.orphan(warning);
      return undefined;
    }
    this.#faults.spoke(fault.file, id);
    return this.#update(id, (session) => withWarning(session, warning));
  }

  /** A file that had a problem was read well again: its warning goes (SPEC 7). */
  clearFault(file: string): void {
    this.#faults.cleared(file);
    this.#update(this.#faults.sessionOf(file), (session) => withoutWarning(session, file));
  }

  /** Marks running sessions with no update for the stall window as stalled, once each. */
  checkStalls(): void {
    const now = this.#clock.now();
    for (const [id, { lastSeenAt }] of this.#runs.all()) {
      this.#update(id, (session) => markStalled(session, lastSeenAt, now, this.#stallMs));
    }
  }

  /**
   * Records a session that no phase file describes (a plain Claude Code session seen only in
   * transcripts or telemetry). Announced only when its content changed.
   */
  put(session: Session, lastSeenAt = this.#clock.now()): boolean {
    const entry = this.#runs.entry(session.id);
    if (this.#runs.wasRemoved(session.id)) return false;
    if (entry && contentHash(session) === this.#runs.hashOf(entry)) return false;
    const dataTime = Date.parse(session.updatedAt);
    this.#runs.remember(session, { dataTime, liveDataTime: null, lastSeenAt });
    this.#commit(session);
    return true;
  }

  /** A run's own summary says it is over (SPEC 1.1: `session-summary.json` reports completion). */
  finish(id: string, state: 'completed' | 'failed', atIso: string): void {
    this.#update(id, (session) =>
      session.state === state
        ? null
        : {
            ...session,
            state,
            endedAt: session.endedAt ?? atIso,
            progressPercent: state === 'completed' ? 100 : session.progressPercent,
          },
    );
  }

  /** The most recent run of a project (see {@link isLaterRun}), without scanning every session. */
  latestOfProject(project: string): Session | undefined {
    return this.#runs.index.latestOfProject(project);
  }

  /** Every machine a kept run reported from, in no particular order. */
  hosts(): string[] {
    return this.#runs.hosts();
  }

  /** Every project with a run kept, in no particular order. */
  projects(): string[] {
    return this.#runs.index.projects();
  }

  /** Every run of a project, in no particular order (forecasts learn from them). */
  runsOfProject(project: string): Session[] {
    return this.#runs.index.runsOfProject(project);
  }

  /**
   * Deletes runs (SPEC 4 `DELETE /api/sessions/:id`, `--retain-days`): from memory, from what
   * waits to be written and from storage (one transaction), remembered as removed so that a file
   * cannot bring one back; the followers are told. Returns the runs as they were; unknown ids are
   * left out.
   */
  removeAll(ids: readonly string[]): Session[] {
    const known = [...new Set(ids)].filter((id) => this.#runs.has(id));
    if (known.length === 0) return [];
    // Storage first: when it refuses, nothing is forgotten and nothing is half gone.
    this.#store.deleteSessions(known, isoTime(this.#clock.now()));
    const removed = known.map((id) => {
      this.#rawCache.delete(id);
      this.#writer.forget(id);
      return this.#runs.remove(id)!.session;
    });
    for (const session of removed) this.changes.emit('removed', session);
    return removed;
  }

  /** Deletes one run (see {@link removeAll}); undefined when there is no such run. */
  remove(id: string): Session | undefined {
    return this.removeAll([id])[0];
  }

  /** Every run, in no particular order. */
  *all(): Generator<Session> {
    for (const [, entry] of this.#runs.all()) yield entry.session;
  }

  /** Every run whose work directory is exactly `workdir`. */
  runsInWorkdir(workdir: string): Session[] {
    return this.#runs.index.runsInWorkdir(workdir);
  }

  /** The most recent run in a work directory. */
  latestForWorkdir(workdir: string): Session | undefined {
    return this.#runs.index.latestForWorkdir(workdir);
  }

  /** Sets real token totals on a session (metrics sources). */
  setTotals(id: string, tokensTotal: number | null, costUsd: number | null): void {
    this.#update(id, (session) =>
      session.tokensTotal === tokensTotal && session.costUsd === costUsd
        ? null
        : { ...session, tokensTotal, costUsd },
    );
  }

  hash(id: string): string | undefined {
    const entry = this.#runs.entry(id);
    return entry ? this.#runs.hashOf(entry) : undefined;
  }

  /** Every session with its hash, newest change first (for snapshots). */
  entries(limit = Infinity): Array<{ session: Session; hash: string }> {
    return this.#runs
      .newest(limit)
      .map((session) => ({ session, hash: this.#runs.hashOf(this.#runs.entry(session.id)!) }));
  }

  /** Source problems that belong to no session yet. */
  orphanWarnings(): SourceWarning[] {
    return this.#faults.orphans();
  }

  get size(): number {
    return this.#runs.size;
  }

  get(id: string): Session | undefined {
    return this.#runs.entry(id)?.session;
  }

  raw(id: string): string | null {
    if (!this.#runs.has(id)) return null;
    return this.#rawCache.get(id) ?? this.#store.loadRaw(id);
  }

  counts(): SessionCounts {
    return this.#runs.counts();
  }

  list(query: SessionQuery): SessionPage {
    return this.#runs.list(query);
  }

  /** Tokens and cost by day and project of every run a query's filters match. */
  totals(query: SessionQuery): RunTotalsReport {
    return this.#runs.totals(query);
  }

  /** Replaces a known run by what `change` makes of it (null: nothing), then writes and announces it. */
  #update(id: string | undefined, change: (session: Session) => Session | null): Session | undefined {
    const entry = id === undefined ? undefined : this.#runs.entry(id);
    if (!entry) return undefined;
    const next = change(entry.session);
    if (next === null || next === entry.session) return entry.session;
    this.#runs.remember(next, entry);
    this.#commit(next);
    return next;
  }

  /** Writes (the writer decides when; a final state goes at once) and tells the followers. */
  #commit(session: Session, raw?: string): void {
    const entry = this.#runs.entry(session.id)!;
    this.#writer.markDirty(session, raw);
    this.changes.emit('session', session, this.#runs.hashOf(entry));
  }
}

/**
 * @module
 * The session registry: the in-memory truth about every run, restored from the store at start,
 * moved forward by collector observations, written back through the write coalescer, and
 * announced to the hub only when a session's hash changes.
 */
import { createHash } from 'node:crypto';
import type { Session, SourceWarning } from '../shared/protocol.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
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
import type { Store } from '../store/store.js';
import type { WriteCoalescer } from '../store/write-coalescer.js';

/** The hash of a session's content (SPEC 2 "Push only changes"); nothing in it comes from the clock. */
export function hashSession(session: Session): string {
  return createHash('sha1').update(JSON.stringify(session)).digest('base64url');
}

export interface RegistryOptions {
  store: Store;
  writer: WriteCoalescer;
  clock: Clock;
  /** SPEC 2 freshness window for live files, default 10 s. */
  freshMs?: number;
  /** SPEC 2 stall window, default 10 min. */
  stallMs?: number;
  /** Called once per real change, with the new hash; returns how many clients were told. */
  onChange?: (session: Session, hash: string) => number;
}

interface Entry extends SessionTrack {
  /** Computed when first needed: a restart with 10,000 sessions need not hash them all. */
  hash: string | null;
  /** When any observation last arrived for it (ms), for stall marking. */
  lastSeenAt: number;
}

const RAW_CACHE_SIZE = 256;

export type ApplyResult =
  | { status: 'changed'; session: Session; /** clients told of the change */ sent: number }
  | { status: 'unchanged'; session: Session }
  | { status: 'ignored'; session: Session | undefined; reason: string };

export class SessionRegistry implements SessionReader {
  readonly #store: Store;
  readonly #writer: WriteCoalescer;
  readonly #clock: Clock;
  readonly #freshMs: number;
  readonly #stallMs: number;
  readonly #onChange: (session: Session, hash: string) => number;
  readonly #entries = new Map<string, Entry>();
  /** Most recent session per project, for identity without `started_at`. */
  readonly #latestByProject = new Map<string, string>();
  /** Every run per work directory: side files and token samples look runs up by folder. */
  readonly #byWorkdir = new Map<string, Set<string>>();
  /** Which session a source file last spoke for, so a broken file's warning lands on it. */
  readonly #sessionByFile = new Map<string, string>();
  /** Faults from files that have no session yet (shown on health until a good read). */
  readonly #orphanFaults = new Map<string, SourceWarning>();
  readonly #rawCache = new Map<string, string>();
  #sorted: Session[] | null = null;
  #stallTimer: TimerHandle | null = null;

  constructor({
    store,
    writer,
    clock,
    freshMs = 10_000,
    stallMs = 600_000,
    onChange = () => 0,
  }: RegistryOptions) {
    this.#store = store;
    this.#writer = writer;
    this.#clock = clock;
    this.#freshMs = freshMs;
    this.#stallMs = stallMs;
    this.#onChange = onChange;
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

  /** Starts periodic stall marking; `intervalMs` defaults to a fraction of the stall window. */
  startStallWatch(intervalMs = Math.max(250, Math.min(5_000, this.#stallMs / 4))): void {
    this.stopStallWatch();
    this.#stallTimer = this.#clock.setInterval(() => this.checkStalls(), intervalMs);
  }

  stopStallWatch(): void {
    if (this.#stallTimer) this.#clock.clearInterval(this.#stallTimer);
    this.#stallTimer = null;
  }

  /** Applies one phase observation from a live file, a push or a checkpoint. */
  apply(observation: PhaseObservation): ApplyResult {
    const now = this.#clock.now();
    const project = projectOf(observation.record, observation.workdir);
    const latestId = this.#latestByProject.get(project);
    const identity = resolveIdentity(
      observation.record,
      project,
      latestId ? this.#entries.get(latestId)?.session : undefined,
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
    if (observation.file) {
      this.#sessionByFile.set(observation.file, next.id);
      this.#orphanFaults.delete(observation.file);
    }
    if (!entry && next.workdir) next = this.#adoptOrphans(next, next.workdir);
    this.#cacheRaw(next.id, observation.raw);
    const changed = next !== entry?.session;
    this.#remember(next, {
      dataTime: changed || !entry ? observation.dataTime : Math.max(entry.dataTime, observation.dataTime),
      liveDataTime: observation.source === 'live' ? observation.dataTime : (entry?.liveDataTime ?? null),
      lastSeenAt: now,
    });
    if (!changed) return { status: 'unchanged', session: next };
    const sent = this.#commit(next, observation.raw);
    return { status: 'changed', session: next, sent };
  }

  /** A source could not be read: the session keeps its last good state and shows why (SPEC 7). */
  fault(fault: SourceFault): Session | undefined {
    const warning: SourceWarning = {
      file: fault.file,
      reason: fault.reason,
      at: new Date(fault.observedAt).toISOString(),
    };
    const id = this.#sessionByFile.get(fault.file) ?? this.#sessionForWorkdir(fault.workdir);
    const entry = id ? this.#entries.get(id) : undefined;
    if (!entry) {
      this.#orphanFaults.set(fault.file, warning);
      return undefined;
    }
    this.#sessionByFile.set(fault.file, entry.session.id);
    const previous = entry.session.warnings.find((w) => w.file === fault.file);
    if (previous?.reason === fault.reason) return entry.session;
    const next: Session = {
      ...entry.session,
      warnings: [...entry.session.warnings.filter((w) => w.file !== fault.file), warning],
    };
    this.#remember(next, entry);
    this.#commit(next);
    return next;
  }

  /** A file that had a problem was read well again: its warning goes (SPEC 7). */
  clearFault(file: string): void {
    this.#orphanFaults.delete(file);
    const id = this.#sessionByFile.get(file);
    const entry = id ? this.#entries.get(id) : undefined;
    if (!entry || !entry.session.warnings.some((w) => w.file === file)) return;
    const next = { ...entry.session, warnings: entry.session.warnings.filter((w) => w.file !== file) };
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
    if (entry && hashSession(session) === this.#hashOf(entry)) return false;
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

  /** The most recent run of a project (by start), without scanning every session. */
  latestOfProject(project: string): Session | undefined {
    const id = this.#latestByProject.get(project);
    return id ? this.#entries.get(id)?.session : undefined;
  }

  /** Every run whose work directory is exactly `workdir`. */
  runsInWorkdir(workdir: string): Session[] {
    const ids = this.#byWorkdir.get(workdir);
    if (!ids) return [];
    return [...ids].map((id) => this.#entries.get(id)!.session);
  }

  /** The most recent run in a work directory. */
  latestForWorkdir(workdir: string): Session | undefined {
    const id = this.#sessionForWorkdir(workdir);
    return id ? this.#entries.get(id)?.session : undefined;
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
    return [...this.#orphanFaults.values()];
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

  /** Problems with a build's other files, seen before its first phase file, belong to it now. */
  #adoptOrphans(session: Session, workdir: string): Session {
    const prefix = workdir.endsWith('/') ? workdir : `${workdir}/`;
    const adopted = [...this.#orphanFaults.entries()].filter(([file]) => file.startsWith(prefix));
    if (adopted.length === 0) return session;
    for (const [file] of adopted) {
      this.#orphanFaults.delete(file);
      this.#sessionByFile.set(file, session.id);
    }
    return { ...session, warnings: [...session.warnings, ...adopted.map(([, warning]) => warning)] };
  }

  #sessionForWorkdir(workdir: string | null): string | undefined {
    if (!workdir) return undefined;
    let best: Session | undefined;
    for (const session of this.runsInWorkdir(workdir)) {
      if (!best || session.startedAt > best.startedAt) best = session;
    }
    return best?.id;
  }

  #remember(session: Session, track: Pick<Entry, 'dataTime' | 'liveDataTime' | 'lastSeenAt'>): void {
    const previous = this.#entries.get(session.id);
    const hash = previous?.session === session ? previous.hash : null;
    const { dataTime, liveDataTime, lastSeenAt } = track;
    this.#entries.set(session.id, { session, hash, dataTime, liveDataTime, lastSeenAt });
    if (previous?.session.workdir !== session.workdir) {
      if (previous?.session.workdir) this.#byWorkdir.get(previous.session.workdir)?.delete(session.id);
      if (session.workdir) {
        const ids = this.#byWorkdir.get(session.workdir) ?? new Set<string>();
        ids.add(session.id);
        this.#byWorkdir.set(session.workdir, ids);
      }
    }
    const latestId = this.#latestByProject.get(session.project);
    const latest = latestId ? this.#entries.get(latestId)?.session : undefined;
    if (!latest || latest.id === session.id || session.startedAt >= latest.startedAt) {
      this.#latestByProject.set(session.project, session.id);
    }
    if (previous?.session !== session) this.#sorted = null;
  }

  #commit(session: Session, raw?: string): number {
    const entry = this.#entries.get(session.id)!;
    this.#writer.markDirty(session, raw);
    // SPEC 2: a session's final state is written at once.
    if (session.state === 'completed' || session.state === 'failed') this.#writer.flushNow();
    return this.#onChange(session, this.#hashOf(entry));
  }

  #hashOf(entry: Entry): string {
    entry.hash ??= hashSession(entry.session);
    return entry.hash;
  }

  #cacheRaw(id: string, raw: string): void {
    this.#rawCache.delete(id);
    this.#rawCache.set(id, raw);
    if (this.#rawCache.size > RAW_CACHE_SIZE) {
      const oldest = this.#rawCache.keys().next().value;
      if (oldest !== undefined) this.#rawCache.delete(oldest);
    }
  }
}

/**
 * @module
 * What the domain needs of storage, in its own words. The store (src/store/) implements these
 * interfaces; nothing in core knows that SQL, or any particular key layout, is behind them.
 */
import type { Agent, LogLine, Session } from '../shared/protocol.js';
import type { TestIteration } from '../shared/metrics.js';
import type { BuildTask } from '../collector/types.js';
import type { TokenSample } from '../collector/types.js';
import type { SessionUsageState } from './otlp-usage.js';

/** One session to write; `raw` undefined keeps the stored raw text, null clears it. */
export interface SessionWrite {
  session: Session;
  raw?: string | null;
}

/** Where sessions are kept across restarts. */
export interface SessionStorage {
  /** Every stored session, fully rebuilt (timeline, warnings), oldest `updatedAt` first. */
  loadSessions(): Iterable<Session>;
  /** The last raw phase file (or push body) stored for a session; null when none. */
  loadRaw(id: string): string | null;
  /**
   * Removes sessions with everything kept about them (phases, warnings, test iterations, agents,
   * log lines) and remembers their ids as removed, in one transaction; returns how many were stored.
   */
  deleteSessions(ids: readonly string[], atIso: string): number;
  /** The ids of removed sessions, so that a file still on disk cannot bring one back. */
  loadRemovedIds(): Iterable<string>;
}

/** Takes the latest state of a session to write soon (see src/store/write-coalescer.ts). */
export interface SessionWriter {
  markDirty(session: Session, raw?: string | null): void;
  /** Drops what is waiting to be written for a session that is being removed. */
  forget(id: string): void;
}

/** Token samples and test iterations. */
export interface MetricsStorage {
  /**
   * Stores samples not seen before, and raises the figures of a request seen before when a later
   * line of its stream shows more (one transaction); returns the samples that changed anything.
   */
  insertSamples(samples: readonly TokenSample[]): TokenSample[];
  /** Stores samples whose figures may grow (running totals from metrics), replacing by key. */
  replaceSamples(samples: readonly TokenSample[]): void;
  /** Samples whose cwd is `workdir` or below it, within [from, to] (ms). */
  samplesUnder(workdir: string, from: number, to: number): TokenSample[];
  /** Samples tagged with a project (OpenTelemetry `buildcast.project`) within [from, to]. */
  samplesForProject(project: string, from: number, to: number): TokenSample[];
  /** Samples of one Claude Code session. */
  samplesForClaudeSession(claudeSessionId: string): TokenSample[];
  /** Removes samples of a Claude Code session whose key starts with `prefix`; returns how many. */
  deleteSamples(claudeSessionId: string, keyPrefix: string): number;
  countSamples(): number;
  saveTestIteration(sessionId: string, iteration: TestIteration): void;
  loadTestIterations(sessionId: string): TestIteration[];
}

/** Agents inside builds and each session's bounded log tail. */
export interface ActivityStorage {
  saveAgents(agents: readonly Agent[]): void;
  loadAgents(): Agent[];
  /** Appends lines and drops all but the newest `keep` of that session (one transaction). */
  appendLogs(sessionId: string, lines: readonly LogLine[], keep: number): void;
  /** The newest `limit` lines of a session, oldest first. */
  loadLogs(sessionId: string, limit: number): LogLine[];
  /** The highest line number stored for a session (0 when none). */
  lastLogSeq(sessionId: string): number;
}

/** A family of small typed values kept by key (a file's read offset, a session's tasks). */
export interface Keyed<T> {
  /** The stored value; null when unset or when what is stored is no longer readable. */
  get(key: string): T | null;
  set(key: string, value: T): void;
  /** Forgets a key (nothing happens when it is not set). */
  delete(key: string): void;
  /** Every value of the family, for restoring it whole at start. */
  all(): Map<string, T>;
}

/** A plain Claude Code session: which Claude session and folder a buildcast session stands for. */
export interface ExternalSession {
  claudeId: string;
  workdir: string | null;
}

/** The small values the domain keeps between restarts, one typed family each. */
export interface StateStorage {
  /** Claude Code session id → the build its requests were seen in. */
  readonly claudeLinks: Keyed<string>;
  /** buildcast session id → the plain Claude Code session it stands for. */
  readonly externalSessions: Keyed<ExternalSession>;
  /** Claude Code sessions that send OpenTelemetry `api_request` events (value: true). */
  readonly claudeWithEvents: Keyed<true>;
  /** Builder's parallel tasks per buildcast session. */
  readonly buildTasks: Keyed<BuildTask[]>;
  /** What OpenTelemetry metrics have counted per Claude Code session. */
  readonly otlpUsage: Keyed<SessionUsageState>;
  /** The machine a run reported from, when its phase file or push named one. */
  readonly runHosts: Keyed<string>;
}

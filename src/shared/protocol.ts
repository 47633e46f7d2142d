/**
 * @module
 * The wire protocol between the buildcast server and its clients (SPEC 3).
 *
 * Both sides import this file: the server for values and types, the browser client with
 * `import type` only. Every frame is a JSON text frame; the union is keyed on `type`.
 */

import type { SessionMetrics } from './metrics.js';

/** Bumped whenever a frame changes shape in a way an old client would misread. */
export const PROTOCOL_VERSION = 1;

/** The state of a whole run (not of its current phase). */
export type SessionState = 'running' | 'completed' | 'failed' | 'stalled';

/**
 * Where a session's latest data came from (SPEC 2, "Fresh live beats checkpoint"). Sessions
 * known only from Claude Code transcripts or OpenTelemetry say `transcript` or `otel`.
 */
export type SessionSource = 'live' | 'push' | 'checkpoint' | 'transcript' | 'otel';

/** The status of one phase in a session's timeline. */
export type PhaseStatus = 'running' | 'completed' | 'failed' | 'skipped';

/**
 * Whose clock a phase's times are on (SPEC 2 "The build's own clock"): `build` when they come
 * from the phase file's own timestamps (`timestamps.phaseStart` / `phaseEnd`, `last_updated`),
 * `receipt` when the build wrote none and buildcast's time of receipt stands in (shown as "≈").
 */
export type PhaseClock = 'build' | 'receipt';

/** One phase as it happened: when it started, when it ended, how long it took. */
export interface PhaseSpan {
  /** The phase name as the build wrote it ("Test", "GitHub Integration"). */
  name: string;
  /** The raw phase number text ("4.5/8"), when the build gave one. */
  number: string | null;
  /** The phase's position as a number (4.5), when known. */
  index: number | null;
  status: PhaseStatus;
  /** ISO time the phase started, when seen; null for phases only known as completed. */
  startedAt: string | null;
  /** ISO time the phase ended; null while it runs. */
  endedAt: string | null;
  /** endedAt - startedAt in milliseconds, when both are known. */
  durationMs: number | null;
  /** `receipt` when any of its times is buildcast's time of receipt rather than the build's own. */
  clock: PhaseClock;
}

/** A problem with a source file, shown until the next good write clears it (SPEC 7). */
export interface SourceWarning {
  /** The file that could not be read, or the ingest route for pushes. */
  file: string;
  /** A short human reason ("invalid JSON: Unexpected end of input at 112"). */
  reason: string;
  /** ISO time the problem was seen. */
  at: string;
}

/**
 * One run of a build, flat camelCase (SPEC 3). Nothing here is derived from the clock, so
 * its hash changes only when its content does; elapsed times are computed in the browser.
 */
export interface Session {
  /** Stable, URL-safe id: project slug plus start time, e.g. `weather-app-20261120T140211Z`. */
  id: string;
  project: string;
  /** The build's work directory, when known (live files; pushes may not say). */
  workdir: string | null;
  state: SessionState;
  /** The build's own status word, normalized: lower-case, hyphens ("self-healing"). */
  activity: string | null;
  currentPhase: string | null;
  /** Raw phase number text such as "4.5/8". */
  phaseNumber: string | null;
  phaseIndex: number | null;
  phaseTotal: number | null;
  phasesCompleted: string[];
  progressDetail: string | null;
  /** 0-100, from the build when it says, otherwise estimated from the phase number. */
  progressPercent: number | null;
  testIteration: number | null;
  /** ISO time the run started. */
  startedAt: string;
  /** ISO time the session's content last changed. */
  updatedAt: string;
  /** ISO time the run completed or failed; null while it runs. */
  endedAt: string | null;
  source: SessionSource;
  /** Phase timeline in the order the phases ran. */
  phases: PhaseSpan[];
  /** Current problems with this session's sources; empty when all is well. */
  warnings: SourceWarning[];
  /** Total tokens used, when real counts are known (null: none seen yet). */
  tokensTotal: number | null;
  /** Total cost in US dollars, when every model's price is known (null: unknown). */
  costUsd: number | null;
}

export interface HelloMessage {
  type: 'hello';
  protocol: number;
  serverTime: string;
  /** The session this connection follows (`/ws/:id`), or null for all sessions. */
  sessionId: string | null;
  /** How often this server sends a heartbeat (`--heartbeat`), so a client knows how long silence may last. */
  heartbeatMs: number;
}

export interface SnapshotMessage {
  type: 'snapshot';
  sessions: Session[];
}

export interface SessionMessage {
  type: 'session';
  session: Session;
}

export interface HeartbeatMessage {
  type: 'heartbeat';
  serverTime: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line of a session's event and log tail. */
export interface LogLine {
  /** Increasing per session; a client that has seen seq N needs only lines after it. */
  seq: number;
  at: string;
  level: LogLevel;
  text: string;
  /** Where the line came from: `push`, `events`, a log file name. */
  source: string;
}

/** New log lines for one session (only lines the client has not had). */
export interface LogMessage {
  type: 'log';
  sessionId: string;
  lines: LogLine[];
}

/** A session's metrics changed (same change-only rule as `session` frames). */
export interface MetricsMessage {
  type: 'metrics';
  metrics: SessionMetrics;
}

/** Progress of the first read of Claude Code history. */
export interface BackfillMessage {
  type: 'backfill';
  progress: BackfillProgress;
}

export interface BackfillProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  done: boolean;
}

export type AgentStatus = 'spawning' | 'active' | 'idle' | 'completed' | 'failed';

/** One agent working inside a build (SPEC 1.7): a parallel builder, a subagent, a tester. */
export interface Agent {
  /** Unique within its session. */
  id: string;
  sessionId: string;
  type: string | null;
  name: string | null;
  status: AgentStatus;
  /** The status word as the agent sent it, when it was not one of the five (shown, not lost). */
  reportedStatus: string | null;
  phase: string | null;
  progressPercent: number | null;
  tokensUsed: number | null;
  error: string | null;
  /** The build task it works on (`task_id`), when told. */
  task: string | null;
  /**
   * It failed, and a later agent doing the same work (the same task, or an id or name that
   * marks it as this one's retry) completed it: the failure is not the build's.
   */
  retried: boolean;
  /** ISO time the agent was first seen. */
  startedAt: string;
  /** ISO time its reported state last changed. */
  updatedAt: string;
  /** ISO time it completed or failed. */
  endedAt: string | null;
  /** No change reported for the stall window while still spawning, active or idle. */
  stalled: boolean;
  /** Where it came from: `push` (`/api/agent-update`), `events`, `transcript`. */
  source: string;
}

/** An agent of a session changed. */
export interface AgentMessage {
  type: 'agent';
  agent: Agent;
}

/** A parallel task of the Builder phase (`build-tasks.json`). */
export type PlanStatus = 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'blocked';

export interface PlanTask {
  id: string;
  name: string;
  status: PlanStatus;
  dependsOn: string[];
  agent: string | null;
  error: string | null;
  /** Why it is blocked ("depends on task-2, which failed"). */
  blockedBy: string | null;
}

/** One phase of the whole pipeline, run or not yet run. */
export interface PlanPhase {
  name: string;
  number: string | null;
  status: PlanStatus;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** `receipt` when any run of it was timed by buildcast's receipt rather than the build's clock. */
  clock: PhaseClock;
  /** Why it is blocked or skipped ("Test failed"). */
  reason: string | null;
  /** Builder's parallel tasks, when known. */
  tasks: PlanTask[];
}

/**
 * A session's phase plan changed in a way its `session` frame does not show (Builder's tasks
 * from `build-tasks.json`).
 */
export interface PlanMessage {
  type: 'plan';
  sessionId: string;
  plan: PlanPhase[];
}

export interface PongMessage {
  type: 'pong';
  serverTime: string;
}

export interface ErrorMessage {
  type: 'error';
  code: string;
  message: string;
}

/** Everything the server sends. */
export type ServerMessage =
  | HelloMessage
  | SnapshotMessage
  | SessionMessage
  | HeartbeatMessage
  | LogMessage
  | MetricsMessage
  | BackfillMessage
  | AgentMessage
  | PlanMessage
  | PongMessage
  | ErrorMessage;

/** Everything a client may send. */
export type ClientMessage = { type: 'ping' };

/** Exhaustiveness guard for `switch` statements over the unions above. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

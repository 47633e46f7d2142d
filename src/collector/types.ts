/**
 * @module
 * The typed values the collector hands to the rest of buildcast. Sources (phase files, pushes,
 * checkpoints) are turned into these once, at the edge; everything downstream trusts them.
 */
import type { SessionSource } from '../shared/protocol.js';

/** A phase file (SPEC 1.1) after normalization: one shape whatever drift the build wrote. */
export interface PhaseRecord {
  /** `session_id` / `sessionId`: the project name, when given. */
  project: string | null;
  currentPhase: string | null;
  /** Raw phase number text as written, numbers turned to text ("4/7", "4.5/8", "6"). */
  phaseNumber: string | null;
  /** The number before the slash (4.5 for "4.5/8"); null when missing or unreadable. */
  phaseIndex: number | null;
  /** The number after the slash (8 for "4.5/8"); null when there is none. */
  phaseTotal: number | null;
  /** Status normalized: lower-case, spaces and underscores to hyphens ("self-healing"). */
  status: string | null;
  progressDetail: string | null;
  testIteration: number | null;
  phasesCompleted: string[];
  /** ISO 8601 (UTC, `Z`) start of the run, when given and parseable. */
  startedAt: string | null;
  /** ISO 8601 (UTC, `Z`) time the build last wrote the file, when given and parseable. */
  lastUpdated: string | null;
  /** From `completionTracking.completionPercentage` (0-100), when given. */
  completionPercent: number | null;
  /** From `completionTracking.isComplete`, when given. */
  isComplete: boolean | null;
  /** From nested `timestamps.phaseStart` / `timestamps.phaseEnd`, ISO, when given. */
  phaseStartedAt: string | null;
  phaseEndedAt: string | null;
  /** Every field the parser did not map, kept as written (SPEC 1.1: never fail on them). */
  extra: Record<string, unknown>;
  /**
   * What the parser had to leave out: fields present but unreadable (a number outside the safe
   * range, a date that is not one) and lists cut to their cap. Shown on the session (SPEC 7).
   */
  warnings: string[];
}

/** Why a source could not be read. */
export type ParseProblemCode =
  'empty' | 'invalid-json' | 'not-object' | 'too-large' | 'too-deep' | 'unreadable' | 'invalid-fields';

export interface ParseProblem {
  code: ParseProblemCode;
  /** One line a user can act on, e.g. "invalid JSON: Unexpected end of JSON input". */
  message: string;
}

/** Errors are values at the edges. */
export type Result<T, P = ParseProblem> = { ok: true; value: T } | { ok: false; problem: P };

/** A phase observation from any source, ready to be applied to the session registry. */
/** The roads a phase record arrives by. */
export type PhaseSource = Extract<SessionSource, 'live' | 'push' | 'checkpoint'>;

export interface PhaseObservation {
  source: PhaseSource;
  record: PhaseRecord;
  /** The text as received (the last raw phase file, SPEC 4 session detail). */
  raw: string;
  /** The build's work directory (the folder holding `.context-foundry/`), when known. */
  workdir: string | null;
  /** The file it came from, or null for pushes. */
  file: string | null;
  /** When buildcast saw it (ms since epoch). */
  observedAt: number;
  /** When the data was written: `last_updated` if given, else file mtime, else observedAt. */
  dataTime: number;
  /** Checkpoints only: the run is done (`COMPLETE` flag). */
  complete?: boolean;
}

/** A source that could not be read: shown on its session until the next good read. */
export interface SourceFault {
  file: string;
  workdir: string | null;
  reason: string;
  observedAt: number;
}

/**
 * One API request's token usage, from a Claude Code transcript line (SPEC 1.5) or an
 * OpenTelemetry `claude_code.api_request` event (SPEC 1.6).
 */
export interface TokenSample {
  /** Unique per request: `<message.id>:<requestId>` for transcripts; counted once ever. */
  key: string;
  source: 'transcript' | 'otel';
  /** Claude Code's session id (transcript `sessionId`, OTLP `session.id`). */
  claudeSessionId: string | null;
  /** The working directory of the request, when known. */
  cwd: string | null;
  /** From OTLP resource attribute `buildcast.project`, when set. */
  project: string | null;
  /** Time of the request (ms since epoch). */
  at: number;
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  /** Every cache write of the request, 5-minute and 1-hour. */
  cacheWrite: number;
  /**
   * The part of `cacheWrite` written to the 1-hour cache (transcript
   * `cache_creation.ephemeral_1h_input_tokens`), priced higher; absent or 0 for sources that do
   * not say (OpenTelemetry), whose writes are all priced at the 5-minute rate.
   */
  cacheWrite1h?: number;
  /**
   * True for a running total of many requests (OpenTelemetry metrics), false or absent for one
   * request: a total cannot tell which of its requests were long enough for a higher tier.
   */
  summed?: boolean;
  /** Cost as reported by the source (OTLP `cost_usd`); null means compute it from prices. */
  costUsd: number | null;
  /** A subagent's request (transcript `isSidechain`). */
  sidechain: boolean;
  /** The subagent that made it (transcript `agentId` on sidechain lines), when known. */
  agentId?: string | null;
}

/** Context Foundry's side files (SPEC 1.4), as read from `.context-foundry/`; `at` is the file's mtime (ms). */
export type SideFileObservation =
  | { kind: 'test-count'; workdir: string; file: string; at: number; iteration: number }
  | {
      kind: 'test-results';
      workdir: string;
      file: string;
      at: number;
      iteration: number;
      passed: number | null;
      failed: number | null;
      failing: string[];
    }
  | { kind: 'build-tasks'; workdir: string; file: string; at: number; tasks: BuildTask[] }
  | {
      kind: 'events';
      workdir: string;
      file: string;
      at: number;
      events: BuildEvent[];
      /** The lines begin the file (new, truncated or replaced): perhaps a new run's log. */
      startsLog?: boolean;
    }
  | { kind: 'log-lines'; workdir: string; file: string; at: number; lines: string[]; startsLog?: boolean }
  | {
      kind: 'summary';
      workdir: string;
      file: string;
      at: number;
      completed: boolean;
      failed: boolean;
      /** `completed_at` (ms since epoch), null when the summary gives none. */
      completedAt: number | null;
      /** The project the summary names (`session_id`), null when none. */
      sessionId: string | null;
      fields: Record<string, unknown>;
    };

/** How loud an event is on the page. */
export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line of an event log, typed. */
export interface BuildEvent {
  /** Lower-case with underscores ("phase_change"), whatever case or separators were written. */
  type: string;
  sessionId: string | null;
  /** When the build wrote it (ms since epoch), when the line says and it is readable. */
  at: number | null;
  sequence: number | null;
  /** `data` as written (long strings cut); for a line without `data`, its other fields. */
  data: Record<string, unknown>;
  /** One line for people: "phase_change: Builder → Test", "error: npm install failed". */
  text: string;
  level: EventLevel;
}

/** The state of one parallel builder task. */
export type BuildTaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'blocked';

/** One task of `build-tasks.json`. */
export interface BuildTask {
  /** As written, or `task-<n>` (1-based position) when the task has none. */
  id: string;
  name: string;
  status: BuildTaskStatus;
  dependsOn: string[];
  files: string[];
  agent: string | null;
  error: string | null;
}

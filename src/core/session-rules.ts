/**
 * @module
 * The pure rules that turn observations into sessions (SPEC 1.1 "What status means" and
 * "Identity", SPEC 2 "Fresh live beats checkpoint"). No I/O and no clock of their own:
 * callers pass `now`, so every rule is tested with plain values.
 */
import type { Session, SessionState, SourceWarning } from '../shared/protocol.js';
import { compactTimestamp, MAX_PHASES, slugify, truncateText } from '../collector/phase-file.js';
import { canonicalPhase, isFinalPhase, statusOutcome } from './phases.js';
import { completedPhases, recordTimes, stepTimeline } from './timeline.js';
import type { PhaseObservation, PhaseRecord } from '../collector/types.js';
import { isSilent } from './stall.js';

/** What the registry remembers about a session besides the session itself. */
export interface SessionTrack {
  session: Session;
  /** When the data now shown was written (ms): the file mtime, push time or checkpoint time. */
  dataTime: number;
  /** When a live file last gave this session data (ms), for the freshness rule; null if never. */
  liveDataTime: number | null;
}

/** Which session an observation belongs to. */
export type Identity = { kind: 'existing'; id: string } | { kind: 'new'; id: string; startedAt: string };

/** Builds the stable, URL-safe id of a run: `weather-app-20261120T140211Z`. */
export function sessionIdFor(project: string, startedAtIso: string): string {
  return `${slugify(project)}-${compactTimestamp(startedAtIso)}`;
}

/** The project an observation speaks for: `session_id`, else the work directory's name. */
export function projectOf(record: PhaseRecord, workdir: string | null): string {
  const named = record.project?.trim();
  if (named) return named;
  if (workdir) {
    const base = workdir
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop();
    if (base) return base;
  }
  return 'unnamed';
}

function isTerminal(state: SessionState): boolean {
  return state === 'completed' || state === 'failed';
}

/** Whether a record puts the build back at the start of the pipeline (phase 0 or 1). */
function isAtStart(record: PhaseRecord): boolean {
  if (record.phaseIndex !== null) return record.phaseIndex <= 1;
  const canonical = record.currentPhase ? canonicalPhase(record.currentPhase) : undefined;
  return canonical !== undefined && canonical.index <= 1;
}

/**
 * SPEC 1.1 identity: a run is a project plus its `started_at`. Without `started_at`, a run goes
 * on until it has completed or failed and the phase number goes back to the start.
 *
 * @param latest the project's most recent session, if any
 * @param exists whether a session id is already taken
 * @param observedAtIso when the record arrived, for a record that says no time of its own
 */
export function resolveIdentity(
  record: PhaseRecord,
  project: string,
  latest: Session | undefined,
  exists: (id: string) => boolean,
  observedAtIso: string,
): Identity {
  if (record.startedAt) {
    const id = sessionIdFor(project, record.startedAt);
    return exists(id) ? { kind: 'existing', id } : { kind: 'new', id, startedAt: record.startedAt };
  }
  if (latest) {
    const restarted = isTerminal(latest.state) && isAtStart(record) && statusOutcome(record.status) === null;
    if (!restarted) return { kind: 'existing', id: latest.id };
  }
  // A run that gives no started_at began when its first record says its phase started.
  const startedAt = recordTimes(record, observedAtIso).start.at;
  const base = sessionIdFor(project, startedAt);
  let id = base;
  for (let n = 2; exists(id); n++) id = `${base}-${n}`;
  return { kind: 'new', id, startedAt };
}

/**
 * SPEC 2: a fresh live file is the truth; otherwise the newest data wins. Pushes are explicit
 * and always taken; a checkpoint never overrides a live file younger than `freshMs`.
 */
export function shouldApply(
  track: SessionTrack | undefined,
  observation: PhaseObservation,
  now: number,
  freshMs: number,
): boolean {
  if (!track) return true;
  switch (observation.source) {
    case 'push':
      return true;
    case 'live':
      return now - observation.dataTime < freshMs || observation.dataTime >= track.dataTime;
    case 'checkpoint':
      if (track.liveDataTime !== null && now - track.liveDataTime < freshMs) return false;
      return observation.dataTime >= track.dataTime;
  }
}

/** The session state a record implies (SPEC 1.1 "What status means"). */
export function stateOf(record: PhaseRecord, complete: boolean): SessionState {
  const outcome = statusOutcome(record.status);
  if (outcome === 'failed') return 'failed';
  if (complete || record.isComplete === true) return 'completed';
  if (outcome === 'completed' && isFinalPhase(record.currentPhase, record.phaseIndex, record.phaseTotal)) {
    return 'completed';
  }
  return 'running';
}

function estimateProgress(record: PhaseRecord, state: SessionState): number | null {
  if (state === 'completed') return 100;
  if (record.completionPercent !== null)
    return Math.max(0, Math.min(100, Math.round(record.completionPercent)));
  if (record.phaseIndex !== null && record.phaseTotal) {
    return Math.max(0, Math.min(99, Math.round((record.phaseIndex / record.phaseTotal) * 100)));
  }
  return null;
}

/**
 * The session's warnings after an observation: its source's earlier warning goes, and what
 * the parser or the caps left out of this one is shown in its place. An unchanged warning
 * keeps its time, so rewriting the same file is still no change.
 */
function warningsAfter(
  previous: readonly SourceWarning[],
  file: string,
  reasons: readonly string[],
  atIso: string,
): SourceWarning[] {
  const others = previous.filter((w) => w.file !== file);
  if (reasons.length === 0) return others;
  const reason = truncateText(reasons.join('; '));
  const same = previous.find((w) => w.file === file && w.reason === reason);
  return [...others, same ?? { file, reason, at: atIso }];
}

/** A session's content without its change stamp and road, for deciding whether anything changed. */
function sameContent(a: Session, b: Session): boolean {
  // The same news by another road (a build that writes its file and also pushes it) is no news.
  for (const key of Object.keys(a) as Array<keyof Session>) {
    if (key === 'updatedAt' || key === 'source') continue;
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    // Only the arrays (phases, warnings, phases completed) need a deep look; a cheap one.
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/**
 * Applies one observation to a session (or starts one), returning the next session.
 * `updatedAt` moves only when the content changed, so rewriting identical content is a no-op.
 */
export function applyObservation(
  previous: Session | undefined,
  identity: { id: string; startedAt: string },
  project: string,
  observation: PhaseObservation,
): Session {
  const { record } = observation;
  const atIso = new Date(observation.dataTime).toISOString();
  const state = stateOf(record, observation.complete === true);
  const timeline = stepTimeline(previous?.phases ?? [], record, atIso);
  const { phases } = timeline;
  const completed = completedPhases(previous?.phasesCompleted ?? [], record.phasesCompleted, phases);
  // What the session shows nowhere: completed phases past its list's cap, and a current phase
  // past the timeline's (completed phases past the timeline's cap are still in the list).
  const leftOut = (timeline.currentLeftOut ? 1 : 0) + completed.leftOut;
  const reasons =
    leftOut === 0
      ? record.warnings
      : [
          ...record.warnings,
          `${leftOut} ${leftOut === 1 ? 'phase' : 'phases'} not shown: a session shows at most ${MAX_PHASES}`,
        ];
  const warnings = warningsAfter(previous?.warnings ?? [], observation.file ?? 'push', reasons, atIso);
  const next: Session = {
    id: identity.id,
    project,
    workdir: observation.workdir ?? previous?.workdir ?? null,
    state,
    activity: record.status,
    currentPhase: record.currentPhase ?? previous?.currentPhase ?? null,
    phaseNumber: record.phaseNumber ?? (record.currentPhase ? null : (previous?.phaseNumber ?? null)),
    phaseIndex: record.phaseIndex ?? (record.currentPhase ? null : (previous?.phaseIndex ?? null)),
    phaseTotal: record.phaseTotal ?? (record.currentPhase ? null : (previous?.phaseTotal ?? null)),
    phasesCompleted: completed.names,
    progressDetail: record.progressDetail,
    progressPercent: estimateProgress(record, state),
    testIteration: record.testIteration ?? previous?.testIteration ?? null,
    startedAt: previous?.startedAt ?? identity.startedAt,
    updatedAt: atIso,
    // "Took" is the build's own: it ended when its last record says its phase ended.
    endedAt:
      state === 'completed' || state === 'failed'
        ? (previous?.endedAt ?? recordTimes(record, atIso).end.at)
        : null,
    source: observation.source,
    phases,
    warnings,
    tokensTotal: previous?.tokensTotal ?? null,
    costUsd: previous?.costUsd ?? null,
  };
  if (previous && sameContent(previous, next)) return previous;
  return next;
}

/**
 * SPEC 2: a running build with no update for `stallMs` is stalled; returns null when unchanged.
 * A session known only from Claude Code usage has no phases to finish: silence means it ended.
 */
export function markStalled(
  session: Session,
  lastSeenAt: number,
  now: number,
  stallMs: number,
): Session | null {
  if (session.state !== 'running' || !isSilent(lastSeenAt, now, stallMs)) return null;
  if (session.source === 'transcript' || session.source === 'otel') {
    return { ...session, state: 'completed', endedAt: session.updatedAt };
  }
  return { ...session, state: 'stalled' };
}

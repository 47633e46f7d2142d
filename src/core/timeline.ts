/**
 * @module
 * A session's phase timeline (SPEC 1.1, 4): which phases ran, in order, with their start, end
 * and outcome, moved forward one phase record at a time. Linear in the record and the timeline,
 * and bounded: a timeline holds at most {@link MAX_PHASES} phases, so a build that lists
 * thousands of phase names costs no more than one that lists ten.
 */
import type { PhaseClock, PhaseSpan } from '../shared/protocol.js';
import { MAX_PHASES } from '../collector/phase-file.js';
import type { PhaseRecord } from '../collector/types.js';
import { canonicalPhase, phaseKey, statusOutcome } from './phases.js';

/** A time a record speaks of, and whose clock it is on. */
export interface Moment {
  at: string;
  clock: PhaseClock;
}

/** When a record's phase started and when it ended, each on the build's clock when it says. */
export interface RecordTimes {
  start: Moment;
  end: Moment;
}

/**
 * SPEC 2 "The build's own clock": a record's phase starts at its `timestamps.phaseStart` and
 * ends at its `timestamps.phaseEnd`, else at the time it was written (`last_updated`, or
 * `timestamps.lastUpdated`); only a record that says neither is timed by `receiptIso`.
 */
export function recordTimes(record: PhaseRecord, receiptIso: string): RecordTimes {
  const moment = (own: string | null): Moment => {
    const at = own ?? record.lastUpdated;
    return at === null ? { at: receiptIso, clock: 'receipt' } : { at, clock: 'build' };
  };
  return { start: moment(record.phaseStartedAt), end: moment(record.phaseEndedAt) };
}

function spanOf(name: string, record: PhaseRecord | null, start: Moment | null): PhaseSpan {
  const canonical = canonicalPhase(name);
  const ownNumber =
    record !== null && record.currentPhase !== null && phaseKey(record.currentPhase) === phaseKey(name);
  return {
    name,
    number: ownNumber ? record.phaseNumber : (canonical?.number ?? null),
    index: ownNumber ? record.phaseIndex : (canonical?.index ?? null),
    status: 'running',
    startedAt: start?.at ?? null,
    endedAt: null,
    durationMs: null,
    clock: start?.clock ?? 'build',
  };
}

function close(phase: PhaseSpan, status: PhaseSpan['status'], end: Moment): void {
  phase.status = status;
  if (phase.endedAt === null) {
    phase.endedAt = end.at;
    if (end.clock === 'receipt') phase.clock = 'receipt';
  }
  // An end before the start (two clocks that disagree) is no duration, as the store reads it back.
  const ms = phase.startedAt ? Date.parse(phase.endedAt) - Date.parse(phase.startedAt) : NaN;
  phase.durationMs = ms >= 0 ? ms : null;
}

/** What {@link advanceTimeline} gives: the next timeline, and what did not fit in it. */
export interface TimelineStep {
  phases: PhaseSpan[];
  /** Phases left out because the timeline already holds {@link MAX_PHASES}. */
  leftOut: number;
  /**
   * Whether the current phase was one of them. The others, completed phases, are still
   * listed in the session's `phasesCompleted` (and so in its plan) when that has room.
   */
  currentLeftOut: boolean;
}

/**
 * Moves a phase timeline forward by one record: the phase that was running ends when another
 * starts, `phases_completed` fills in phases never seen running, and the current phase takes
 * the record's outcome. Returns a new array; the input is not changed. One pass over the
 * record's list and the timeline, phases found by key, and at most {@link MAX_PHASES} phases:
 * a new phase beyond that is left out (and counted), the ones already shown stay.
 */
export function advanceTimeline(
  previous: readonly PhaseSpan[],
  record: PhaseRecord,
  receiptIso: string,
): PhaseSpan[] {
  return stepTimeline(previous, record, receiptIso).phases;
}

/** {@link advanceTimeline}, also saying how many new phases did not fit. */
export function stepTimeline(
  previous: readonly PhaseSpan[],
  record: PhaseRecord,
  receiptIso: string,
): TimelineStep {
  const times = recordTimes(record, receiptIso);
  const phases = previous.map((phase) => ({ ...phase }));
  // The last span of each phase, as a search from the end would find it.
  const byKey = new Map<string, PhaseSpan>();
  for (const phase of phases) byKey.set(phaseKey(phase.name), phase);
  const current = record.currentPhase?.trim() || null;
  const currentKey = current ? phaseKey(current) : null;
  // A new current phase has the first claim on the room left: it is what the build is doing.
  const currentIsNew = currentKey !== null && !byKey.has(currentKey);
  let room = MAX_PHASES - phases.length - (currentIsNew ? 1 : 0);
  let leftOut = 0;

  const done: PhaseSpan[] = [];
  for (const name of record.phasesCompleted) {
    const key = phaseKey(name);
    const known = byKey.get(key);
    if (known) {
      // A phase listed done while another is current ended when that one began.
      const end = currentKey !== null && key !== currentKey ? times.start : times.end;
      if (known.status === 'running') close(known, 'completed', end);
    } else if (key !== currentKey) {
      if (room <= 0) {
        leftOut += 1;
        continue;
      }
      const span = spanOf(name, null, null);
      span.status = 'completed';
      byKey.set(key, span);
      done.push(span);
      room -= 1;
    }
  }
  if (done.length > 0) {
    // Phases completed but never seen running go just before the current phase.
    const at = currentKey === null ? -1 : phases.findIndex((p) => phaseKey(p.name) === currentKey);
    phases.splice(at === -1 ? phases.length : at, 0, ...done);
  }
  if (!current || currentKey === null) return { phases, leftOut, currentLeftOut: false };

  for (const phase of phases) {
    if (phase.status === 'running' && phaseKey(phase.name) !== currentKey) {
      // It ended when the current phase began.
      close(phase, 'completed', times.start);
    }
  }
  let phase = byKey.get(currentKey);
  if (!phase) {
    if (room < 0) return { phases, leftOut: leftOut + 1, currentLeftOut: true };
    phase = spanOf(current, record, times.start);
    phases.push(phase);
  } else {
    if (record.phaseNumber !== null) phase.number = record.phaseNumber;
    if (record.phaseIndex !== null) phase.index = record.phaseIndex;
  }
  const outcome = statusOutcome(record.status);
  if (outcome === null) {
    // A retry after a failure (self-healing) reopens the phase it failed in.
    phase.status = 'running';
    phase.endedAt = null;
    phase.durationMs = null;
  } else if (phase.status === 'running' || phase.status !== outcome) {
    phase.endedAt = null;
    close(phase, outcome, times.end);
  }
  return { phases, leftOut, currentLeftOut: false };
}

/**
 * The session's completed phases: those it had, then the record's, then those its timeline
 * completed, each phase once (by key) and at most {@link MAX_PHASES}, the first ones.
 */
export function completedPhases(
  previous: readonly string[],
  listed: readonly string[],
  phases: readonly PhaseSpan[],
): { names: string[]; leftOut: number } {
  const names: string[] = [];
  const seen = new Set<string>();
  let leftOut = 0;
  const add = (name: string): void => {
    const key = phaseKey(name);
    if (seen.has(key)) return;
    seen.add(key);
    if (names.length < MAX_PHASES) names.push(name);
    else leftOut += 1;
  };
  for (const name of previous) add(name);
  for (const name of listed) add(name);
  for (const phase of phases) if (phase.status === 'completed') add(phase.name);
  return { names, leftOut };
}

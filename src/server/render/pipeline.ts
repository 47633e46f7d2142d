/**
 * @module
 * A session's phase pipeline as the pages draw it: Context Foundry's canonical phases in order
 * (SPEC 1.1) merged with whatever phases this session actually ran, each marked done, current,
 * failed, upcoming or skipped. Pure: it reads a `Session` and nothing else.
 */
import type { PhaseSpan, Session } from '../../shared/protocol.js';
import { CANONICAL_PHASES, canonicalPhase, phaseKey, statusOutcome } from '../../collector/phases.js';

/** How a phase stands in this session. */
export type SegmentStatus = 'done' | 'current' | 'failed' | 'upcoming' | 'skipped';

/** One phase in the pipeline. */
export interface PipelineSegment {
  /** The canonical name, or the name as the build wrote it for phases Context Foundry does not know. */
  name: string;
  /** The phase number text ("4.5/8"), when known. */
  number: string | null;
  status: SegmentStatus;
  /** When the phase first started in this session, if seen. */
  startedAt: string | null;
  /** When it last ended, if it has. */
  endedAt: string | null;
  /** Time spent in it over every run of it (self-healing loops rerun Test), when known. */
  durationMs: number | null;
  /** Whether it is one of Context Foundry's own phases. */
  canonical: boolean;
}

interface Entry {
  key: string;
  name: string;
  number: string | null;
  /** Position for ordering; null when the build gave no number for a phase buildcast does not know. */
  index: number | null;
  canonical: boolean;
  optional: boolean;
  spans: PhaseSpan[];
}

/** One key per phase whatever the build's spelling ("testing", "Test ", "TEST" are one phase). */
function keyOf(name: string): string {
  const phase = canonicalPhase(name);
  return phase ? `c:${phase.name}` : `x:${phaseKey(name)}`;
}

function entryFor(name: string, index: number | null, number: string | null): Entry {
  const phase = canonicalPhase(name);
  return {
    key: keyOf(name),
    name: phase ? phase.name : name.trim(),
    number: phase ? phase.number : number,
    index: phase ? phase.index : index,
    canonical: phase !== undefined,
    optional: phase?.optional === true,
    spans: [],
  };
}

/** The phases this session mentions, in the order it ran them. */
function seenEntries(session: Session): Entry[] {
  const seen = new Map<string, Entry>();
  const note = (name: string, index: number | null, number: string | null): Entry | undefined => {
    if (name.trim() === '') return undefined;
    const key = keyOf(name);
    let entry = seen.get(key);
    if (!entry) {
      entry = entryFor(name, index, number);
      seen.set(key, entry);
    }
    return entry;
  };
  for (const span of session.phases) note(span.name, span.index, span.number)?.spans.push(span);
  for (const name of session.phasesCompleted) note(name, null, null);
  if (session.currentPhase !== null) note(session.currentPhase, session.phaseIndex, session.phaseNumber);
  return [...seen.values()];
}

/** Canonical phases first, then each phase only this build knows, placed by number or after its predecessor. */
function orderEntries(seen: Entry[]): Entry[] {
  const seenKeys = new Set(seen.map((entry) => entry.key));
  // A Ralph loop or other non-Context-Foundry build should not be drawn against Context Foundry's pipeline.
  const useCanonical = seen.length === 0 || seen.some((entry) => entry.canonical);
  const ordered: Entry[] = useCanonical
    ? CANONICAL_PHASES.filter((phase) => !phase.optional || seenKeys.has(`c:${phase.name}`)).map(
        (phase) => seen.find((entry) => entry.key === `c:${phase.name}`) ?? entryFor(phase.name, null, null),
      )
    : [];
  let cursor = -1;
  for (const entry of seen) {
    const at = ordered.indexOf(entry);
    if (at >= 0) {
      cursor = at;
      continue;
    }
    if (entry.index !== null) {
      const index = entry.index;
      const before = ordered.findIndex((other) => other.index !== null && other.index > index);
      cursor = before < 0 ? ordered.length : before;
    } else {
      cursor += 1;
    }
    ordered.splice(cursor, 0, entry);
  }
  return ordered;
}

function sumDurations(spans: PhaseSpan[]): number | null {
  const known = spans.filter((span) => span.durationMs !== null);
  return known.length === 0 ? null : known.reduce((total, span) => total + (span.durationMs ?? 0), 0);
}

function statusOf(
  entry: Entry,
  session: Session,
  currentKey: string | null,
  currentIndex: number | null,
): SegmentStatus {
  const isCurrent = entry.key === currentKey;
  const ended = session.state === 'completed' || session.state === 'failed';
  const last = entry.spans[entry.spans.length - 1];
  if (last) {
    switch (last.status) {
      case 'completed':
        return 'done';
      case 'failed':
        return 'failed';
      case 'skipped':
        return 'skipped';
      case 'running':
        if (session.state === 'failed' && isCurrent) return 'failed';
        return ended ? 'done' : 'current';
    }
  }
  const completedNames = new Set(session.phasesCompleted.map(keyOf));
  if (completedNames.has(entry.key)) return 'done';
  if (isCurrent) {
    const outcome = statusOutcome(session.activity);
    if (outcome === 'failed' || session.state === 'failed') return 'failed';
    if (outcome === 'completed' || session.state === 'completed') return 'done';
    return 'current';
  }
  if (ended) return 'skipped';
  // A phase before the current one that never ran was skipped (Screenshot on a CLI tool).
  if (entry.index !== null && currentIndex !== null && entry.index < currentIndex) return 'skipped';
  return 'upcoming';
}

/** The session's phase pipeline, in order, each phase with its status and time spent. */
export function phasePipeline(session: Session): PipelineSegment[] {
  const ordered = orderEntries(seenEntries(session));
  const currentKey = session.currentPhase === null ? null : keyOf(session.currentPhase);
  const current = ordered.find((entry) => entry.key === currentKey);
  const currentIndex = current?.index ?? session.phaseIndex;
  return ordered.map((entry): PipelineSegment => {
    const first = entry.spans[0];
    const last = entry.spans[entry.spans.length - 1];
    return {
      name: entry.name,
      number: entry.number,
      status: statusOf(entry, session, currentKey, currentIndex),
      startedAt: first?.startedAt ?? null,
      endedAt: last?.endedAt ?? null,
      durationMs: sumDurations(entry.spans),
      canonical: entry.canonical,
    };
  });
}

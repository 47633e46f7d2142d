/**
 * @module
 * A session's phase pipeline as the dashboard cards draw it: the session's plan
 * (src/core/plan.ts) in the cards' words, each phase done, current, failed, upcoming,
 * skipped or blocked. Pure: it reads the plan and nothing else.
 */
import type { PlanStatus } from '../shared/protocol.js';
import type { PlannedPhase } from './planned-phase.js';

/** How a phase stands in this session. */
export type SegmentStatus = 'done' | 'current' | 'failed' | 'upcoming' | 'skipped' | 'blocked';

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
  /** Why it is blocked or skipped ("Test failed", "not run"). */
  reason: string | null;
}

const SEGMENT_STATUS: Readonly<Record<PlanStatus, SegmentStatus>> = {
  queued: 'upcoming',
  running: 'current',
  completed: 'done',
  failed: 'failed',
  skipped: 'skipped',
  blocked: 'blocked',
};

/** The session's phase pipeline, in order, each phase with its status and time spent. */
export function phasePipeline(plan: readonly PlannedPhase[]): PipelineSegment[] {
  return plan.map((phase) => ({
    name: phase.name,
    number: phase.number,
    status: SEGMENT_STATUS[phase.status],
    startedAt: phase.startedAt,
    endedAt: phase.endedAt,
    durationMs: phase.durationMs,
    canonical: phase.canonical,
    reason: phase.reason,
  }));
}

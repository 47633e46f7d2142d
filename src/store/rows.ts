/**
 * @module
 * Sessions to rows and back: the typed shape of the `sessions`, `phases` and `warnings` tables
 * (src/store/migrations.ts) turned into protocol values and the other way round.
 */
import type {
  PhaseSpan,
  PhaseStatus,
  Session,
  SessionSource,
  SessionState,
  SourceWarning,
} from '../shared/protocol.js';
import type { PhaseRow, SessionParams, SessionRow, WarningRow } from './migrations.js';
import { capRaw } from '../collector/raw-text.js';

export function toSessionParams(s: Session, raw: string | null | undefined): SessionParams {
  return {
    id: s.id,
    project: s.project,
    workdir: s.workdir,
    state: s.state,
    activity: s.activity,
    current_phase: s.currentPhase,
    phase_number: s.phaseNumber,
    phase_index: s.phaseIndex,
    phase_total: s.phaseTotal,
    progress_detail: s.progressDetail,
    progress_percent: s.progressPercent,
    test_iteration: s.testIteration,
    started_at: s.startedAt,
    updated_at: s.updatedAt,
    ended_at: s.endedAt,
    source: s.source,
    tokens_total: s.tokensTotal,
    cost_usd: s.costUsd,
    phases_completed: JSON.stringify(s.phasesCompleted),
    raw: raw === undefined || raw === null ? null : capRaw(raw),
    keep_raw: raw === undefined ? 1 : 0,
  };
}

export function toPhaseRow(sessionId: string, position: number, p: PhaseSpan): PhaseRow {
  return {
    session_id: sessionId,
    position,
    name: p.name,
    number: p.number,
    idx: p.index,
    status: p.status,
    started_at: p.startedAt,
    ended_at: p.endedAt,
    clock: p.clock,
  };
}

export function toSession(row: SessionRow, phases: PhaseSpan[], warnings: SourceWarning[]): Session {
  return {
    id: row.id,
    project: row.project,
    workdir: row.workdir,
    // The store only ever holds what it was given as typed values, so these casts are safe.
    state: row.state as SessionState,
    activity: row.activity,
    currentPhase: row.current_phase,
    phaseNumber: row.phase_number,
    phaseIndex: row.phase_index,
    phaseTotal: row.phase_total,
    phasesCompleted: parseNames(row.phases_completed),
    progressDetail: row.progress_detail,
    progressPercent: row.progress_percent,
    testIteration: row.test_iteration,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    source: row.source as SessionSource,
    phases,
    warnings,
    tokensTotal: row.tokens_total,
    costUsd: row.cost_usd,
  };
}

export function toPhaseSpan(row: PhaseRow): PhaseSpan {
  return {
    name: row.name,
    number: row.number,
    index: row.idx,
    status: row.status as PhaseStatus,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: durationBetween(row.started_at, row.ended_at),
    clock: row.clock === 'build' ? 'build' : 'receipt',
  };
}

export function toWarning({ file, reason, at }: WarningRow): SourceWarning {
  return { file, reason, at };
}

/** Milliseconds from start to end; null when either is unknown or the clock went backwards. */
function durationBetween(start: string | null, end: string | null): number | null {
  if (start === null || end === null) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

function parseNames(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    // A damaged cell must not stop every other session from coming back after a restart.
    return [];
  }
}

export function groupBySession<R extends { session_id: string }, T>(
  rows: Iterable<R>,
  map: (row: R) => T,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.session_id);
    if (list) list.push(map(row));
    else groups.set(row.session_id, [map(row)]);
  }
  return groups;
}

/**
 * @module
 * The figures of one run that history, comparison and forecasts all read, each defined once:
 * how long a run took, how many test iterations it needed, its phases keyed so that runs line up
 * phase by phase, and the median and range of a set of figures. Pure.
 */
import type { PhaseSpan, Session } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import { canonicalPhase, phaseKey } from './phases.js';

/** A finished run's length, end minus start; null while it runs or when a time is unreadable. */
export function runDurationMs(session: Pick<Session, 'startedAt' | 'endedAt'>): number | null {
  if (session.endedAt === null) return null;
  const ms = Date.parse(session.endedAt) - Date.parse(session.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** Test iterations a run went through (the build's own count); 0 when it never reported one. */
export function testIterationsOf(session: Pick<Session, 'testIteration'>): number {
  return session.testIteration ?? 0;
}

/**
 * The key runs are aligned on, phase by phase (SPEC 5 Compare): Context Foundry's own name for
 * a phase it knows ("testing" and "Test" are one phase), the spelling-blind key otherwise.
 */
export function alignKey(name: string): string {
  const canonical = canonicalPhase(name);
  return canonical ? `cf:${phaseKey(canonical.name)}` : phaseKey(name) || name;
}

/** What a run did in one phase; a phase run twice (a retry) counts once, its times added up. */
export interface PhaseFigure {
  key: string;
  /** The name as shown: Context Foundry's spelling for its phases, the build's otherwise. */
  name: string;
  /** Summed over the spans whose duration is known; null when none is. */
  durationMs: number | null;
  /** Summed over the spans; null when the run has no token counts at all. */
  tokensTotal: number | null;
  /** Summed; null without token counts, or when a model in the phase has no price. */
  costUsd: number | null;
  testIterations: number;
  /** The last span's status ("completed", "running"). */
  status: PhaseSpan['status'];
  /** When its last span ended; null while it runs. */
  endedAt: string | null;
}

const shownName = (name: string): string => canonicalPhase(name)?.name ?? name;

/** Token counts by phase, added up by alignment key (a retried phase has several rows). */
function tokensByKey(metrics: SessionMetrics | null): Map<string, { total: number; cost: number | null }> {
  const out = new Map<string, { total: number; cost: number | null }>();
  for (const row of metrics?.tokens.byPhase ?? []) {
    if (row.phase === null) continue;
    const key = alignKey(row.phase);
    const known = out.get(key) ?? { total: 0, cost: 0 };
    known.total += row.total;
    known.cost = known.cost === null || row.costUsd === null ? null : known.cost + row.costUsd;
    out.set(key, known);
  }
  return out;
}

/** Whether the run has any real token counts (else its per-phase tokens are unknown, not zero). */
export function hasTokens(metrics: SessionMetrics | null): boolean {
  return metrics !== null && metrics.tokens.requests > 0;
}

/**
 * A run's phases in the order it ran them, one figure per alignment key. The test iterations
 * belong to the Test phase, the one phase that runs them (SPEC 1.4).
 */
export function phaseFigures(session: Session, metrics: SessionMetrics | null): PhaseFigure[] {
  const tokens = tokensByKey(metrics);
  const counted = hasTokens(metrics);
  const byKey = new Map<string, PhaseFigure>();
  for (const span of session.phases) {
    const key = alignKey(span.name);
    const figure = byKey.get(key);
    if (!figure) {
      const used = tokens.get(key);
      byKey.set(key, {
        key,
        name: shownName(span.name),
        durationMs: span.durationMs,
        tokensTotal: counted ? (used?.total ?? 0) : null,
        costUsd: counted ? (used ? used.cost : 0) : null,
        testIterations: key === alignKey('Test') ? testIterationsOf(session) : 0,
        status: span.status,
        endedAt: span.endedAt,
      });
      continue;
    }
    if (span.durationMs !== null) figure.durationMs = (figure.durationMs ?? 0) + span.durationMs;
    figure.status = span.status;
    figure.endedAt = span.endedAt;
  }
  return [...byKey.values()];
}

/**
 * One order for the phases of several runs: each phase where it first appears, a phase a later
 * run adds placed right after the phase that run did before it.
 */
export function mergePhaseOrder(runs: readonly (readonly { key: string; name: string }[])[]): {
  key: string;
  name: string;
}[] {
  const merged: { key: string; name: string }[] = [];
  const seen = new Set<string>();
  for (const phases of runs) {
    let after = -1;
    for (const phase of phases) {
      if (seen.has(phase.key)) {
        after = merged.findIndex((known) => known.key === phase.key);
        continue;
      }
      seen.add(phase.key);
      merged.splice(after + 1, 0, { key: phase.key, name: phase.name });
      after += 1;
    }
  }
  return merged;
}

/** The median and range of a set of figures. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many figures it is made of. */
  count: number;
}

/** Median (the mean of the middle two for an even count), least and most; null for none. */
export function spreadOf(values: readonly (number | null)[]): Spread | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = known.length >> 1;
  const median = known.length % 2 === 1 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
  return { median, min: known[0]!, max: known[known.length - 1]!, count: known.length };
}

/**
 * @module
 * Runs of known shape for the history tests: each phase with its minutes, tokens and dollars, laid
 * end to end from the run's start, and metrics whose by-phase figures and one-minute series (each
 * phase's tokens in its last minute) say exactly that.
 */
import type { PhaseSpan, Session } from '../../src/shared/protocol.js';
import type { SessionMetrics, TokenPoint } from '../../src/shared/metrics.js';
import { makeSession } from '../render/fixtures.js';

const MINUTE = 60_000;

/** One phase: name, minutes, tokens, dollars (null: unpriced). */
export type PhaseSpec = [name: string, minutes: number, tokens: number, costUsd: number | null];

export interface RunSpec {
  id: string;
  project?: string;
  startedAt: string;
  phases: PhaseSpec[];
  testIteration?: number | null;
  /** The last phase still running (no end, no duration). */
  running?: boolean;
  state?: Session['state'];
}

export interface BuiltRun {
  session: Session;
  metrics: SessionMetrics;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function buildRun(spec: RunSpec): BuiltRun {
  const start = Date.parse(spec.startedAt);
  let at = start;
  const phases: PhaseSpan[] = spec.phases.map(([name, minutes], i) => {
    const from = at;
    at += minutes * MINUTE;
    const open = spec.running === true && i === spec.phases.length - 1;
    return {
      name,
      number: null,
      index: null,
      status: open ? 'running' : 'completed',
      startedAt: iso(from),
      endedAt: open ? null : iso(at),
      durationMs: open ? null : minutes * MINUTE,
      clock: 'build',
    };
  });
  const tokens = spec.phases.reduce((sum, [, , n]) => sum + n, 0);
  const costs = spec.phases.map(([, , , cost]) => cost);
  const cost = costs.includes(null) ? null : Math.round(costs.reduce((a, b) => a! + b!, 0)! * 1e10) / 1e10;
  const running = spec.running === true;
  const session = makeSession({
    id: spec.id,
    project: spec.project ?? 'weather-app',
    state: spec.state ?? (running ? 'running' : 'completed'),
    startedAt: iso(start),
    updatedAt: iso(at),
    endedAt: running ? null : iso(at),
    currentPhase: spec.phases.at(-1)?.[0] ?? null,
    phases,
    testIteration: spec.testIteration ?? null,
    tokensTotal: spec.phases.length > 0 ? tokens : null,
    costUsd: spec.phases.length > 0 ? cost : null,
  });
  let end = start;
  const series: TokenPoint[] = spec.phases.map(([, minutes, n]) => {
    end += minutes * MINUTE;
    return { at: iso(end - MINUTE), input: n, output: 0, cacheRead: 0, cacheWrite: 0 };
  });
  const metrics: SessionMetrics = {
    sessionId: spec.id,
    tokens: {
      input: tokens,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      total: tokens,
      costUsd: cost,
      requests: spec.phases.length,
      byPhase: spec.phases.map(([phase, , n, c]) => ({
        phase,
        input: n,
        output: 0,
        cacheRead: 0,
        cacheWrite: 0,
        total: n,
        costUsd: c,
        requests: 1,
      })),
      byModel: [],
      series,
      bucketMs: MINUTE,
      subagent: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0, costUsd: 0, requests: 0 },
    },
    context: { usedTokens: null, limit: null, percent: null, level: null, model: null },
    tests: { iterations: [], current: spec.testIteration ?? null, stuck: [] },
  };
  return { session, metrics };
}

/** The baseline: 120 minutes, 11,000 tokens, $1.10, three test iterations. */
export const RUN_A: RunSpec = {
  id: 'weather-app-20261110T100000Z',
  startedAt: '2026-11-10T10:00:00Z',
  testIteration: 3,
  phases: [
    ['Scout', 10, 1_000, 0.1],
    ['Architect', 20, 2_000, 0.2],
    ['Builder', 40, 4_000, 0.4],
    ['Test', 30, 3_000, 0.3],
    ['Documentation', 10, 500, 0.05],
    ['Feedback', 10, 500, 0.05],
  ],
};

/** 83 minutes (31 % sooner), 8,400 tokens, $0.858 (22 % less), two test iterations. */
export const RUN_B: RunSpec = {
  id: 'weather-app-20261112T100000Z',
  startedAt: '2026-11-12T10:00:00Z',
  testIteration: 2,
  phases: [
    ['Scout', 8, 900, 0.08],
    ['Architect', 15, 1_500, 0.15],
    ['Builder', 30, 3_200, 0.32],
    ['Test', 15, 2_000, 0.2],
    ['Documentation', 8, 400, 0.04],
    ['Feedback', 7, 400, 0.068],
  ],
};

/** 140 minutes with a Screenshot phase the others lack, four test iterations. */
export const RUN_C: RunSpec = {
  id: 'weather-app-20261114T100000Z',
  startedAt: '2026-11-14T10:00:00Z',
  testIteration: 4,
  phases: [
    ['Scout', 12, 1_100, 0.11],
    ['Architect', 18, 1_800, 0.18],
    ['Builder', 50, 5_000, 0.5],
    ['Test', 40, 4_000, 0.4],
    ['Screenshot', 5, 300, 0.03],
    ['Documentation', 10, 600, 0.06],
    ['Feedback', 5, 200, 0.02],
  ],
};

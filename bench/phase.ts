/**
 * @module
 * The phase files and push bodies the benchmark writes: realistic Context Foundry content
 * (about 400 bytes) with a unique marker in `progress_detail`, so each frame a client gets
 * can be matched to the write that caused it.
 */

/** The fixed start time of every benchmark build (one session per project). */
export const BENCH_STARTED_AT = '2026-11-20T14:02:11Z';

/** `2026-11-20T14:02:11Z` → `20261120T140211Z`, the time part of a session id. */
export function compactTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The project name of benchmark build `index`: already a slug, so its session id is predictable. */
export function projectName(index: number, prefix = 'bench'): string {
  return `${prefix}-${String(index).padStart(5, '0')}`;
}

/** The session id buildcast gives a project started at `startedAt` (SPEC 1.1 identity). */
export function sessionIdOf(project: string, startedAt = BENCH_STARTED_AT): string {
  return `${project}-${compactTime(startedAt)}`;
}

export interface PhaseContent {
  project: string;
  /** Goes into `progress_detail`; unique per write. */
  marker: string;
  startedAt?: string;
  /** Which of a few realistic shapes: running Test, completed build, failed build. */
  kind?: 'running' | 'completed' | 'failed';
  now?: Date;
}

/** One phase file / push body as Context Foundry writes it. */
export function phaseJson({
  project,
  marker,
  startedAt = BENCH_STARTED_AT,
  kind = 'running',
  now = new Date(),
}: PhaseContent): string {
  const last = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const base = {
    session_id: project,
    current_phase: 'Test',
    phase_number: '4/7',
    status: 'testing',
    progress_detail: marker,
    test_iteration: 2,
    phases_completed: ['Scout', 'Architect', 'Builder'],
    started_at: startedAt,
    last_updated: last,
    tasks_completed: 14,
    parallel_execution: { enabled: true, builders: 3 },
    timestamps: { phaseStart: startedAt, lastUpdated: last },
  };
  if (kind === 'completed') {
    return JSON.stringify({
      ...base,
      current_phase: 'Feedback',
      phase_number: '7/8',
      status: 'completed',
      phases_completed: ['Scout', 'Architect', 'Builder', 'Test', 'Documentation', 'Deploy', 'Feedback'],
    });
  }
  if (kind === 'failed') return JSON.stringify({ ...base, status: 'failed' });
  return JSON.stringify(base);
}

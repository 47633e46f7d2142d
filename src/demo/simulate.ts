/**
 * @module
 * Plays a simulated Context Foundry build into a folder, over time, writing exactly the files a
 * real build writes (SPEC 1.1, 1.4). Behind `buildcast demo` and `buildcast simulate --dir DIR`.
 * Every wait goes through the injected clock, so a test with a fake clock runs a build at once.
 */
import { mkdir, rm } from 'node:fs/promises';
import { systemClock } from '../shared/clock.js';
import type { Clock } from '../shared/clock.js';
import { MAX_TEST_ITERATIONS, planBuild } from './build-plan.js';
import type { PlanOptions } from './build-plan.js';
import {
  appendLines,
  buildPaths,
  isoSeconds,
  renderEvents,
  renderPhaseFile,
  renderSummary,
  renderTestResults,
  writeAtomic,
  writeDirect,
} from './build-files.js';
import type { TestRun } from './test-runs.js';

export { BUILD_PHASES, DEFAULT_PROJECT, PHASE_NAMES, planBuild } from './build-plan.js';
export type { BuildPlan, PhaseName, PlanOptions, PlannedStep, StepKind, TestRun } from './build-plan.js';

export interface SimulationOptions extends PlanOptions {
  /** The build's work directory; `.context-foundry/` and `logs/events/` are created inside. */
  dir: string;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Stops the simulation promptly; what was last written stays on disk. */
  signal?: AbortSignal;
  /** The build's `started_at`; defaults to the clock's now. */
  startedAt?: Date;
  /** Called after each file written (phase file and side files, not the event log), for logging. */
  onStep?: (step: SimulationStep) => void;
}

/** One file written by the simulation, in the build's words. */
export interface SimulationStep {
  phase: string;
  status: string;
  detail: string;
  /** Absolute path of the file just written. */
  file: string;
}

export interface SimulationResult {
  /** Updates of the phase file written. */
  steps: number;
  /** True only when the build ran to its end and completed (not aborted, not failed). */
  completed: boolean;
  outcome: 'completed' | 'failed' | 'aborted';
}

/**
 * Runs the build described by {@link planBuild} into `options.dir`. The first update is written at
 * once; the build then takes about three minutes divided by `speed`. Resolves when the build ends
 * or is aborted; rejects with a RangeError for bad options, or with the file system's error when a
 * file cannot be written.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const plan = planBuild(options);
  const clock = options.clock ?? systemClock;
  const { signal, onStep } = options;
  const startedAtMs = options.startedAt?.getTime() ?? clock.now();
  const startedAt = isoSeconds(startedAtMs);
  const paths = buildPaths(options.dir, plan.project);

  await mkdir(paths.stateDir, { recursive: true });
  await clearPreviousRun(paths);

  // The system clock's timers are unref'd; without this a `simulate` process with nothing else to
  // do would exit between two steps.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  let written = 0;
  let sequence = 1;
  let lastRun: TestRun | undefined;
  try {
    for (const step of plan.steps) {
      if (step.delayMs > 0 && !(await sleep(clock, step.delayMs, signal))) break;
      if (signal?.aborted) break;
      const nowMs = clock.now();
      const now = isoSeconds(nowMs);
      const report = (file: string): void =>
        onStep?.({ phase: step.phase, status: step.status, detail: step.detail, file });

      if (step.startsIteration !== undefined) {
        await writeDirect(paths.iterationCount, `${step.startsIteration}\n`);
        report(paths.iterationCount);
      }
      if (step.testRun) {
        lastRun = step.testRun;
        const file = paths.testResults(step.testRun.iteration);
        await writeDirect(file, renderTestResults(plan.project, step.testRun, now));
        report(file);
      }

      const phaseText = renderPhaseFile(plan.project, step, startedAt, now);
      await (step.write === 'atomic' ? writeAtomic : writeDirect)(paths.phaseFile, phaseText);
      written++;
      report(paths.phaseFile);

      const events = renderEvents(plan.project, step, now, sequence);
      sequence += events.length;
      await appendLines(paths.events, events.map((line) => `${line}\n`).join(''));

      if (step.outcome === 'completed') {
        const summary = renderSummary({
          project: plan.project,
          phasesCompleted: step.phasesCompleted,
          lastRun,
          testIterations: step.testIteration,
          startedAtMs,
          nowMs,
        });
        await writeAtomic(paths.summary, summary);
        report(paths.summary);
      }
      if (step.outcome)
        return { steps: written, completed: step.outcome === 'completed', outcome: step.outcome };
    }
  } finally {
    clearInterval(keepAlive);
  }
  return { steps: written, completed: false, outcome: 'aborted' };
}

/**
 * A run in a folder that held an earlier one must not start out looking finished: a leftover
 * `session-summary.json` would mark the new session completed at its first update.
 */
async function clearPreviousRun(paths: ReturnType<typeof buildPaths>): Promise<void> {
  const stale = [paths.summary, paths.iterationCount, paths.events];
  for (let n = 1; n <= MAX_TEST_ITERATIONS; n++) stale.push(paths.testResults(n));
  await Promise.all(stale.map((file) => rm(file, { force: true })));
}

/** Waits `ms` on `clock`; resolves false at once when `signal` aborts first. */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

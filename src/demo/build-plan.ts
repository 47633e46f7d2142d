/**
 * @module
 * The script of a simulated Context Foundry build, as pure data: every update of the phase file in
 * order, the wait before it and the side files it brings (SPEC 1.1, 1.4). Tests check its shape
 * without waiting; the runner in `simulate.ts` only plays it.
 */
import { BUILD_PHASES } from './story.js';
import type { PhaseLine, PhaseName, Story } from './story.js';
import { WEATHER_APP } from './story-weather-app.js';
import { testRunFor } from './test-runs.js';
import type { TestRun } from './test-runs.js';

export { BUILD_PHASES } from './story.js';
export type { PhaseName, Story } from './story.js';
export type { TestRun, TestCaseResult } from './test-runs.js';

/** Names accepted by `failAt`. */
export const PHASE_NAMES: readonly PhaseName[] = BUILD_PHASES.map((phase) => phase.name);

/** The project (`session_id`) a simulation uses unless told otherwise. */
export const DEFAULT_PROJECT = WEATHER_APP.project;

/** Context Foundry gives the test-fix loop this many tries before it gives up. */
export const MAX_TEST_ITERATIONS = 3;

/** What a step is, in the build's terms; it decides the side files and the event type. */
export type StepKind = 'start' | 'progress' | 'iteration-start' | 'iteration-result' | 'end' | 'failed';

/** One update of the phase file, with everything the runner needs to write it. */
export interface PlannedStep {
  kind: StepKind;
  /** Wait before this step, in milliseconds, already scaled by speed; 0 for the first step. */
  delayMs: number;
  /** This step's offset from the start of the build, in milliseconds. */
  atMs: number;
  phase: PhaseName;
  phaseNumber: string;
  status: string;
  detail: string;
  testIteration: number;
  phasesCompleted: readonly PhaseName[];
  /**
   * How the phase file is written: `atomic` (temp file and rename, as careful tools do) or
   * `direct` (truncate and write in place, as a shell heredoc does).
   */
  write: 'atomic' | 'direct';
  /** Set on the step that starts a test iteration: `test-iteration-count.txt` is rewritten first. */
  startsIteration?: number;
  /** Set on the step that reports a test iteration: `test-results-iteration-<N>.md` is written first. */
  testRun?: TestRun;
  /** Set on the last step: how the build ended. */
  outcome?: 'completed' | 'failed';
}

/** The options that shape a plan; {@link SimulationOptions} adds where and when it runs. */
export interface PlanOptions {
  /** `session_id`; letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
  project?: string;
  /** Time multiplier: 1 plays a build in about three minutes, 10 in about eighteen seconds. */
  speed?: number;
  /** A phase (case-insensitive) that fails instead of completing. */
  failAt?: string;
  /** What the build is about; the weather app unless told otherwise. */
  story?: Story;
}

export interface BuildPlan {
  project: string;
  story: Story;
  speed: number;
  steps: PlannedStep[];
  /** Offset of the last step, in milliseconds. */
  totalMs: number;
  outcome: 'completed' | 'failed';
  /** Tests in the suite the Test phase runs. */
  totalTests: number;
}

/** Seconds at speed 1 before each test iteration starts, reports, and (when it fails) is fixed. */
const TEST_LOOP_SECONDS = [
  { start: 2, result: 8, fix: 7 },
  { start: 5, result: 7, fix: 3 },
  { start: 3, result: 7, fix: 0 },
] as const;

const PROJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The whole build as a list of steps. Pure: the same options always give the same plan.
 * Throws a RangeError for a speed that is not a positive number, a project name that is not
 * safe as a folder name, or a `failAt` that names no phase.
 */
export function planBuild(options: PlanOptions = {}): BuildPlan {
  const story = options.story ?? WEATHER_APP;
  const project = options.project ?? story.project;
  const speed = options.speed ?? 1;
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new RangeError(`speed must be a positive number, got ${String(speed)}`);
  }
  // The project becomes a folder name under logs/events/, so it must not climb out of it.
  if (!PROJECT_PATTERN.test(project)) {
    throw new RangeError(`project must be letters, digits, ".", "_" or "-", got ${JSON.stringify(project)}`);
  }
  const failAt = options.failAt === undefined ? undefined : findPhase(options.failAt);

  const steps: PlannedStep[] = [];
  const completed: PhaseName[] = [];
  let atMs = 0;
  let iteration = 0;
  const add = (
    phase: (typeof BUILD_PHASES)[number],
    [seconds, status, detail]: PhaseLine,
    kind: StepKind,
    extra: Partial<PlannedStep> = {},
  ): void => {
    const delayMs = steps.length === 0 ? 0 : Math.round((seconds * 1000) / speed);
    atMs += delayMs;
    steps.push({
      kind,
      delayMs,
      atMs,
      phase: phase.name,
      phaseNumber: phase.number,
      status,
      detail,
      testIteration: iteration,
      phasesCompleted: [...completed],
      // A heredoc rewrites the file in place; progress notes within a phase are written that way.
      write: kind === 'progress' ? 'direct' : 'atomic',
      ...extra,
    });
  };

  for (const phase of BUILD_PHASES) {
    const fails = failAt === phase.name;
    if (phase.name === 'Test') {
      // The test-fix loop: each iteration starts, reports, and either passes or self-heals.
      for (let n = 1; n <= MAX_TEST_ITERATIONS; n++) {
        const wait = TEST_LOOP_SECONDS[n - 1] ?? TEST_LOOP_SECONDS[0];
        iteration = n;
        add(
          phase,
          [wait.start, 'testing', `Running unit tests (iteration ${n})`],
          n === 1 ? 'start' : 'iteration-start',
          {
            startsIteration: n,
          },
        );
        const run = testRunFor(n, fails, story);
        const counts = `${run.passed} passed, ${run.failed} failed`;
        if (run.failed === 0) {
          completed.push(phase.name);
          add(phase, [wait.result, 'completed', `${counts} (iteration ${n})`], 'end', { testRun: run });
          break;
        }
        if (n === MAX_TEST_ITERATIONS) {
          const detail = `Tests still failing after ${n} iterations: ${counts}`;
          add(phase, [wait.result, 'failed', detail], 'failed', { testRun: run, outcome: 'failed' });
          return finish(project, story, speed, steps, 'failed');
        }
        const fixing = `${counts}: fixing ${run.failed} ${run.failed === 1 ? 'failure' : 'failures'}`;
        add(phase, [wait.result, 'self-healing', fixing], 'iteration-result', { testRun: run });
        add(phase, [wait.fix, 'self-healing', run.fixNote], 'progress');
      }
      continue;
    }

    const script = story.phases[phase.name];
    add(phase, script.start, 'start');
    if (fails) {
      // Fail part-way: after the first progress note, where a real phase would trip.
      const first = script.progress[0];
      if (first) add(phase, first, 'progress');
      add(phase, [script.end[0], 'failed', script.failure], 'failed', { outcome: 'failed' });
      return finish(project, story, speed, steps, 'failed');
    }
    for (const line of script.progress) add(phase, line, 'progress');
    completed.push(phase.name);
    add(phase, script.end, 'end', phase.name === 'Feedback' ? { outcome: 'completed' } : {});
  }
  return finish(project, story, speed, steps, 'completed');
}

function finish(
  project: string,
  story: Story,
  speed: number,
  steps: PlannedStep[],
  outcome: 'completed' | 'failed',
): BuildPlan {
  const totalMs = steps.at(-1)?.atMs ?? 0;
  return { project, story, speed, steps, totalMs, outcome, totalTests: story.suite.length };
}

function findPhase(name: string): PhaseName {
  const wanted = name.trim().toLowerCase();
  const phase = PHASE_NAMES.find((candidate) => candidate.toLowerCase() === wanted);
  if (!phase) {
    throw new RangeError(`failAt must be one of ${PHASE_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return phase;
}

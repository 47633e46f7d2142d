/**
 * @module
 * The script of a simulated Context Foundry build, as pure data: every update of the phase file in
 * order, the wait before it and the side files it brings (SPEC 1.1, 1.4). Tests check its shape
 * without waiting; the runner in `simulate.ts` only plays it.
 */
import { TEST_CASE_COUNT, testRunFor } from './test-runs.js';
import type { TestRun } from './test-runs.js';

export type { TestRun, TestCaseResult } from './test-runs.js';

/** The phases a Context Foundry build runs, in order, with the numbers it writes for them. */
export const BUILD_PHASES = [
  { name: 'Scout', number: '1/7' },
  { name: 'Architect', number: '2/7' },
  { name: 'Builder', number: '3/7' },
  { name: 'Test', number: '4/7' },
  { name: 'Screenshot', number: '4.5/8' },
  { name: 'Documentation', number: '5/8' },
  { name: 'Deploy', number: '6/8' },
  { name: 'Feedback', number: '7/8' },
] as const;

export type PhaseName = (typeof BUILD_PHASES)[number]['name'];

/** Names accepted by `failAt`. */
export const PHASE_NAMES: readonly PhaseName[] = BUILD_PHASES.map((phase) => phase.name);

/** The project (`session_id`) a simulation uses unless told otherwise. */
export const DEFAULT_PROJECT = 'weather-app';

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
}

export interface BuildPlan {
  project: string;
  speed: number;
  steps: PlannedStep[];
  /** Offset of the last step, in milliseconds. */
  totalMs: number;
  outcome: 'completed' | 'failed';
  /** Tests in the suite the Test phase runs. */
  totalTests: number;
}

/** [seconds before it at speed 1, status, progress detail] */
type Line = readonly [number, string, string];

interface PhaseScript {
  start: Line;
  progress: readonly Line[];
  end: Line;
  /** The progress detail written when this phase is made to fail. */
  failure: string;
}

// Relative durations follow a real small build: Builder and the test-fix loop dominate, Scout is
// quick so a newcomer sees a phase finish within the first twenty seconds.
const SCRIPTS: Record<Exclude<PhaseName, 'Test'>, PhaseScript> = {
  Scout: {
    start: [0, 'researching', 'Reading the task and researching weather APIs'],
    progress: [
      [6, 'researching', 'Comparing the Open-Meteo and OpenWeatherMap APIs'],
      [6, 'researching', 'Writing scout-report.md'],
    ],
    end: [4, 'completed', 'Scout report written'],
    failure: 'Scout failed: the task names no city source and the weather API is unreachable',
  },
  Architect: {
    start: [2, 'designing', 'Designing the architecture'],
    progress: [
      [8, 'designing', 'Choosing the stack: Vite, TypeScript and Vitest'],
      [8, 'planning', 'Splitting the work into 6 build tasks (build-tasks.json)'],
    ],
    end: [6, 'completed', 'architecture.md and 6 build tasks ready'],
    failure: 'Architect failed: architecture.md was not written',
  },
  Builder: {
    start: [2, 'implementing', 'Starting 3 parallel builders for 6 tasks'],
    progress: [
      [10, 'implementing', 'Task 2/6: forecast API client (src/api/forecast.ts)'],
      [10, 'implementing', 'Task 4/6: search bar and forecast cards'],
      [10, 'implementing', 'Task 6/6: caching and unit settings'],
      [10, 'building', 'Installing dependencies and running npm run build'],
    ],
    end: [8, 'completed', '6 of 6 tasks done, build succeeded'],
    failure: 'Builder failed: npm run build reported 4 type errors in src/api/forecast.ts',
  },
  Screenshot: {
    start: [2, 'capturing', 'Starting the dev server and capturing screenshots'],
    progress: [[5, 'capturing', 'Captured 3 of 4 screenshots']],
    end: [3, 'completed', '4 screenshots saved to docs/screenshots'],
    failure: 'Screenshot failed: the dev server did not start on port 5173',
  },
  Documentation: {
    start: [2, 'documenting', 'Writing README.md'],
    progress: [[7, 'documenting', 'Writing docs/USAGE.md with screenshots']],
    end: [5, 'completed', 'README and usage guide written'],
    failure: 'Documentation failed: README.md could not be written',
  },
  Deploy: {
    start: [2, 'deploying', 'Creating the GitHub repository'],
    progress: [[6, 'configuring', 'Pushing 24 files to main']],
    end: [6, 'completed', 'Pushed to origin/main'],
    failure: 'Deploy failed: git push was rejected (authentication required)',
  },
  Feedback: {
    start: [2, 'analyzing', 'Reviewing the build against the task'],
    progress: [],
    end: [8, 'completed', 'Build complete: feedback written, ready to ship'],
    failure: 'Feedback failed: feedback.md was not written',
  },
};

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
  const project = options.project ?? DEFAULT_PROJECT;
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
    [seconds, status, detail]: Line,
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
        const run = testRunFor(n, fails);
        const counts = `${run.passed} passed, ${run.failed} failed`;
        if (run.failed === 0) {
          completed.push(phase.name);
          add(phase, [wait.result, 'completed', `${counts} (iteration ${n})`], 'end', { testRun: run });
          break;
        }
        if (n === MAX_TEST_ITERATIONS) {
          const detail = `Tests still failing after ${n} iterations: ${counts}`;
          add(phase, [wait.result, 'failed', detail], 'failed', { testRun: run, outcome: 'failed' });
          return finish(project, speed, steps, 'failed');
        }
        const fixing = `${counts}: fixing ${run.failed} ${run.failed === 1 ? 'failure' : 'failures'}`;
        add(phase, [wait.result, 'self-healing', fixing], 'iteration-result', { testRun: run });
        add(phase, [wait.fix, 'self-healing', run.fixNote], 'progress');
      }
      continue;
    }

    const script = SCRIPTS[phase.name];
    add(phase, script.start, 'start');
    if (fails) {
      // Fail part-way: after the first progress note, where a real phase would trip.
      const first = script.progress[0];
      if (first) add(phase, first, 'progress');
      add(phase, [script.end[0], 'failed', script.failure], 'failed', { outcome: 'failed' });
      return finish(project, speed, steps, 'failed');
    }
    for (const line of script.progress) add(phase, line, 'progress');
    completed.push(phase.name);
    add(phase, script.end, 'end', phase.name === 'Feedback' ? { outcome: 'completed' } : {});
  }
  return finish(project, speed, steps, 'completed');
}

function finish(
  project: string,
  speed: number,
  steps: PlannedStep[],
  outcome: 'completed' | 'failed',
): BuildPlan {
  const totalMs = steps.at(-1)?.atMs ?? 0;
  return { project, speed, steps, totalMs, outcome, totalTests: TEST_CASE_COUNT };
}

function findPhase(name: string): PhaseName {
  const wanted = name.trim().toLowerCase();
  const phase = PHASE_NAMES.find((candidate) => candidate.toLowerCase() === wanted);
  if (!phase) {
    throw new RangeError(`failAt must be one of ${PHASE_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return phase;
}

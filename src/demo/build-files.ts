/**
 * @module
 * The files a Context Foundry build leaves in its work directory (SPEC 1.1, 1.4), rendered from a
 * planned step, and the two ways a build writes them: atomically and in place.
 */
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PhaseName, PlannedStep, StepKind } from './build-plan.js';
import type { TaskState } from './activity.js';
import type { TestRun } from './test-runs.js';

/** Where each file lives inside the build's work directory. */
export interface BuildPaths {
  stateDir: string;
  phaseFile: string;
  iterationCount: string;
  summary: string;
  events: string;
  /** The Architect's parallel tasks, updated as the builders work. */
  buildTasks: string;
  testResults(iteration: number): string;
}

/** The paths of a build in `dir` for the project `project`. */
export function buildPaths(dir: string, project: string): BuildPaths {
  const stateDir = join(dir, '.context-foundry');
  return {
    stateDir,
    phaseFile: join(stateDir, 'current-phase.json'),
    iterationCount: join(stateDir, 'test-iteration-count.txt'),
    summary: join(stateDir, 'session-summary.json'),
    events: join(dir, 'logs', 'events', project, 'events.jsonl'),
    buildTasks: join(stateDir, 'build-tasks.json'),
    testResults: (iteration) => join(stateDir, `test-results-iteration-${iteration}.md`),
  };
}

/** ISO 8601 at whole seconds with `Z`, the way the build's shell `date -u` prints it. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** When the current phase started and (once it has) ended, and when the file was written. */
export interface PhaseTimes {
  phaseStartMs: number;
  phaseEndMs: number | null;
  nowMs: number;
}

/**
 * The phase file in its canonical snake_case form (SPEC 1.1), with Context Foundry's nested
 * `timestamps` to the millisecond: a reader takes each phase's span from the build's own clock
 * rather than from when it happened to see the file, so requests made early in a phase count
 * for it even when the file's first version was read late.
 */
export function renderPhaseFile(
  project: string,
  step: PlannedStep,
  startedAt: string,
  times: PhaseTimes,
): string {
  const body = {
    session_id: project,
    current_phase: step.phase,
    phase_number: step.phaseNumber,
    status: step.status,
    progress_detail: step.detail,
    test_iteration: step.testIteration,
    phases_completed: step.phasesCompleted,
    started_at: startedAt,
    last_updated: isoSeconds(times.nowMs),
    timestamps: {
      phaseStart: new Date(times.phaseStartMs).toISOString(),
      ...(times.phaseEndMs === null ? {} : { phaseEnd: new Date(times.phaseEndMs).toISOString() }),
      lastUpdated: new Date(times.nowMs).toISOString(),
    },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** `test-results-iteration-<N>.md`: one ✓/✗ line per test and a summary line (SPEC 1.4). */
export function renderTestResults(project: string, run: TestRun, now: string): string {
  const lines = run.results.map((result) =>
    result.ok ? `- ✓ ${result.name}` : `- ✗ ${result.name}: ${result.reason ?? ''}`.trimEnd(),
  );
  return [
    `# Test results: iteration ${run.iteration}`,
    '',
    `Project: ${project}  `,
    'Command: `npm test`  ',
    `Run at: ${now}`,
    '',
    '## Tests',
    '',
    ...lines,
    '',
    '## Summary',
    '',
    `${run.passed} passed, ${run.failed} failed`,
    '',
  ].join('\n');
}

/** What `session-summary.json` reports about a finished build. */
export interface SummaryFacts {
  project: string;
  phasesCompleted: readonly PhaseName[];
  lastRun: TestRun | undefined;
  testIterations: number;
  startedAtMs: number;
  nowMs: number;
  /** Paths the build created and changed, as Context Foundry lists them. */
  filesCreated: readonly string[];
  filesModified: readonly string[];
}

/** `session-summary.json` (SPEC 1.4); written only when the build completes. */
export function renderSummary(facts: SummaryFacts): string {
  const total = facts.lastRun ? facts.lastRun.passed + facts.lastRun.failed : 0;
  const passing = facts.lastRun?.passed ?? 0;
  const body = {
    session_id: facts.project,
    status: 'completed',
    phases_completed: facts.phasesCompleted,
    files_created: facts.filesCreated,
    files_modified: facts.filesModified,
    tests_passed: total > 0 && passing === total,
    test_iterations: facts.testIterations,
    test_pass_rate: total > 0 ? Math.round((passing / total) * 1000) / 10 : 0,
    total_tests: total,
    tests_passing: passing,
    tests_failing: total - passing,
    duration_minutes: Math.round((facts.nowMs - facts.startedAtMs) / 6000) / 10,
    completed_at: isoSeconds(facts.nowMs),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** `build-tasks.json`: the Architect's parallel tasks and where each one stands (SPEC 1.4). */
export function renderBuildTasks(tasks: readonly TaskState[]): string {
  const body = {
    tasks: tasks.map((task) => ({
      id: task.id,
      name: task.name,
      status: task.status,
      depends_on: task.dependsOn,
      agent: task.agent,
      files: task.files,
      ...(task.error === null ? {} : { error: task.error }),
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const EVENT_TYPES: Record<StepKind, string> = {
  start: 'phase_change',
  progress: 'log_line',
  'iteration-start': 'iteration_start',
  'iteration-result': 'iteration_complete',
  end: 'phase_change',
  failed: 'error',
};

/** The JSON lines a step adds to `events.jsonl` (SPEC 1.4), numbered from `sequence`. */
export function renderEvents(project: string, step: PlannedStep, now: string, sequence: number): string[] {
  const data = {
    phase: step.phase,
    phase_number: step.phaseNumber,
    status: step.status,
    detail: step.detail,
    test_iteration: step.testIteration,
  };
  const types = [EVENT_TYPES[step.kind]];
  // The step that starts the Test phase starts iteration 1, and the one that ends it reports the
  // last iteration: both carry two events.
  if (step.testRun && step.kind !== 'iteration-result') types.unshift('iteration_complete');
  if (step.startsIteration !== undefined && step.kind !== 'iteration-start') types.push('iteration_start');
  if (step.outcome === 'completed') types.push('completion');
  return types.map((type, offset) =>
    JSON.stringify({ type, session_id: project, timestamp: now, sequence: sequence + offset, data }),
  );
}

let tempCounter = 0;

/** Writes through a temp file in the same folder and a rename, so a reader never sees half a file. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Truncates and writes in place, as `cat > file <<EOF` does: a watcher may see it mid-write. */
export async function writeDirect(path: string, text: string): Promise<void> {
  await writeFile(path, text, 'utf8');
}

/** Appends to a file, creating its folder first. */
export async function appendLines(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, text, 'utf8');
}

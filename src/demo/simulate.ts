/**
 * @module
 * Plays a simulated Context Foundry build into a folder, over time, writing exactly the files a
 * real build writes (SPEC 1.1, 1.4), its agents and output in the event log, and optionally the
 * same agents and output pushed to a server (SPEC 1.2, 1.7), and optionally the Claude Code
 * transcripts of its session (SPEC 1.5). Behind `buildcast demo` (through `demo.ts`) and
 * `buildcast simulate --dir DIR`. Every wait goes through the injected clock, so a test with a
 * fake clock runs a build at once.
 */
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { systemClock } from '../shared/clock.js';
import type { Clock } from '../shared/clock.js';
import type { Activity } from './activity.js';
import { agentUpdateBody, renderActivityEvent } from './activity-events.js';
import { MAX_TEST_ITERATIONS, planBuild } from './build-plan.js';
import type { PlanOptions, PlannedStep } from './build-plan.js';
import {
  appendLines,
  buildPaths,
  isoSeconds,
  renderBuildTasks,
  renderEvents,
  renderPhaseFile,
  renderSummary,
  renderTestResults,
  writeAtomic,
  writeDirect,
} from './build-files.js';
import type { BuildPaths } from './build-files.js';
import { Pusher } from './push.js';
import type { PushFailure, PushStats, PushTarget } from './push.js';
import { planTimeline } from './timeline.js';
import type { TestRun } from './test-runs.js';
import { clearTranscripts, TranscriptWriter } from './transcripts.js';
import { sleep } from './wait.js';

export { BUILD_PHASES, DEFAULT_PROJECT, PHASE_NAMES, planBuild } from './build-plan.js';
export type { BuildPlan, PhaseName, PlanOptions, PlannedStep, StepKind, TestRun } from './build-plan.js';
export type { PushFailure, PushStats, PushTarget } from './push.js';

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
  /**
   * Also push agents (`/api/agent-update`) and output lines (`/api/broadcast/<project>`) to a
   * buildcast server, as they happen. A push that fails never stops the build.
   */
  push?: PushTarget;
  /** Called for each push that failed. */
  onPushFailure?: (failure: PushFailure) => void;
  /**
   * Also write the Claude Code transcripts of the build's session into this Claude Code folder
   * (the one holding `projects/`), request by request as the build sends them.
   */
  claudeDir?: string;
}

/** One file written by the simulation, in the build's words. */
export interface SimulationStep {
  project: string;
  phase: string;
  /** The phase file's status when the file was written. */
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
  /** How the pushes went; only when `push` was given. */
  pushes?: PushStats;
  /** The Claude Code session id its transcripts carry; only when `claudeDir` was given. */
  claudeSessionId?: string;
}

/**
 * Runs the build described by {@link planBuild} into `options.dir`: the phase file and side
 * files, the event log with its agents and output, and (with `push`) the same agents and output
 * over HTTP. The first update is written at once; the build then takes about three minutes
 * divided by `speed`. Resolves when the build ends or is aborted, once every push has been sent
 * or has failed; rejects with a RangeError for bad options, or with the file system's error when
 * a file cannot be written.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const plan = planBuild(options);
  const timeline = planTimeline(plan);
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  const startedAtMs = options.startedAt?.getTime() ?? clock.now();
  const paths = buildPaths(options.dir, plan.project);
  const pusher = options.push ? new Pusher(options.push, clock, signal, options.onPushFailure) : null;
  const cwd = resolve(options.dir);
  const transcripts = options.claudeDir
    ? new TranscriptWriter({
        claudeDir: options.claudeDir,
        cwd,
        project: plan.project,
        startedAtMs,
        speed: plan.speed,
      })
    : null;
  const build: BuildState = {
    project: plan.project,
    paths,
    startedAtMs,
    startedAt: isoSeconds(startedAtMs),
    sequence: 1,
    written: 0,
    status: plan.steps[0]?.status ?? '',
    phaseStartMs: startedAtMs,
    lastRun: undefined,
    pusher,
    transcripts,
    onStep: options.onStep,
    filesCreated: plan.story.filesCreated,
    filesModified: plan.story.filesModified,
  };

  await mkdir(paths.stateDir, { recursive: true });
  await clearPreviousRun(paths);
  if (options.claudeDir) await clearTranscripts(options.claudeDir, cwd);

  // The system clock's timers are unref'd; without this a `simulate` process with nothing else to
  // do would exit between two steps.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  let outcome: SimulationResult['outcome'] = 'aborted';
  try {
    for (const item of timeline) {
      if (item.delayMs > 0 && !(await sleep(clock, item.delayMs, signal))) break;
      if (signal?.aborted) break;
      const nowMs = clock.now();
      if (item.activity) {
        await playActivity(build, item.activity, nowMs);
        continue;
      }
      await playStep(build, item.step, nowMs);
      if (item.step.outcome) {
        outcome = item.step.outcome;
        break;
      }
    }
  } finally {
    clearInterval(keepAlive);
  }
  const result: SimulationResult = { steps: build.written, completed: outcome === 'completed', outcome };
  if (pusher) result.pushes = await pusher.drain();
  if (transcripts) result.claudeSessionId = transcripts.sessionId;
  return result;
}

/** What a running simulation carries from one moment to the next. */
interface BuildState {
  project: string;
  paths: BuildPaths;
  startedAtMs: number;
  startedAt: string;
  /** The next event's `sequence`. */
  sequence: number;
  /** Phase-file updates written so far. */
  written: number;
  /** The phase file's current status. */
  status: string;
  /** When the current phase started, by the build's clock. */
  phaseStartMs: number;
  lastRun: TestRun | undefined;
  pusher: Pusher | null;
  transcripts: TranscriptWriter | null;
  onStep: ((step: SimulationStep) => void) | undefined;
  filesCreated: readonly string[];
  filesModified: readonly string[];
}

/** Writes one phase-file update with the side files and events that go with it. */
async function playStep(build: BuildState, step: PlannedStep, nowMs: number): Promise<void> {
  const { paths, project } = build;
  const now = isoSeconds(nowMs);
  build.status = step.status;
  const report = (file: string): void =>
    build.onStep?.({ project, phase: step.phase, status: step.status, detail: step.detail, file });

  if (step.startsIteration !== undefined) {
    await writeDirect(paths.iterationCount, `${step.startsIteration}\n`);
    report(paths.iterationCount);
  }
  if (step.testRun) {
    build.lastRun = step.testRun;
    const file = paths.testResults(step.testRun.iteration);
    await writeDirect(file, renderTestResults(project, step.testRun, now));
    report(file);
  }

  if (step.kind === 'start') build.phaseStartMs = nowMs;
  const ended = step.kind === 'end' || step.kind === 'failed';
  const phaseText = renderPhaseFile(project, step, build.startedAt, {
    phaseStartMs: build.phaseStartMs,
    phaseEndMs: ended ? nowMs : null,
    nowMs,
  });
  await (step.write === 'atomic' ? writeAtomic : writeDirect)(paths.phaseFile, phaseText);
  build.written++;
  report(paths.phaseFile);

  const events = renderEvents(project, step, now, build.sequence);
  build.sequence += events.length;
  await appendLines(paths.events, events.map((line) => `${line}\n`).join(''));

  if (step.outcome === 'completed') {
    const summary = renderSummary({
      project,
      phasesCompleted: step.phasesCompleted,
      lastRun: build.lastRun,
      testIterations: step.testIteration,
      startedAtMs: build.startedAtMs,
      nowMs,
      filesCreated: build.filesCreated,
      filesModified: build.filesModified,
    });
    await writeAtomic(paths.summary, summary);
    report(paths.summary);
  }
}

/**
 * Plays one activity: the task list rewritten, a request appended to its transcript, an event
 * logged, an agent or a line pushed.
 */
async function playActivity(build: BuildState, activity: Activity, nowMs: number): Promise<void> {
  const { paths, project, pusher } = build;
  if (activity.kind === 'request') await build.transcripts?.write(activity, nowMs);
  if (activity.kind === 'tasks') {
    await writeAtomic(paths.buildTasks, renderBuildTasks(activity.tasks));
    build.onStep?.({
      project,
      phase: activity.phase,
      status: build.status,
      detail: activity.note,
      file: paths.buildTasks,
    });
  }
  const line = renderActivityEvent(project, activity, isoSeconds(nowMs), build.sequence);
  if (line !== null) {
    build.sequence++;
    await appendLines(paths.events, `${line}\n`);
  }
  if (activity.kind === 'agent') pusher?.agent(agentUpdateBody(project, activity.agent));
  if (activity.kind === 'log') pusher?.log(project, activity.text);
}

/**
 * A run in a folder that held an earlier one must not start out looking finished: a leftover
 * `session-summary.json` would mark the new session completed at its first update.
 */
async function clearPreviousRun(paths: BuildPaths): Promise<void> {
  const stale = [paths.summary, paths.iterationCount, paths.events, paths.buildTasks];
  for (let n = 1; n <= MAX_TEST_ITERATIONS; n++) stale.push(paths.testResults(n));
  await Promise.all(stale.map((file) => rm(file, { force: true })));
}

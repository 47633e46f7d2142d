/**
 * @module
 * `buildcast demo`: two simulated builds side by side, so a newcomer sees at once what a build
 * looks like from the inside, and what a failed one looks like. The main build (the weather app)
 * completes in about three minutes at speed 1; a smaller one (a todo API) starts twenty seconds
 * later, runs faster, and fails at Deploy. Both write the Claude Code transcripts of their
 * sessions into a Claude Code folder of the demo's own, which the demo's server reads like any
 * other, so tokens, cost and the context gauge show from the first minute.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { systemClock } from '../shared/clock.js';
import type { Clock } from '../shared/clock.js';
import { DEFAULT_PROJECT, planBuild } from './build-plan.js';
import { runSimulation } from './simulate.js';
import type { PushFailure, PushTarget, SimulationResult, SimulationStep } from './simulate.js';
import { TODO_API } from './story-todo-api.js';
import { WEATHER_APP } from './story-weather-app.js';
import { clearTranscripts } from './transcripts.js';
import { sleep } from './wait.js';

/** Seconds (at speed 1) between the main build's start and the second one's. */
const SECOND_BUILD_DELAY_SECONDS = 20;

/** The second build is a smaller project: it plays this many times faster than the main one. */
const SECOND_BUILD_SPEEDUP = 1.5;

/** The phase the second build fails at. */
const SECOND_BUILD_FAILS_AT = 'Deploy';

export interface DemoOptions {
  /** The folder both builds are written into, one subfolder each (named after its project). */
  root: string;
  /** Time multiplier for both builds; 1 plays the main build in about three minutes. */
  speed?: number;
  /** The main build's project name; `weather-app` unless told otherwise. */
  project?: string;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Stops both builds promptly. */
  signal?: AbortSignal;
  /** Push both builds' agents and output to this buildcast server. */
  push?: PushTarget;
  /** Called after each file either build writes; `step.project` says which. */
  onStep?: (step: SimulationStep) => void;
  /** Called for each push that failed, with the project it was for. */
  onPushFailure?: (project: string, failure: PushFailure) => void;
  /** The Claude Code folder both builds' transcripts go to; {@link demoClaudeDir} by default. */
  claudeDir?: string;
}

/** How one of the demo's builds ended. */
export interface DemoBuild {
  project: string;
  /** Its work directory. */
  dir: string;
  result: SimulationResult;
}

export interface DemoResult {
  /** The main build first, then the one that fails. */
  builds: DemoBuild[];
}

/** The demo's two projects: the main build's, and the second build's (never the same). */
function demoProjects(project: string = DEFAULT_PROJECT): [main: string, second: string] {
  // The second build needs a folder and a session of its own, whatever the main one is called.
  return [project, project === TODO_API.project ? `${TODO_API.project}-2` : TODO_API.project];
}

/** The Claude Code folder of the demo run in `root`: `<root>/claude`, holding `projects/`. */
export function demoClaudeDir(root: string): string {
  return join(resolve(root), 'claude');
}

/**
 * Makes the demo's Claude Code folder ready before a server is started on it (a folder that does
 * not exist yet is not watched): `projects/` created, and the transcripts an earlier demo in the
 * same `root` left for its builds removed, so they are not read as this run's. Returns the folder.
 */
export async function prepareDemoTranscripts(root: string, project?: string): Promise<string> {
  const claudeDir = demoClaudeDir(root);
  await mkdir(join(claudeDir, 'projects'), { recursive: true });
  for (const name of demoProjects(project)) await clearTranscripts(claudeDir, join(resolve(root), name));
  return claudeDir;
}

/**
 * Runs the demo's two builds concurrently under `options.root`, resolving when both have ended
 * (or been aborted). Rejects with a RangeError for bad options before writing anything, or with
 * the first file-system error of either build, after stopping the other.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const speed = options.speed ?? 1;
  const clock = options.clock ?? systemClock;
  const [main, second] = demoProjects(options.project);
  const secondSpeed = speed * SECOND_BUILD_SPEEDUP;
  // Check both plans up front, so bad options fail before either build writes a file.
  planBuild({ project: main, speed, story: WEATHER_APP });
  planBuild({ project: second, speed: secondSpeed, story: TODO_API, failAt: SECOND_BUILD_FAILS_AT });

  // One build failing to write stops the other: a half-run demo helps no one.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const claudeDir = options.claudeDir ?? demoClaudeDir(options.root);
  await mkdir(join(claudeDir, 'projects'), { recursive: true });
  const common = {
    clock,
    signal,
    claudeDir,
    ...(options.push ? { push: options.push } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
  };
  const run = (project: string, build: Promise<SimulationResult>): Promise<DemoBuild> =>
    build.then(
      (result) => ({ project, dir: join(options.root, project), result }),
      (error: unknown) => {
        stop.abort();
        throw error;
      },
    );
  const onPushFailure = (project: string) => (failure: PushFailure) =>
    options.onPushFailure?.(project, failure);

  const first = run(
    main,
    runSimulation({
      ...common,
      dir: join(options.root, main),
      project: main,
      speed,
      story: WEATHER_APP,
      onPushFailure: onPushFailure(main),
    }),
  );
  const later = run(
    second,
    (async (): Promise<SimulationResult> => {
      const delayMs = Math.round((SECOND_BUILD_DELAY_SECONDS * 1000) / speed);
      if (!(await sleep(clock, delayMs, signal))) return { steps: 0, completed: false, outcome: 'aborted' };
      return runSimulation({
        ...common,
        dir: join(options.root, second),
        project: second,
        speed: secondSpeed,
        story: TODO_API,
        failAt: SECOND_BUILD_FAILS_AT,
        onPushFailure: onPushFailure(second),
      });
    })(),
  );
  const builds = await Promise.allSettled([first, later]);
  const failure = builds.find((build) => build.status === 'rejected');
  if (failure) throw failure.reason;
  return { builds: builds.map((build) => (build as PromiseFulfilledResult<DemoBuild>).value) };
}

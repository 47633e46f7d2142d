/**
 * @module
 * `buildcast demo`: two simulated builds side by side, so a newcomer sees at once what a build
 * looks like from the inside, and what a failed one looks like. The main build (the weather app)
 * completes in about three minutes at speed 1; a smaller one (a todo API) starts twenty seconds
 * later, runs faster, and fails at Deploy.
 */
import { join } from 'node:path';
import { systemClock } from '../shared/clock.js';
import type { Clock } from '../shared/clock.js';
import { DEFAULT_PROJECT, planBuild } from './build-plan.js';
import { runSimulation } from './simulate.js';
import type { PushFailure, PushTarget, SimulationResult, SimulationStep } from './simulate.js';
import { TODO_API } from './story-todo-api.js';
import { WEATHER_APP } from './story-weather-app.js';
import { sleep } from './wait.js';

/** Seconds (at speed 1) between the main build's start and the second one's. */
export const SECOND_BUILD_DELAY_SECONDS = 20;

/** The second build is a smaller project: it plays this many times faster than the main one. */
export const SECOND_BUILD_SPEEDUP = 1.5;

/** The phase the second build fails at. */
export const SECOND_BUILD_FAILS_AT = 'Deploy';

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

/**
 * Runs the demo's two builds concurrently under `options.root`, resolving when both have ended
 * (or been aborted). Rejects with a RangeError for bad options before writing anything, or with
 * the first file-system error of either build, after stopping the other.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const speed = options.speed ?? 1;
  const clock = options.clock ?? systemClock;
  const main = options.project ?? DEFAULT_PROJECT;
  // The second build needs a folder and a session of its own, whatever the main one is called.
  const second = main === TODO_API.project ? `${TODO_API.project}-2` : TODO_API.project;
  const secondSpeed = speed * SECOND_BUILD_SPEEDUP;
  // Check both plans up front, so bad options fail before either build writes a file.
  planBuild({ project: main, speed, story: WEATHER_APP });
  planBuild({ project: second, speed: secondSpeed, story: TODO_API, failAt: SECOND_BUILD_FAILS_AT });

  // One build failing to write stops the other: a half-run demo helps no one.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const common = {
    clock,
    signal,
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

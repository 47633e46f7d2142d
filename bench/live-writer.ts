/**
 * @module
 * The steady writer of the live scenarios: N build folders, each rewriting its
 * `.context-foundry/current-phase.json` once per period, the writes spread evenly over the
 * period so the load is flat rather than bursty. Writes are synchronous so the time taken
 * just before one is the time the file changed, on the same clock the clients use.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sleep } from './lib.js';
import { phaseJson, projectName, sessionIdOf } from './phase.js';
import { LatencyHistogram, type Summary } from './stats.js';
import type { WriteLog } from './write-log.js';

export interface LiveBuild {
  project: string;
  sessionId: string;
  file: string;
}

/** Creates `count` build folders under `root`, each with a first phase file. */
export function prepareBuilds(root: string, count: number): LiveBuild[] {
  const builds: LiveBuild[] = [];
  for (let i = 0; i < count; i++) {
    const project = projectName(i, 'live');
    const folder = path.join(root, project, '.context-foundry');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'current-phase.json');
    writeFileSync(file, phaseJson({ project, marker: 'start' }));
    builds.push({ project, sessionId: sessionIdOf(project), file });
  }
  return builds;
}

export interface WriterOptions {
  builds: readonly LiveBuild[];
  /** Each build rewrites its file once per this many ms. */
  periodMs: number;
  /** Total writing time, warm-up included. */
  durationMs: number;
  /** Writes before this many ms are not measured. */
  warmupMs: number;
  log: WriteLog;
  signal: AbortSignal;
  /** Called once when the warm-up ends (start CPU counters here). */
  onMeasureStart?: () => void;
  /** Prefix of markers, so two runs in one process never share one. */
  tag: string;
}

export interface WriterResult {
  writes: number;
  /** How late writes were against their schedule: the bench keeping up or not. */
  lag: Summary;
  /** Measured window length in seconds. */
  measuredSeconds: number;
}

/** Writes on schedule until `durationMs` has passed or the signal aborts. */
export async function runWriter(options: WriterOptions): Promise<WriterResult> {
  const { builds, periodMs, durationMs, warmupMs, log, signal, tag } = options;
  const interval = periodMs / builds.length;
  const lag = new LatencyHistogram(0.1, 10_000);
  const start = performance.now();
  let measureStart: number | null = null;
  let k = 0;
  while (!signal.aborted) {
    const elapsed = performance.now() - start;
    if (elapsed >= durationMs) break;
    if (measureStart === null && elapsed >= warmupMs) {
      measureStart = performance.now();
      options.onMeasureStart?.();
    }
    while (k * interval <= elapsed) {
      const build = builds[k % builds.length]!;
      const marker = `${tag}${k}`;
      const text = phaseJson({ project: build.project, marker });
      const t0 = performance.now();
      log.add(marker, { sessionId: build.sessionId, t0, measured: measureStart !== null, received: 0 });
      writeFileSync(build.file, text);
      lag.record(t0 - start - k * interval);
      k++;
    }
    log.prune(performance.now());
    await sleep(Math.max(0, start + k * interval - performance.now()));
  }
  const end = performance.now();
  return {
    writes: k,
    lag: lag.summary(),
    measuredSeconds: measureStart === null ? 0 : (end - measureStart) / 1000,
  };
}

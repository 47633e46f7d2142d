/**
 * @module
 * Scenario 4, soak (SPEC 8 "flat within 5 % over an hour"): steady updates and clients for the
 * given time, buildcast's RSS and V8 heap sampled every minute (every 10 s with --quick), and
 * the growth from minute 5 (or from a quarter of a shorter run) to the end. Not in the default
 * run: `npm run bench -- --soak 3600`.
 */
import type { BenchOptions } from './options.js';
import type { Child, Scope } from './lib.js';
import { mb, procStats, sampleMemory } from './proc-stats.js';
import { prepareBuilds } from './live-writer.js';
import { runLiveSide } from './live-side.js';
import { goal, info, type ScenarioResult } from './report.js';
import { growthPercent, type TimedSample } from './stats.js';

/** Growth is measured from here on: start-up allocation and caches filling are not a leak. */
const STEADY_FROM_SECONDS = 300;
const WARMUP_MS = 5_000;

export function soakTimeoutMs(options: BenchOptions): number {
  return (options.soakSeconds + 90) * 1_000;
}

interface MemoryPoint {
  atSeconds: number;
  rssMB: number | null;
  heapUsedMB: number | null;
}

export async function runSoak(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const root = scope.tempDir('soak');
  const builds = prepareBuilds(root, options.sessions);
  const points: MemoryPoint[] = [];
  let sampler: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  let since = performance.now();

  const sample = async (child: Child) => {
    const stats = procStats(child.pid);
    const heap = await sampleMemory(child);
    const atSeconds = Math.round((performance.now() - since) / 1000);
    const point = { atSeconds, rssMB: mb(stats?.rssBytes), heapUsedMB: mb(heap?.heapUsed) };
    points.push(point);
    progress(`soak: ${point.atSeconds} s, RSS ${point.rssMB} MB, heap ${point.heapUsedMB} MB`);
  };

  progress(
    `soak: buildcast, ${options.sessions} builds, ${options.clients} clients, ${options.soakSeconds} s`,
  );
  const result = await runLiveSide(
    {
      server: 'buildcast',
      root,
      builds,
      clients: options.clients,
      periodMs: options.periodMs,
      debounceMs: options.debounceMs,
      warmupMs: WARMUP_MS,
      measureMs: options.soakSeconds * 1_000 - WARMUP_MS,
      tag: 's',
      probe: true,
      onRunning: (child) => {
        since = performance.now();
        running = sample(child);
        sampler = setInterval(() => {
          running = running.then(() => sample(child));
        }, options.soakSampleSeconds * 1_000);
        scope.defer(() => clearInterval(sampler));
      },
      // The last sample is taken while the server still runs, at the end of the steady load.
      beforeStop: async (child) => {
        clearInterval(sampler);
        await running;
        await sample(child);
      },
    },
    scope,
  );

  const series = (pick: (point: MemoryPoint) => number | null): TimedSample[] =>
    points.flatMap((point) =>
      pick(point) === null ? [] : [{ atSeconds: point.atSeconds, value: pick(point)! }],
    );
  const rssGrowth = growthPercent(
    series((p) => p.rssMB),
    STEADY_FROM_SECONDS,
  );
  const heapGrowth = growthPercent(
    series((p) => p.heapUsedMB),
    STEADY_FROM_SECONDS,
  );
  const last = points[points.length - 1];
  return {
    name: `soak: ${options.soakSeconds} s, ${options.sessions} sessions x ${options.clients} clients`,
    seconds: (performance.now() - started) / 1000,
    figures: [
      goal('RSS growth, steady part to end', rssGrowth, '%', '<=', 5),
      goal('heap (after GC) growth, steady part to end', heapGrowth, '%', '<=', 5),
      info('RSS at end', last?.rssMB ?? null, 'MB'),
      info('heap after GC at end', last?.heapUsedMB ?? null, 'MB'),
      info('write->frame p50', result.latency.p50, 'ms'),
      info('write->frame p99', result.latency.p99, 'ms'),
      goal('redundant frames', result.redundantFrames, '', '<=', 0),
      info('frames missing', result.missingDeliveries, ''),
      info('clients dropped', result.clientsDropped, ''),
    ],
    details: { steadyFromSeconds: STEADY_FROM_SECONDS, samples: points, live: result },
  };
}

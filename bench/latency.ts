/**
 * @module
 * Scenario 1, live latency (SPEC 8): N builds rewriting their phase file at a steady rate, M
 * clients on `/ws`; time from each write to the matching `session` frame at every client.
 * The floor (fs.watch → ws.send, bench/floor-watch.ts) runs against the same files and
 * clients in the same run, so "buildcast minus its debounce, over the floor" holds on a noisy
 * machine.
 */
import type { BenchOptions } from './options.js';
import type { Scope } from './lib.js';
import { mb } from './proc-stats.js';
import { prepareBuilds } from './live-writer.js';
import { runLiveSide, type LiveSideResult } from './live-side.js';
import { goal, info, type Figure, type ScenarioResult } from './report.js';
import { ratio } from './stats.js';

/** Hard limit of the scenario, in ms, from its options. */
export function latencyTimeoutMs(options: BenchOptions): number {
  return 2 * (warmupMs(options) + options.latencySeconds * 1_000 + 45_000);
}

const warmupMs = (options: BenchOptions) => (options.quick ? 3_000 : 5_000);

/** Runs the floor, then buildcast, on the same build folders and client count. */
export async function runLatency(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const root = scope.tempDir('live');
  const builds = prepareBuilds(root, options.sessions);
  const side = {
    root,
    builds,
    clients: options.clients,
    periodMs: options.periodMs,
    debounceMs: options.debounceMs,
    warmupMs: warmupMs(options),
    measureMs: options.latencySeconds * 1_000,
  };
  progress(
    `latency: floor, ${options.sessions} builds, ${options.clients} clients, ${options.latencySeconds} s`,
  );
  const floor = await runLiveSide({ ...side, server: 'floor', tag: 'f' }, scope);
  progress(
    `latency: buildcast, ${options.sessions} builds, ${options.clients} clients, ${options.latencySeconds} s`,
  );
  const buildcast = await runLiveSide({ ...side, server: 'buildcast', tag: 'b' }, scope);

  const debounce = options.debounceMs;
  const less = (value: number | null) => (value === null ? null : value - debounce);
  const figures: Figure[] = [
    goal('buildcast write->frame p50', buildcast.latency.p50, 'ms', '<=', debounce + 15),
    info('buildcast write->frame p95', buildcast.latency.p95, 'ms'),
    goal('buildcast write->frame p99', buildcast.latency.p99, 'ms', '<=', debounce + 60),
    info('buildcast write->frame max', buildcast.latency.max, 'ms'),
    info('floor write->frame p50', floor.latency.p50, 'ms'),
    info('floor write->frame p99', floor.latency.p99, 'ms'),
    info('buildcast p50 - debounce', less(buildcast.latency.p50), 'ms'),
    info(
      '(buildcast p50 - debounce) / floor p50',
      ratio(less(buildcast.latency.p50), floor.latency.p50),
      'x',
    ),
    info('buildcast p99 - debounce', less(buildcast.latency.p99), 'ms'),
    info(
      '(buildcast p99 - debounce) / floor p99',
      ratio(less(buildcast.latency.p99), floor.latency.p99),
      'x',
    ),
    info('session frames received (all clients)', buildcast.sessionFrames, ''),
    goal('redundant frames', buildcast.redundantFrames, '', '<=', 0),
    goal('frames missing (write never arrived)', buildcast.missingDeliveries, '', '<=', 0),
    info('server CPU during measure', buildcast.serverCpuSeconds, 's'),
    info('server CPU share', buildcast.serverCpuPercent, '%'),
    info('server peak RSS', mb(buildcast.peakRssBytes), 'MB'),
    info('floor CPU share', floor.serverCpuPercent, '%'),
    info('bench process CPU share', buildcast.benchCpuPercent, '%'),
    info('bench event-loop delay p99', buildcast.benchLoopDelayP99Ms, 'ms'),
  ];
  return {
    name: `latency: ${options.sessions} sessions x ${options.clients} clients, write every ${options.periodMs / 1000} s, debounce ${debounce} ms`,
    seconds: (performance.now() - started) / 1000,
    figures,
    details: { debounceMs: debounce, buildcast: plain(buildcast), floor: plain(floor) },
  };
}

function plain(result: LiveSideResult): Record<string, unknown> {
  return { ...result, peakRssMB: mb(result.peakRssBytes), rssMB: mb(result.rssBytes) };
}

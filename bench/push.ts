/**
 * @module
 * Scenario 2, push ingest (SPEC 8): `POST /api/phase-update` at concurrency 50 for a fixed
 * time with autocannon, against buildcast and against a bare Hono route that parses JSON and
 * answers 200 (bench/floor-push.ts), in the same run; requests/s, p99 and their ratio.
 */
import path from 'node:path';
import autocannon from 'autocannon';
import type { BenchOptions } from './options.js';
import { benchDist, spawnBuildcast, spawnChild, type Child, type Scope } from './lib.js';
import { mb, procStats } from './proc-stats.js';
import { phaseJson, projectName } from './phase.js';
import { goal, info, type ScenarioResult } from './report.js';
import { ratio } from './stats.js';

const CONNECTIONS = 50;
/** Untimed load first, so both servers are measured warmed up (JIT, pools). */
const warmupSeconds = (options: BenchOptions) => (options.quick ? 1 : 2);
/** Pushes rotate over this many builds, each update a new `progress_detail`: real changes, not repeats. */
const PUSHING_BUILDS = 50;

export function pushTimeoutMs(options: BenchOptions): number {
  return 2 * (options.pushSeconds + warmupSeconds(options) + 30) * 1_000;
}

export interface PushRun {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  serverCpuPercent: number | null;
  peakRssMB: number | null;
}

/** One autocannon run of `seconds` (plus warm-up) at `connections`, each body a new update. */
export async function hammer(
  child: Child,
  seconds: number,
  warmup: number,
  connections = CONNECTIONS,
): Promise<PushRun> {
  let n = 0;
  const body = () => phaseJson({ project: projectName(n % PUSHING_BUILDS, 'push'), marker: `push ${n++}` });
  const before = procStats(child.pid);
  const started = performance.now();
  const result = await autocannon({
    url: `${child.url}/api/phase-update`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
    warmup: { connections, duration: warmup },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
  const after = procStats(child.pid);
  const wall = (performance.now() - started) / 1000;
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuPercent:
      before && after && wall > 0 ? ((after.cpuSeconds - before.cpuSeconds) / wall) * 100 : null,
    peakRssMB: mb(after?.peakRssBytes),
  };
}

/** Runs the floor, then buildcast, with the same load. */
export async function runPush(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  progress(`push: floor (bare Hono route), ${CONNECTIONS} connections, ${options.pushSeconds} s`);
  const floorChild = await spawnChild(path.join(benchDist, 'floor-push.js'), [], scope, {
    ready: /^floor listening on (http:\/\/\S+)$/,
  });
  const floor = await hammer(floorChild, options.pushSeconds, warmupSeconds(options));
  await floorChild.stop();

  progress(`push: buildcast, ${CONNECTIONS} connections, ${options.pushSeconds} s`);
  const dir = scope.tempDir('push');
  const child = await spawnBuildcast(scope, {
    root: scope.tempDir('push-root'),
    db: path.join(dir, 'buildcast.db'),
    debounceMs: options.debounceMs,
  });
  const buildcast = await hammer(child, options.pushSeconds, warmupSeconds(options));
  const exitCode = await child.stop();

  const failed = buildcast.non2xx + buildcast.errors + buildcast.timeouts;
  return {
    name: `push: POST /api/phase-update, ${CONNECTIONS} connections, ${options.pushSeconds} s (autocannon)`,
    seconds: (performance.now() - started) / 1000,
    figures: [
      goal('buildcast requests/s', buildcast.requestsPerSecond, 'req/s', '>=', 3_000),
      info('buildcast latency p99', buildcast.latencyP99Ms, 'ms'),
      goal('buildcast failed requests (non-2xx, errors)', failed, '', '<=', 0),
      info('floor requests/s', floor.requestsPerSecond, 'req/s'),
      info('floor latency p99', floor.latencyP99Ms, 'ms'),
      info('buildcast / floor requests/s', ratio(buildcast.requestsPerSecond, floor.requestsPerSecond), 'x'),
      info('buildcast CPU share', buildcast.serverCpuPercent, '%'),
      info('buildcast peak RSS', buildcast.peakRssMB, 'MB'),
    ],
    details: {
      connections: CONNECTIONS,
      warmupSeconds: warmupSeconds(options),
      buildcast: { ...buildcast, exitCode },
      floor,
    },
  };
}

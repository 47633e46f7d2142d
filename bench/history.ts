/**
 * @module
 * Scenario 6, history (SPEC 8: `GET /api/sessions` search, filter and sort with 100,000 stored runs
 * under 50 ms): buildcast over a stored history of 10,000 and of 100,000 runs (bench/history-seed.ts),
 * started as a child process like every other scenario. Each request is timed by the server itself
 * (`Server-Timing`), so the figure is the server's work, not the round trip: the history page, the
 * listing searched, sorted and filtered, and a comparison of ten runs, each p50 and p99.
 */
import http from 'node:http';
import path from 'node:path';
import type { BenchOptions } from './options.js';
import { spawnBuildcast, type Scope } from './lib.js';
import { mb, procStats } from './proc-stats.js';
import { timedGet } from './http-timing.js';
import { goal, info, type Figure, type ScenarioResult } from './report.js';
import { summarize } from './stats.js';
import { seedHistory, seedProject, seedRun } from './history-seed.js';

const SIZES = [10_000, 100_000];
/** The SPEC 8 bound on each listing's server time. */
const TARGET_MS = 50;
const WARMUP = 10;

export function historyTimeoutMs(options: BenchOptions): number {
  return (options.quick ? 150 : 240) * 1000;
}

/** The requests measured, by name; `{ids}` is ten runs of one project. */
function requests(count: number): Array<[string, string]> {
  const ids = Array.from({ length: 10 }, (_, k) => seedRun(42 + k * 200, count).id);
  return [
    ['history page', '/history'],
    ['GET /api/sessions (newest change first)', '/api/sessions?limit=50'],
    ['GET /api/sessions search', `/api/sessions?q=${seedProject(42)}&limit=50`],
    ['GET /api/sessions sort by cost', '/api/sessions?sort=cost&order=desc&limit=50'],
    [
      'GET /api/sessions filter and sort',
      '/api/sessions?state=failed&from=2026-08-01&to=2026-10-31&sort=duration&order=asc&limit=50',
    ],
    ['GET /api/compare, 10 runs', `/api/compare?ids=${ids.join(',')}`],
  ];
}

interface Timing {
  name: string;
  path: string;
  p50: number | null;
  p99: number | null;
  bytes: number;
}

async function measureSize(
  options: BenchOptions,
  scope: Scope,
  count: number,
  progress: (line: string) => void,
) {
  const db = path.join(scope.tempDir(`history-${count}`), 'buildcast.db');
  progress(`history: seeding ${count.toLocaleString('en-US')} stored runs`);
  const seedStarted = performance.now();
  seedHistory(db, count);
  const seedMs = performance.now() - seedStarted;
  const child = await spawnBuildcast(scope, {
    root: scope.tempDir('history-root'),
    db,
    debounceMs: options.debounceMs,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  scope.defer(() => agent.destroy());
  const samples = options.quick ? 40 : 200;
  const timings: Timing[] = [];
  for (const [name, url] of requests(count)) {
    if (scope.signal.aborted) throw scope.signal.reason;
    const times: number[] = [];
    let bytes = 0;
    for (let round = -WARMUP; round < samples; round++) {
      const response = await timedGet(`${child.url}${url}`, agent);
      if (response.status !== 200)
        throw new Error(`GET ${url} answered ${response.status}: ${response.body.slice(0, 200)}`);
      if (response.serverMs === null) throw new Error(`GET ${url} sent no Server-Timing header`);
      bytes = response.bytes;
      if (round >= 0) times.push(response.serverMs);
    }
    const stats = summarize(times);
    timings.push({ name, path: url, p50: stats.p50, p99: stats.p99, bytes });
  }
  const stats = procStats(child.pid);
  agent.destroy();
  await child.stop();
  return { count, seedMs, startMs: child.startMs, peakRssMB: mb(stats?.peakRssBytes), timings };
}

/** Measures both sizes, one after the other. */
export async function runHistory(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const results = [];
  for (const count of SIZES) results.push(await measureSize(options, scope, count, progress));
  const figures: Figure[] = [];
  for (const result of results) {
    const size = result.count.toLocaleString('en-US');
    figures.push(
      info(`[${size}] spawn to listening`, result.startMs, 'ms'),
      info(`[${size}] peak RSS`, result.peakRssMB, 'MB'),
    );
    for (const timing of result.timings) {
      figures.push(
        info(`[${size}] ${timing.name}, server p50`, timing.p50, 'ms'),
        goal(`[${size}] ${timing.name}, server p99`, timing.p99, 'ms', '<', TARGET_MS),
      );
    }
  }
  return {
    name: `history: ${SIZES.map((s) => s.toLocaleString('en-US')).join(' and ')} stored runs, server time per request`,
    seconds: (performance.now() - started) / 1000,
    figures,
    details: { sizes: results },
  };
}

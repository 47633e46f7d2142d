/**
 * @module
 * Scenario 3, storage and memory (SPEC 8): buildcast with 1,000 and with N (default 10,000)
 * stored sessions: time from spawn to its start-up line, RSS and heap after start, and how long
 * the dashboard HTML and `GET /api/sessions?limit=50` take at that size. Sessions are stored the
 * way builds store them: pushed through the API, then flushed by a clean SIGTERM.
 */
import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import type { BenchOptions } from './options.js';
import { sleep, spawnBuildcast, type Scope } from './lib.js';
import { mb, procStats, sampleMemory } from './proc-stats.js';
import { phaseJson, projectName } from './phase.js';
import { timedGet } from './http-timing.js';
import { goal, info, type Figure, type ScenarioResult } from './report.js';
import { median, summarize } from './stats.js';

/** The size SPEC 8's render target is stated for. */
const RENDER_SIZE = 1_000;
/** Untimed rounds first, so the figures are of a warmed-up server, not of its first compilations. */
const WARMUP_ROUNDS = 10;

export function storageTimeoutMs(options: BenchOptions): number {
  return 60_000 + Math.ceil(options.storedSessions / 1_000) * 15_000 + (options.quick ? 0 : 60_000);
}

interface SizeResult {
  stored: number;
  seedRequestsPerSecond: number;
  seedFailures: number;
  startMs: number;
  rssAfterStartMB: number | null;
  heapUsedAfterStartMB: number | null;
  dashboardMs: number | null;
  dashboardP95Ms: number | null;
  dashboardBytes: number;
  apiSessionsMs: number | null;
  apiSessionsP95Ms: number | null;
  /** Whether the times are the server's own (`Server-Timing`) or client round trips. */
  timing: 'server' | 'round-trip';
  peakRssMB: number | null;
  exitCode: number | null;
}

function kindOf(i: number): 'running' | 'completed' | 'failed' {
  if (i % 10 === 0) return 'failed';
  return i % 4 === 0 ? 'running' : 'completed';
}

/** Seeds `count` sessions into `db` through the API and stops cleanly so everything is flushed. */
async function seed(scope: Scope, db: string, count: number, debounceMs: number) {
  const child = await spawnBuildcast(scope, { root: scope.tempDir('seed-root'), db, debounceMs });
  let i = 0;
  const result = await autocannon({
    url: `${child.url}/api/phase-update`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: 50,
    amount: count,
    requests: [
      {
        setupRequest: (request) => {
          const n = i++;
          return {
            ...request,
            body: phaseJson({ project: projectName(n, 'stored'), marker: `seeded ${n}`, kind: kindOf(n) }),
          };
        },
      },
    ],
  });
  const exitCode = await child.stop(30_000);
  if (exitCode !== 0)
    throw new Error(`buildcast exited with ${exitCode} after seeding: ${child.stderrTail.join(' | ')}`);
  return {
    requestsPerSecond: result.requests.average,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Times `urls` fetched in sequence, `samples` times after a warm-up; per-sample totals. */
async function timeSequence(base: string, urls: string[], samples: number, agent: http.Agent) {
  const totals: number[] = [];
  let bytes = 0;
  let server = true;
  for (let round = -WARMUP_ROUNDS; round < samples; round++) {
    let total = 0;
    bytes = 0;
    for (const url of urls) {
      const response = await timedGet(`${base}${url}`, agent);
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
      bytes += response.bytes;
      if (response.serverMs === null) server = false;
      total += response.serverMs ?? response.roundTripMs;
    }
    if (round >= 0) totals.push(total);
  }
  return { median: median(totals), p95: summarize(totals).p95, bytes, server };
}

async function measureSize(
  options: BenchOptions,
  scope: Scope,
  count: number,
  progress: (line: string) => void,
): Promise<SizeResult> {
  const db = path.join(scope.tempDir(`store-${count}`), 'buildcast.db');
  progress(`storage: seeding ${count.toLocaleString('en-US')} sessions`);
  const seeded = await seed(scope, db, count, options.debounceMs);

  progress(`storage: cold start with ${count.toLocaleString('en-US')} stored sessions`);
  const child = await spawnBuildcast(scope, {
    root: scope.tempDir('store-root'),
    db,
    debounceMs: options.debounceMs,
    probe: true,
  });
  await sleep(1_000);
  const afterStart = procStats(child.pid);
  const heap = await sampleMemory(child);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  scope.defer(() => agent.destroy());
  const listed = await timedGet(`${child.url}/api/sessions?limit=1`, agent);
  const stored = (JSON.parse(listed.body) as { total?: number }).total ?? 0;
  const samples = options.quick ? 20 : 100;
  const dashboard = await timeSequence(child.url, ['/', '/fragments/sessions?tab=all'], samples, agent);
  const api = await timeSequence(child.url, ['/api/sessions?limit=50'], samples, agent);
  const peak = procStats(child.pid);
  agent.destroy();
  const exitCode = await child.stop();
  return {
    stored,
    seedRequestsPerSecond: seeded.requestsPerSecond,
    seedFailures: seeded.failures,
    startMs: child.startMs,
    rssAfterStartMB: mb(afterStart?.rssBytes),
    heapUsedAfterStartMB: mb(heap?.heapUsed),
    dashboardMs: dashboard.median,
    dashboardP95Ms: dashboard.p95,
    dashboardBytes: dashboard.bytes,
    apiSessionsMs: api.median,
    apiSessionsP95Ms: api.p95,
    timing: dashboard.server && api.server ? 'server' : 'round-trip',
    peakRssMB: mb(peak?.peakRssBytes),
    exitCode,
  };
}

/** Measures the render size (1,000) and the storage size (default 10,000). */
export async function runStorage(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const sizes = [...new Set([RENDER_SIZE, options.storedSessions])].sort((a, b) => a - b);
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await measureSize(options, scope, size, progress));

  const figures: Figure[] = [];
  for (const result of results) {
    const size = result.stored.toLocaleString('en-US');
    const big = result === results[results.length - 1];
    const how = result.timing === 'server' ? 'server time' : 'round trip';
    figures.push(
      info(`[${size}] sessions stored and restored`, result.stored, ''),
      info(`[${size}] spawn to listening`, result.startMs, 'ms'),
      big && result.stored >= 10_000
        ? goal(`[${size}] RSS after start`, result.rssAfterStartMB, 'MB', '<', 150)
        : info(`[${size}] RSS after start`, result.rssAfterStartMB, 'MB'),
      info(`[${size}] V8 heap after start and a full GC`, result.heapUsedAfterStartMB, 'MB'),
      result.stored === RENDER_SIZE
        ? goal(`[${size}] dashboard HTML, median ${how}`, result.dashboardMs, 'ms', '<', 50)
        : info(`[${size}] dashboard HTML, median ${how}`, result.dashboardMs, 'ms'),
      info(`[${size}] GET /api/sessions?limit=50, median ${how}`, result.apiSessionsMs, 'ms'),
      info(`[${size}] peak RSS`, result.peakRssMB, 'MB'),
    );
  }
  return {
    name: `storage: ${sizes.map((s) => s.toLocaleString('en-US')).join(' and ')} stored sessions`,
    seconds: (performance.now() - started) / 1000,
    figures,
    details: {
      dashboard: 'GET / then GET /fragments/sessions?tab=all, summed per sample',
      sizes: results,
    },
  };
}

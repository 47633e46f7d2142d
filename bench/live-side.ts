/**
 * @module
 * One side of a live comparison: start a server (buildcast or the floor) against the build
 * folders, connect the clients, run the steady writer, and gather latency, frame counts and
 * the server's CPU and memory. Latency and soak both run on it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { benchDist, sleep, spawnBuildcast, spawnChild, type Child, type Scope } from './lib.js';
import { procStats } from './proc-stats.js';
import type { LiveBuild } from './live-writer.js';
import { runWriter } from './live-writer.js';
import { LatencyHistogram, type Summary } from './stats.js';
import { WriteLog } from './write-log.js';
import { ClientFleet } from './ws-clients.js';

export type LiveServer = 'buildcast' | 'floor';

export interface LiveSideOptions {
  server: LiveServer;
  root: string;
  builds: readonly LiveBuild[];
  clients: number;
  periodMs: number;
  debounceMs: number;
  warmupMs: number;
  /** Writing time after the warm-up. */
  measureMs: number;
  /** Marker prefix, unique per side. */
  tag: string;
  /** Load the memory probe into the server (soak). */
  probe?: boolean;
  /** Called once the server is up and the clients connected (soak starts sampling here). */
  onRunning?: (child: Child) => void;
  /** Awaited after the writer has stopped and the last frames arrived, before the server stops. */
  beforeStop?: (child: Child) => Promise<void>;
}

export interface LiveSideResult {
  latency: Summary;
  writes: number;
  measuredWrites: number;
  measuredSeconds: number;
  /** Frames owed for measured writes that never reached a client. */
  missingDeliveries: number;
  sessionFrames: number;
  redundantFrames: number;
  wrongSession: number;
  clientsDropped: number;
  /** `framesSent` from `/api/health` (buildcast only). */
  serverFramesSent: number | null;
  serverCpuSeconds: number | null;
  serverCpuPercent: number | null;
  peakRssBytes: number | null;
  rssBytes: number | null;
  startMs: number;
  benchCpuPercent: number;
  benchLoopDelayP99Ms: number;
  writerLag: Summary;
  exitCode: number | null;
}

async function healthOf(url: string): Promise<{ sessions?: number; framesSent?: number } | null> {
  try {
    const response = await fetch(`${url}/api/health`);
    return response.ok ? ((await response.json()) as { sessions?: number; framesSent?: number }) : null;
  } catch {
    return null;
  }
}

/** Waits until buildcast has read every build's first file, so the clients' snapshot has them all. */
async function untilSessions(url: string, count: number, scope: Scope, timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until && !scope.signal.aborted) {
    const health = await healthOf(url);
    if ((health?.sessions ?? 0) >= count) return;
    await sleep(100);
  }
  throw new Error(`buildcast did not pick up ${count} build folders within ${timeoutMs / 1000} s`);
}

/** Runs one side from start to stop; the server is stopped before it returns. */
export async function runLiveSide(options: LiveSideOptions, scope: Scope): Promise<LiveSideResult> {
  const { server, root, builds, clients, debounceMs } = options;
  const child =
    server === 'buildcast'
      ? await spawnBuildcast(scope, {
          root,
          db: path.join(scope.tempDir('db'), 'buildcast.db'),
          debounceMs,
          probe: options.probe,
        })
      : await spawnChild(path.join(benchDist, 'floor-watch.js'), ['--root', root], scope, {
          ready: /^floor listening on (http:\/\/\S+)$/,
        });
  if (server === 'buildcast') await untilSessions(child.url, builds.length, scope);

  const log = new WriteLog(clients);
  const latency = new LatencyHistogram();
  const fleet = await ClientFleet.open(`${child.url.replace(/^http/, 'ws')}/ws`, clients, log, latency);
  scope.defer(() => fleet.close());
  options.onRunning?.(child);

  const loop = monitorEventLoopDelay({ resolution: 5 });
  let cpuStart = procStats(child.pid);
  let benchCpu = process.cpuUsage();
  let measureStarted = performance.now();
  const written = await runWriter({
    builds,
    periodMs: options.periodMs,
    durationMs: options.warmupMs + options.measureMs,
    warmupMs: options.warmupMs,
    log,
    signal: scope.signal,
    tag: options.tag,
    onMeasureStart: () => {
      cpuStart = procStats(child.pid);
      benchCpu = process.cpuUsage();
      measureStarted = performance.now();
      loop.enable();
    },
  });
  const cpuEnd = procStats(child.pid);
  const benchUsed = process.cpuUsage(benchCpu);
  const wallSeconds = (performance.now() - measureStarted) / 1000;
  loop.disable();

  // Frames for the last writes are still on their way: a debounce plus a generous margin.
  await sleep(debounceMs + 1_500);
  log.finish();
  await options.beforeStop?.(child);
  const health = server === 'buildcast' ? await healthOf(child.url) : null;
  const memory = procStats(child.pid);
  fleet.close();
  const exitCode = await child.stop();

  const serverCpuSeconds = cpuStart && cpuEnd ? cpuEnd.cpuSeconds - cpuStart.cpuSeconds : null;
  return {
    latency: latency.summary(),
    writes: written.writes,
    measuredWrites: log.measuredWrites,
    measuredSeconds: written.measuredSeconds,
    missingDeliveries: log.missingDeliveries,
    sessionFrames: fleet.counts.sessionFrames,
    redundantFrames: fleet.counts.redundantFrames,
    wrongSession: fleet.counts.wrongSession,
    clientsDropped: fleet.counts.closedEarly,
    serverFramesSent: health?.framesSent ?? null,
    serverCpuSeconds,
    serverCpuPercent:
      serverCpuSeconds === null || wallSeconds <= 0 ? null : (serverCpuSeconds / wallSeconds) * 100,
    peakRssBytes: memory?.peakRssBytes ?? null,
    rssBytes: memory?.rssBytes ?? null,
    startMs: child.startMs,
    benchCpuPercent: wallSeconds > 0 ? ((benchUsed.user + benchUsed.system) / 1e6 / wallSeconds) * 100 : 0,
    benchLoopDelayP99Ms: Number.isFinite(loop.percentile(99)) ? loop.percentile(99) / 1e6 : 0,
    writerLag: written.lag,
    exitCode,
  };
}

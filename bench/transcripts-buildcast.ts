/**
 * @module
 * buildcast's side of the transcript benchmark (bench/transcripts.ts): start `buildcast serve` on
 * a Claude folder, time it from spawn until `/api/health` reports the first read of the
 * transcripts done, then read every session's token totals and cost through the API and stop it.
 */
import { serverCli, sleep, spawnChild, type Child, type Scope } from './lib.js';
import { mb, procStats } from './proc-stats.js';
import { plusTokens, zeroTokens, type TokenTotals } from './token-totals.js';

/** How often `/api/health` is asked while the read goes on; the log line that ends it wakes it early. */
const HEALTH_POLL_MS = 25;

/** The folders one buildcast start works on. */
export interface BuildcastFiles {
  /** An empty build root: only transcripts are read. */
  root: string;
  db: string;
  claudeDir: string;
}

interface Health {
  transcripts?: {
    files: number;
    bytes: number;
    samples: number;
    problems: number;
    backfill: { bytesDone: number; bytesTotal: number; filesTotal: number; done: boolean } | null;
  };
}

/** One start of buildcast, timed until its first read of the transcripts is done. */
export interface BuildcastRead {
  child: Child;
  spawnToDoneSeconds: number;
  afterStartSeconds: number;
  startSeconds: number;
  /** Bytes read since this start (`transcripts.bytes` in `/api/health`). */
  bytesRead: number;
  samples: number;
  problems: number;
  cpuSeconds: number | null;
  peakRssMB: number | null;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

async function readWithBuildcast(
  scope: Scope,
  files: BuildcastFiles,
  debounceMs: number,
): Promise<BuildcastRead> {
  const args = ['serve', '--port', '0', '--root', files.root, '--db', files.db];
  const child = await spawnChild(
    serverCli,
    [...args, '--claude-dir', files.claudeDir, '--debounce', String(debounceMs)],
    scope,
    { ready: /^buildcast listening on (http:\/\/\S+)$/ },
  );
  const listenedAt = performance.now();
  // The health answer decides; the log line only saves the rest of a poll interval.
  let wake = () => {};
  const unsubscribe = child.onStderr((line) => {
    if (line.includes('read Claude Code history')) wake();
  });
  let health: Health;
  try {
    for (;;) {
      if (scope.signal.aborted) throw scope.signal.reason as Error;
      health = await getJson<Health>(`${child.url}/api/health`);
      if (health.transcripts?.backfill?.done) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, HEALTH_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    unsubscribe();
  }
  const afterStart = (performance.now() - listenedAt) / 1000;
  const stats = procStats(child.pid);
  return {
    child,
    spawnToDoneSeconds: child.startMs / 1000 + afterStart,
    afterStartSeconds: afterStart,
    startSeconds: child.startMs / 1000,
    bytesRead: health.transcripts!.bytes,
    samples: health.transcripts!.samples,
    problems: health.transcripts!.problems,
    cpuSeconds: stats?.cpuSeconds ?? null,
    peakRssMB: mb(stats?.peakRssBytes),
  };
}

/** One session as the API shows it, with its cost (null when buildcast cannot price it). */
export interface BuildcastSession {
  id: string;
  project: string;
  startedAt: string;
  tokens: TokenTotals;
  costUsd: number | null;
}

/** Every session's token totals and cost from the API, and the tokens added up. */
async function buildcastTokens(
  url: string,
): Promise<{ tokens: TokenTotals; sessions: number; bySession: BuildcastSession[] }> {
  const listed: Array<{ id: string; project: string; startedAt: string }> = [];
  let cursor: string | null = null;
  do {
    const page: {
      sessions: Array<{ id: string; project: string; startedAt: string }>;
      nextCursor: string | null;
    } = await getJson(`${url}/api/sessions?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    listed.push(...page.sessions);
    cursor = page.nextCursor;
  } while (cursor);
  let tokens = zeroTokens();
  const bySession: BuildcastSession[] = [];
  for (const { id, project, startedAt } of listed) {
    const metrics = await getJson<{ tokens: TokenTotals & { costUsd: number | null } }>(
      `${url}/api/sessions/${encodeURIComponent(id)}/metrics`,
    );
    const { input, output, cacheRead, cacheWrite, costUsd } = metrics.tokens;
    tokens = plusTokens(tokens, metrics.tokens);
    bySession.push({ id, project, startedAt, tokens: { input, output, cacheRead, cacheWrite }, costUsd });
  }
  return { tokens, sessions: listed.length, bySession };
}

/** Starts buildcast, waits for its read of the transcripts, sums its token totals and stops it. */
export async function readAndStop(scope: Scope, files: BuildcastFiles, debounceMs: number) {
  const { child, ...read } = await readWithBuildcast(scope, files, debounceMs);
  // Samples are stored as each chunk is read; this only lets the last recomputation land.
  await sleep(200);
  const totals = await buildcastTokens(child.url);
  const exitCode = await child.stop(30_000);
  return { ...read, ...totals, exitCode };
}

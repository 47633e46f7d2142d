/**
 * A history of real runs for the history tests: builds pushed to a real server phase by phase with
 * their own `timestamps` and `last_updated` (the server's fake clock stands at each push's time, so
 * a receipt time would be the same), and their token usage written as Claude Code transcripts
 * that a second server, started on the same SQLite file, reads at start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeClock } from '../../src/shared/clock.js';
import type { Config } from '../../src/server/config.js';
import type { ServerHandle } from '../../src/server/main.js';
import { startTestServer } from './server.js';

const MINUTE = 60_000;

/** One phase: name, number, minutes, input tokens (sonnet 4.5, $3 per million). */
export type PushedPhase = [name: string, number: string, minutes: number, tokens: number];

export interface PushedRun {
  project: string;
  startedAt: string;
  testIterations: number;
  phases: PushedPhase[];
  /** Still in its last phase: no completion is pushed. */
  running?: boolean;
  /** The machine it reports from, sent as `host` in every push. */
  host?: string;
}

/** The id buildcast gives a run (SPEC 1.1): project plus compact start time. */
export const runId = (run: PushedRun): string =>
  `${run.project}-${run.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;

/** The baseline: 120 minutes, 110,000 tokens ($0.33), three test iterations. */
export const RUN_A: PushedRun = {
  project: 'weather-app',
  startedAt: '2026-11-10T10:00:00Z',
  testIterations: 3,
  phases: [
    ['Scout', '1/7', 10, 10_000],
    ['Architect', '2/7', 20, 20_000],
    ['Builder', '3/7', 40, 40_000],
    ['Test', '4/7', 30, 30_000],
    ['Documentation', '5/8', 10, 5_000],
    ['Feedback', '7/8', 10, 5_000],
  ],
};

/** 83 minutes (31 % sooner), 85,800 tokens ($0.2574, 22 % less), two test iterations. */
export const RUN_B: PushedRun = {
  project: 'weather-app',
  startedAt: '2026-11-12T10:00:00Z',
  testIterations: 2,
  phases: [
    ['Scout', '1/7', 8, 9_000],
    ['Architect', '2/7', 15, 15_000],
    ['Builder', '3/7', 30, 32_000],
    ['Test', '4/7', 15, 20_000],
    ['Documentation', '5/8', 8, 4_000],
    ['Feedback', '7/8', 7, 5_800],
  ],
};

/** 140 minutes with a Screenshot phase the others lack, 130,000 tokens ($0.39), four iterations, on a CI runner. */
export const RUN_C: PushedRun = {
  project: 'weather-app',
  host: 'ci-runner-7',
  startedAt: '2026-11-14T10:00:00Z',
  testIterations: 4,
  phases: [
    ['Scout', '1/7', 12, 11_000],
    ['Architect', '2/7', 18, 18_000],
    ['Builder', '3/7', 50, 50_000],
    ['Test', '4/7', 40, 40_000],
    ['Screenshot', '4.5/8', 5, 3_000],
    ['Documentation', '5/8', 10, 6_000],
    ['Feedback', '7/8', 5, 2_000],
  ],
};

/** A run of weather-app in its Builder phase since 10:25 (Scout 9 minutes, Architect 16). */
export const RUN_D: PushedRun = {
  project: 'weather-app',
  startedAt: '2026-11-20T10:00:00Z',
  testIterations: 0,
  running: true,
  phases: [
    ['Scout', '1/7', 9, 0],
    ['Architect', '2/7', 16, 0],
    ['Builder', '3/7', 10, 0],
  ],
};

const iso = (ms: number) => new Date(ms).toISOString();

async function post(server: ServerHandle, body: object): Promise<void> {
  const response = await fetch(`${server.url}/api/phase-update`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`push answered ${response.status}: ${await response.text()}`);
}

/** Pushes a run phase by phase, the clock at each update's own time. */
export async function pushRun(server: ServerHandle, clock: FakeClock, run: PushedRun, workdir: string) {
  const start = Date.parse(run.startedAt);
  let at = start;
  const done: string[] = [];
  const base = {
    session_id: run.project,
    started_at: run.startedAt,
    workdir,
    ...(run.host ? { host: run.host } : {}),
  };
  for (const [name, number] of run.phases) {
    clock.advance(at - clock.now());
    const iterations = done.includes('Test') || name === 'Test' ? run.testIterations : 0;
    await post(server, {
      ...base,
      current_phase: name,
      phase_number: number,
      status: name === 'Test' ? 'testing' : 'in_progress',
      progress_detail: `${name} under way`,
      test_iteration: iterations,
      phases_completed: [...done],
      last_updated: iso(at),
      timestamps: { phaseStart: iso(at), lastUpdated: iso(at) },
    });
    done.push(name);
    at += run.phases.find(([phase]) => phase === name)![2] * MINUTE;
  }
  if (run.running) return;
  const [name, number] = run.phases[run.phases.length - 1]!;
  const phaseStart = at - run.phases[run.phases.length - 1]![2] * MINUTE;
  clock.advance(at - clock.now());
  await post(server, {
    ...base,
    current_phase: name,
    phase_number: number,
    status: 'completed',
    progress_detail: 'Build complete',
    test_iteration: run.testIterations,
    phases_completed: [...done],
    last_updated: iso(at),
    timestamps: { phaseStart: iso(phaseStart), phaseEnd: iso(at), lastUpdated: iso(at) },
  });
}

/** One Claude Code request a minute into each phase, carrying that phase's input tokens. */
export function transcriptLines(run: PushedRun, workdir: string): string[] {
  let at = Date.parse(run.startedAt);
  return run.phases.flatMap(([, , minutes, tokens], i) => {
    const line = JSON.stringify({
      type: 'assistant',
      isSidechain: false,
      cwd: workdir,
      sessionId: `cc-${runId(run)}`,
      requestId: `req_${runId(run)}_${i}`,
      timestamp: iso(at + MINUTE),
      message: {
        id: `msg_${runId(run)}_${i}`,
        model: 'claude-sonnet-4-5-20250929',
        role: 'assistant',
        usage: {
          input_tokens: tokens,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
    at += minutes * MINUTE;
    return tokens > 0 ? [line] : [];
  });
}

export interface History {
  db: string;
  claude: string;
  workdir: string;
}

/** Settings for servers over a built history: no heartbeat or stall noise while the clock jumps days. */
export const QUIET: Partial<Config> = { heartbeatMs: 3_600_000, stallMs: 86_400_000 };

/** Pushes runs to a first server, stops it, and writes their transcripts for the next one. */
export async function buildHistory(
  root: string,
  runs: readonly PushedRun[] = [RUN_A, RUN_B, RUN_C],
): Promise<History> {
  const workdir = path.join(root, 'builds', 'weather');
  const claude = path.join(root, 'claude');
  const folder = path.join(claude, 'projects', workdir.replaceAll('/', '-'));
  mkdirSync(folder, { recursive: true });
  const db = path.join(root, 'buildcast.db');
  const clock = new FakeClock(runs[0]!.startedAt);
  const server = await startTestServer({ ...QUIET, db }, clock);
  try {
    for (const run of runs) await pushRun(server, clock, run, workdir);
  } finally {
    await server.close();
  }
  writeFileSync(
    path.join(folder, 'cc-history.jsonl'),
    `${runs.flatMap((run) => transcriptLines(run, workdir)).join('\n')}\n`,
  );
  return { db, claude, workdir };
}

/** A server over a built history at `now`, its transcripts read and the metrics settled. */
export async function openHistory(
  history: History,
  now: string,
  overrides: Partial<Config> = {},
): Promise<{ server: ServerHandle; clock: FakeClock }> {
  const clock = new FakeClock(now);
  const server = await startTestServer(
    { ...QUIET, db: history.db, claudeDirs: [history.claude], ...overrides },
    clock,
  );
  await server.tailer.backfillDone;
  await server.tailer.settle();
  server.metrics.flush();
  return { server, clock };
}

/**
 * @module
 * Scenario: one `POST /api/phase-update` whose `phases_completed` lists 25,000 names (about
 * 214 KB, under the default body limit), as issue 9 found it: before the caps it froze the
 * server for 105 s and every later update of that project took 35 s. Times the push itself and
 * the ordinary updates of the same project before and after it, on one kept-alive connection.
 */
import path from 'node:path';
import type { BenchOptions } from './options.js';
import { spawnBuildcast, type Scope } from './lib.js';
import { phaseJson, sessionIdOf } from './phase.js';
import { mb, procStats } from './proc-stats.js';
import { goal, info, type ScenarioResult } from './report.js';
import { median } from './stats.js';

const NAMES = 25_000;
const PROJECT = 'phases-flood';
/** Ordinary updates timed before and after the push. */
const UPDATES = 20;

export function phasesCompletedTimeoutMs(): number {
  return 120_000;
}

/** The push body: an ordinary running build whose completed list holds `NAMES` phase names. */
export function floodBody(): string {
  const body = JSON.parse(phaseJson({ project: PROJECT, marker: 'flood' })) as Record<string, unknown>;
  body['phases_completed'] = Array.from({ length: NAMES }, (_, i) => `p${i}`);
  return JSON.stringify(body);
}

async function timedPost(url: string, body: string): Promise<{ ms: number; status: number; reply: string }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const reply = await response.text();
  return { ms: performance.now() - started, status: response.status, reply };
}

/** `UPDATES` ordinary updates of the project, each a new `progress_detail`; their times in ms. */
async function updates(url: string, label: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const answer = await timedPost(url, phaseJson({ project: PROJECT, marker: `${label} ${i}` }));
    if (answer.status !== 200) throw new Error(`${label} update answered ${answer.status}: ${answer.reply}`);
    times.push(answer.ms);
  }
  return times;
}

export async function runPhasesCompleted(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const dir = scope.tempDir('phases-completed');
  const child = await spawnBuildcast(scope, {
    root: scope.tempDir('phases-completed-root'),
    db: path.join(dir, 'buildcast.db'),
    debounceMs: options.debounceMs,
  });
  const url = `${child.url}/api/phase-update`;
  const before = await updates(url, 'before');
  const body = floodBody();
  progress(
    `phases-completed: pushing ${NAMES.toLocaleString('en-US')} names (${Math.round(body.length / 1024)} KB)`,
  );
  const flood = await timedPost(url, body);
  const after = await updates(url, 'after');
  const detail = (await (await fetch(`${child.url}/api/sessions/${sessionIdOf(PROJECT)}`)).json()) as {
    session?: { phasesCompleted: string[]; phases: unknown[]; warnings: Array<{ reason: string }> };
  };
  const stats = procStats(child.pid);
  const exitCode = await child.stop();
  return {
    name: `phases-completed: one push of ${NAMES.toLocaleString('en-US')} completed phases, then ordinary updates`,
    seconds: (performance.now() - started) / 1000,
    figures: [
      goal(`${NAMES.toLocaleString('en-US')}-name push, response time`, flood.ms, 'ms', '<', 100),
      info('push answer (HTTP status)', flood.status, ''),
      info('ordinary update before it, median', median(before), 'ms'),
      info('ordinary update after it, median', median(after), 'ms'),
      info('ordinary update after it, slowest', Math.max(...after), 'ms'),
      info('phases the session keeps', detail.session?.phasesCompleted.length ?? null, ''),
      info('push body', body.length / 1024, 'KB'),
      info('server peak RSS', mb(stats?.peakRssBytes), 'MB'),
    ],
    details: {
      names: NAMES,
      bodyBytes: body.length,
      push: { ms: flood.ms, status: flood.status, reply: flood.reply.slice(0, 500) },
      beforeMs: before,
      afterMs: after,
      timelinePhases: detail.session?.phases.length ?? null,
      warnings: detail.session?.warnings.map((w) => w.reason) ?? [],
      exitCode,
    },
  };
}

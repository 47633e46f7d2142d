/**
 * @module
 * `npm run bench` (SPEC 8): runs the chosen scenarios one after another, each inside its own
 * hard time limit with every child and temporary folder cleaned up, prints the table of figures
 * against their targets, and writes `bench/results/latest.json` with the machine it ran on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyTimeoutMs, runHistory } from './history.js';
import { latencyTimeoutMs, runLatency } from './latency.js';
import { repoRoot, sleep, withScope, type Scope } from './lib.js';
import { parseOptions, type BenchOptions, type ScenarioName } from './options.js';
import { phasesCompletedTimeoutMs, runPhasesCompleted } from './phases-completed.js';
import { overlayTimeoutMs, runOverlay } from './overlay.js';
import { pushTimeoutMs, runPush } from './push.js';
import { renderTable, type ScenarioResult } from './report.js';
import { runSoak, soakTimeoutMs } from './soak.js';
import { runStorage, storageTimeoutMs } from './storage.js';
import { runTranscripts, transcriptsTimeoutMs } from './transcripts.js';

type Runner = (
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
) => Promise<ScenarioResult>;

const SCENARIO: Record<ScenarioName, { run: Runner; timeoutMs: (options: BenchOptions) => number }> = {
  latency: { run: runLatency, timeoutMs: latencyTimeoutMs },
  push: { run: runPush, timeoutMs: pushTimeoutMs },
  'phases-completed': { run: runPhasesCompleted, timeoutMs: phasesCompletedTimeoutMs },
  storage: { run: runStorage, timeoutMs: storageTimeoutMs },
  transcripts: { run: runTranscripts, timeoutMs: transcriptsTimeoutMs },
  overlay: { run: runOverlay, timeoutMs: overlayTimeoutMs },
  history: { run: runHistory, timeoutMs: historyTimeoutMs },
  soak: { run: runSoak, timeoutMs: soakTimeoutMs },
};

/** Pause between scenarios, so one does not pay for the tail of the one before. */
const SETTLE_MS = 2_000;

const progress = (line: string) => console.error(`bench: ${line}`);

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 1024 / 1024),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.message);
    return 2;
  }
  const { options } = parsed;
  const startedAt = new Date();
  progress(
    `${options.quick ? 'quick' : 'full'} run: ${options.scenarios.join(', ')} on ${os.cpus().length} CPUs, node ${process.version}`,
  );

  const results: ScenarioResult[] = [];
  for (const [index, name] of options.scenarios.entries()) {
    const { run, timeoutMs } = SCENARIO[name];
    // The previous scenario's server may still be writing back pages; let the disk settle.
    if (index > 0) await sleep(SETTLE_MS);
    const started = performance.now();
    try {
      results.push(await withScope(timeoutMs(options), (scope) => run(options, scope, progress)));
    } catch (error) {
      const message = (error as Error).message;
      progress(`${name} failed: ${message}`);
      results.push({
        name,
        seconds: (performance.now() - started) / 1000,
        figures: [],
        details: {},
        error: message,
      });
    }
  }

  const table = renderTable(results);
  console.log(
    `\nbuildcast bench, ${options.quick ? 'quick' : 'full'} run, ${startedAt.toISOString()}, ${os.cpus().length} CPUs, node ${process.version}\n`,
  );
  console.log(table);

  const out = path.join(repoRoot, 'bench', 'results', 'latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const report = {
    date: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: machine(),
    options,
    results,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), out) || out}`);
  return results.some((result) => result.error) ? 1 : 0;
}

// Ctrl-C: leave through 'exit', where every child still running is killed.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);

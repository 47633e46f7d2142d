/**
 * @module
 * Scenario: Claude Code transcript ingest (SPEC 8: "first read of 100 MB of JSONL at least 2×
 * faster than ccusage on the same files; later reads touch only new bytes"). A generated set
 * (bench/gen-transcripts.ts; 100 MB, 20 MB with --quick) is read by buildcast from spawn until
 * `/api/health` reports the backfill done, then by `ccusage session --json` through npx on the
 * same folder, in the same run; both read the files from the page cache. Then a few turns are
 * appended and buildcast, restarted on the same database, must read exactly the appended bytes.
 * Token totals from both tools are checked against what the generator wrote, and each
 * session's cost against Anthropic's prices for what it wrote (bench/transcripts-cost.ts).
 */
import path from 'node:path';
import {
  failureOf,
  runCcusageSession,
  setupCcusage,
  type CcusageRun,
  type CcusageSetup,
  type CcusageTotals,
} from './ccusage.js';
import { appendTurn, generateTranscripts, type GeneratedTranscripts } from './gen-transcripts.js';
import type { Scope } from './lib.js';
import type { BenchOptions } from './options.js';
import { mb } from './proc-stats.js';
import { plusTokens, sameTokens, sumTokens, zeroTokens, type TokenTotals } from './token-totals.js';
import { readAndStop } from './transcripts-buildcast.js';
import { costFigures, costRows } from './transcripts-cost.js';
import { formatNumber, goal, info, type Figure, type ScenarioResult } from './report.js';
import { ratio } from './stats.js';

const MIB = 1024 * 1024;
const setBytes = (options: BenchOptions) => (options.quick ? 20 : 100) * MIB;
const SEED = 20261121;
/** Transcripts that get a new turn before the second start. */
const APPENDED_FILES = 5;
/** Longest wait for npx to install ccusage (and older releases, when the latest does not run). */
const CCUSAGE_SETUP_MS = 150_000;

/** Hard limit of the scenario, in ms. */
export function transcriptsTimeoutMs(options: BenchOptions): number {
  return CCUSAGE_SETUP_MS + (options.quick ? 120_000 : 300_000);
}

/** A figure whose target is an exact value; `matches` decides when the value alone cannot. */
function equals(
  label: string,
  value: number | null,
  unit: string,
  expected: number,
  matches?: boolean,
): Figure {
  return {
    label,
    value,
    unit,
    target: `= ${formatNumber(expected)}${unit ? ` ${unit}` : ''}`,
    verdict: (matches ?? value === expected) ? 'pass' : 'short',
  };
}

/** Which count ccusage's totals agree with: streamed responses carry partial output until the last line. */
function countedAs(got: TokenTotals | null, first: TokenTotals, last: TokenTotals): string {
  if (sameTokens(got, first)) return 'first line of each request';
  if (sameTokens(got, last)) return 'last line of each request';
  return got === null ? 'unknown' : 'neither';
}

const runSummary = (run: CcusageRun | null, bytes: number) =>
  run && {
    seconds: run.seconds,
    mbPerSecond: run.code === 0 ? bytes / MIB / run.seconds : null,
    exitCode: run.code,
    cpuSeconds: run.cpuSeconds,
    peakRssMB: mb(run.peakRssBytes),
    totals: run.totals,
    error: run.code === 0 && run.totals ? null : run.stderr.trim().split('\n').slice(-3).join(' | '),
  };

interface CcusageRuns {
  spec: string;
  /** Why there are no ccusage figures, when there are none. */
  unavailable: string | null;
  note: string | null;
  version: string | null;
  npx: CcusageRun | null;
  direct: CcusageRun | null;
}

const succeeded = (run: CcusageRun | null): run is CcusageRun & { totals: CcusageTotals } =>
  run !== null && run.code === 0 && run.totals !== null;

/** `ccusage session --json` through npx, as the issue states it, then its script without npx. */
async function measureCcusage(
  scope: Scope,
  ccusage: CcusageSetup,
  dir: string,
  progress: (line: string) => void,
): Promise<CcusageRuns> {
  if (!ccusage.ok) {
    progress(`transcripts: ccusage unavailable: ${ccusage.reason}`);
    return {
      spec: 'ccusage',
      unavailable: ccusage.reason,
      note: null,
      version: null,
      npx: null,
      direct: null,
    };
  }
  const { tool } = ccusage;
  progress(`transcripts: npx --yes ${tool.spec} session --json`);
  const npx = await runCcusageSession(scope, tool, 'npx', path.join(dir, 'ccusage-npx.time'));
  let direct: CcusageRun | null = null;
  if (tool.script && succeeded(npx)) {
    progress(`transcripts: ${tool.spec} session --json without npx`);
    direct = await runCcusageSession(scope, tool, 'direct', path.join(dir, 'ccusage.time'));
  }
  const unavailable = succeeded(npx) ? null : `${tool.spec} session --json failed: ${failureOf(npx).reason}`;
  if (unavailable) progress(`transcripts: ${unavailable}`);
  return { spec: tool.spec, unavailable, note: tool.note, version: tool.version, npx, direct };
}

/** Appends a turn to a few transcripts spread over the set; what was added in all. */
async function appendTurns(set: GeneratedTranscripts) {
  let appended = { bytes: 0, lines: 0, requests: 0, tokens: zeroTokens(), finalTokens: zeroTokens() };
  const step = Math.max(1, Math.floor(set.transcripts.length / APPENDED_FILES));
  for (let i = 0; i < APPENDED_FILES && i * step < set.transcripts.length; i++) {
    const added = await appendTurn(set.transcripts[i * step]!, SEED + i + 1);
    appended = {
      bytes: appended.bytes + added.bytes,
      lines: appended.lines + added.lines,
      requests: appended.requests + added.requests,
      tokens: plusTokens(appended.tokens, added.tokens),
      finalTokens: plusTokens(appended.finalTokens, added.finalTokens),
    };
  }
  return appended;
}

/** Generates the set, reads it with buildcast and ccusage, then appends and reads again. */
export async function runTranscripts(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void = () => {},
): Promise<ScenarioResult> {
  const started = performance.now();
  const claudeDir = scope.tempDir('transcripts');
  progress(`transcripts: generating ${setBytes(options) / MIB} MB of Claude Code transcripts (not timed)`);
  const set = await generateTranscripts({ dir: claudeDir, totalBytes: setBytes(options), seed: SEED });
  const setMB = set.bytes / MIB;

  progress('transcripts: installing ccusage through npx (not timed)');
  const setup = await setupCcusage(scope, scope.tempDir('ccusage-home'), claudeDir, CCUSAGE_SETUP_MS);
  if (setup.ok && setup.tool.note) progress(`transcripts: ${setup.tool.note}; measuring ${setup.tool.spec}`);

  const dir = scope.tempDir('transcripts-db');
  const files = { root: scope.tempDir('transcripts-root'), db: path.join(dir, 'buildcast.db'), claudeDir };
  progress(`transcripts: buildcast first read of ${formatNumber(setMB)} MB in ${set.files} files`);
  const first = await readAndStop(scope, files, options.debounceMs);
  // Both tools read the same bytes: ccusage runs before anything is appended.
  const ccusage = await measureCcusage(scope, setup, dir, progress);

  progress(`transcripts: appending a turn to ${APPENDED_FILES} transcripts, buildcast later read`);
  const appended = await appendTurns(set);
  const later = await readAndStop(scope, files, options.debounceMs);
  // buildcast counts each request by its final line, as ccusage does.
  const expectedLater = plusTokens(set.finalTokens, appended.finalTokens);

  const buildcastRate = setMB / first.spawnToDoneSeconds;
  const npx = succeeded(ccusage.npx) ? ccusage.npx : null;
  const direct = succeeded(ccusage.direct) ? ccusage.direct : null;
  const npxRate = npx ? setMB / npx.seconds : null;
  const ccTokens = npx?.totals.tokens ?? null;
  const counted = countedAs(ccTokens, set.tokens, set.finalTokens);
  if (ccTokens && !sameTokens(ccTokens, set.finalTokens))
    progress(`transcripts: ccusage's tokens match the ${counted}`);

  const costs = costRows(set, first.bySession, npx?.totals.bySession ?? null);
  const versus = 'buildcast / ccusage via npx, MB/s';
  const figures: Figure[] = [
    info('set size', setMB, 'MB'),
    info('buildcast first read, spawn to done', first.spawnToDoneSeconds, 's'),
    info('buildcast first read, after start-up line', first.afterStartSeconds, 's'),
    info('buildcast first read', buildcastRate, 'MB/s'),
    info('buildcast CPU, spawn to done', first.cpuSeconds, 's'),
    info('buildcast peak RSS', first.peakRssMB, 'MB'),
    equals(
      'buildcast tokens = generated (final line of each request)',
      sumTokens(first.tokens),
      '',
      sumTokens(set.finalTokens),
      sameTokens(first.tokens, set.finalTokens),
    ),
    info('ccusage via npx, wall', npx?.seconds ?? null, 's'),
    info('ccusage via npx', npxRate, 'MB/s'),
    // No ccusage, no comparison: the ratio is shown as n/a rather than counted short.
    npxRate === null ? info(versus, null, 'x') : goal(versus, ratio(buildcastRate, npxRate), 'x', '>=', 2),
    info('ccusage without npx, wall', direct?.seconds ?? null, 's'),
    info(
      'buildcast / ccusage without npx, MB/s',
      direct ? ratio(buildcastRate, setMB / direct.seconds) : null,
      'x',
    ),
    info('ccusage CPU (with npx)', npx?.cpuSeconds ?? null, 's'),
    info('ccusage peak RSS (largest process)', mb(npx?.peakRssBytes), 'MB'),
    info('ccusage total tokens', ccTokens ? sumTokens(ccTokens) : null, ''),
    info('generated tokens, last line of each request', sumTokens(set.finalTokens), ''),
    equals('later read: bytes read after restart', later.bytesRead, 'B', appended.bytes),
    info('later read: spawn to done', later.spawnToDoneSeconds, 's'),
    equals(
      'later read: tokens after restart',
      sumTokens(later.tokens),
      '',
      sumTokens(expectedLater),
      sameTokens(later.tokens, expectedLater),
    ),
    ...costFigures(costs, set),
  ];
  return {
    name:
      `transcripts: first read of ${formatNumber(setMB)} MB of Claude Code JSONL (${set.files} files), ` +
      `buildcast and ${ccusage.unavailable ? 'ccusage (unavailable)' : ccusage.spec}`,
    seconds: (performance.now() - started) / 1000,
    figures,
    details: {
      set: { ...set, transcripts: undefined, seed: SEED },
      buildcast: {
        first: { ...first, bySession: undefined },
        later: { ...later, bySession: undefined, expected: expectedLater },
      },
      costs,
      appended,
      ccusage: {
        ...ccusage,
        countedAs: counted,
        npx: runSummary(ccusage.npx, set.bytes),
        direct: runSummary(ccusage.direct, set.bytes),
      },
    },
  };
}

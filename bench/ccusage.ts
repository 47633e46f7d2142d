/**
 * @module
 * ccusage, the tool the transcript benchmark compares buildcast with (SPEC 8): found and warmed
 * through npx (`npx --yes ccusage@latest`), run as `session --json` on a folder through
 * `CLAUDE_CONFIG_DIR` with HOME pointed at an empty folder so it never reads the machine's own
 * history, and its JSON totals read back. When the latest release does not run here (no
 * registry, or no native build for this platform) the newest release that does is measured
 * instead, and the report says so; when none runs, ccusage is reported unavailable.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Scope } from './lib.js';
import type { TokenTotals } from './gen-transcripts.js';

/** A ccusage that answered `--version`, and how to run it. */
export interface CcusageTool {
  /** What npx is given, e.g. `ccusage@latest`. */
  spec: string;
  version: string;
  /** Why `spec` is not `ccusage@latest`, when it is not. */
  note: string | null;
  env: NodeJS.ProcessEnv;
  /** Its command-line script in the npx cache, to run it again without npx resolving it. */
  script: string | null;
}

export type CcusageSetup = { ok: true; tool: CcusageTool } | { ok: false; reason: string };

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** User plus system CPU of the command and everything it waited for (GNU time), if known. */
  cpuSeconds: number | null;
  /** Largest resident set among them (GNU time), if known. */
  peakRssBytes: number | null;
  timedOut: boolean;
}

const GNU_TIME = '/usr/bin/time';
/** At most this many older releases are tried when the latest does not run. */
const FALLBACK_TRIES = 3;
const groups = new Set<number>();
// npx starts node, which starts ccusage: a whole process group must go, even on Ctrl-C.
process.on('exit', () => {
  for (const pid of groups) killGroup(pid);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs a command in its own process group, killed on timeout or when the scope closes. */
export function runCommand(
  scope: Scope,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; measure?: boolean; statsFile?: string },
): Promise<CommandRun> {
  const measured = options.measure === true && options.statsFile !== undefined && existsSync(GNU_TIME);
  const [file, argv] = measured
    ? [GNU_TIME, ['-f', '%U %S %M', '-o', options.statsFile!, command, ...args]]
    : [command, args];
  const started = performance.now();
  const child = spawn(file, argv, { env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid !== undefined) groups.add(pid);
  const stop = () => {
    if (pid !== undefined && groups.delete(pid)) killGroup(pid);
  };
  scope.defer(stop);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => stop();
    scope.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, failure?: Error) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      scope.signal.removeEventListener('abort', onAbort);
      if (pid !== undefined) groups.delete(pid);
      let cpuSeconds: number | null = null;
      let peakRssBytes: number | null = null;
      if (measured) {
        // GNU time writes "Command exited with non-zero status N" first when it fails.
        const last = readText(options.statsFile!).trim().split('\n').pop() ?? '';
        const [user, system, rssKb] = last.split(' ').map(Number);
        if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = user! + system!;
        if (Number.isFinite(rssKb)) peakRssBytes = rssKb! * 1024;
      }
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: failure ? failure.message : Buffer.concat(stderr).toString('utf8'),
        seconds,
        cpuSeconds,
        peakRssBytes,
        timedOut,
      });
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
  });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** npm's error codes that mean the registry cannot be reached: no older release would install either. */
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/;

/** Why a command failed, in one line: npm's error code and reason, else the last line it printed. */
export function failureOf(run: CommandRun): { reason: string; unreachable: boolean } {
  if (run.timedOut) return { reason: `timed out after ${Math.round(run.seconds)} s`, unreachable: true };
  const text = `${run.stderr}\n${run.stdout}`;
  const code = /^npm error code (\S+)/m.exec(text)?.[1];
  if (code) {
    const detail = /reason: (.+)$/m.exec(text)?.[1] ?? /^npm error 404 (.+)$/m.exec(text)?.[1];
    return {
      reason: `npm error ${code}${detail ? ` (${detail.trim()})` : ''}`,
      unreachable: UNREACHABLE.test(code),
    };
  }
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('npm warn'));
  return { reason: lines.pop() ?? `exited with code ${run.code}`, unreachable: false };
}

/**
 * The environment ccusage runs in: no Claude, Codex or XDG settings of this machine, HOME an
 * empty folder, and npm's own cache and settings kept where they are (they live under the real
 * HOME), so npx does not download ccusage again for every run.
 */
async function ccusageEnv(scope: Scope, home: string, claudeDir: string): Promise<NodeJS.ProcessEnv> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(BUILDCAST_|CLAUDE_|CODEX_|XDG_)/.test(key)),
  );
  const npmSetting = async (name: string) => {
    const run = await runCommand(scope, 'npm', ['config', 'get', name], {
      env: process.env,
      timeoutMs: 30_000,
    });
    const value = run.stdout.trim();
    return run.code === 0 && value !== '' && value !== 'undefined' ? value : null;
  };
  const cache = await npmSetting('cache');
  const userconfig = await npmSetting('userconfig');
  return {
    ...base,
    HOME: home,
    CLAUDE_CONFIG_DIR: claudeDir,
    NO_COLOR: '1',
    npm_config_update_notifier: 'false',
    // One retry, not npm's two with up to a minute between them: a dead registry is known sooner.
    npm_config_fetch_retries: '1',
    ...(cache ? { npm_config_cache: cache } : {}),
    ...(userconfig ? { npm_config_userconfig: userconfig } : {}),
  };
}

/** `ccusage <version>` or a bare version number. */
const versionOf = (text: string) => /(\d+\.\d+\.\d+\S*)/.exec(text)?.[1] ?? text.trim();

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The script npx installed for `spec`, found through the `_npx` folder of npm's cache. */
function scriptFor(env: NodeJS.ProcessEnv, spec: string): string | null {
  const cache = env.npm_config_cache;
  if (!cache) return null;
  const root = path.join(cache, '_npx');
  try {
    for (const entry of readdirSync(root)) {
      const manifest = JSON.parse(readText(path.join(root, entry, 'package.json')) || '{}') as {
        _npx?: { packages?: string[] };
      };
      if (!manifest._npx?.packages?.includes(spec)) continue;
      const pkgDir = path.join(root, entry, 'node_modules', 'ccusage');
      const pkg = JSON.parse(readText(path.join(pkgDir, 'package.json')) || '{}') as {
        bin?: string | Record<string, string>;
      };
      const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.ccusage;
      if (bin && existsSync(path.join(pkgDir, bin))) return path.join(pkgDir, bin);
    }
  } catch {
    // No cache folder: run through npx only.
  }
  return null;
}

/**
 * Installs (through npx, untimed) the latest ccusage that runs here, within `budgetMs` in all so
 * a slow registry costs the ccusage figures, never the whole scenario.
 */
export async function setupCcusage(
  scope: Scope,
  home: string,
  claudeDir: string,
  budgetMs: number,
): Promise<CcusageSetup> {
  const deadline = performance.now() + budgetMs;
  const left = () => Math.max(1_000, Math.min(90_000, deadline - performance.now()));
  const env = await ccusageEnv(scope, home, claudeDir);
  const tryVersion = async (spec: string) => {
    const run = await runCommand(scope, 'npx', ['--yes', spec, '--version'], { env, timeoutMs: left() });
    return run.code === 0
      ? { ok: true as const, version: versionOf(run.stdout) }
      : { ok: false as const, run };
  };
  const tool = (spec: string, version: string, note: string | null): CcusageSetup => ({
    ok: true,
    tool: { spec, version, note, env, script: scriptFor(env, spec) },
  });

  const latest = await tryVersion('ccusage@latest');
  if (latest.ok) return tool('ccusage@latest', latest.version, null);
  const { reason: why, unreachable } = failureOf(latest.run);
  if (unreachable || deadline - performance.now() < 5_000)
    return { ok: false, reason: `ccusage@latest does not run: ${why}` };
  const view = await runCommand(scope, 'npm', ['view', 'ccusage', 'dist-tags.latest', 'versions', '--json'], {
    env,
    timeoutMs: left(),
  });
  let listed: { 'dist-tags.latest'?: string; versions?: string[] } = {};
  try {
    listed = JSON.parse(view.stdout) as typeof listed;
  } catch {
    return { ok: false, reason: `ccusage@latest does not run: ${why}` };
  }
  const newest = listed['dist-tags.latest'] ?? '';
  const older = (listed.versions ?? [])
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && (newest === '' || compareVersions(v, newest) < 0))
    .sort((a, b) => compareVersions(b, a))
    .slice(0, FALLBACK_TRIES);
  for (const version of older) {
    if (deadline - performance.now() < 5_000) break;
    const spec = `ccusage@${version}`;
    const attempt = await tryVersion(spec);
    if (attempt.ok)
      return tool(spec, attempt.version, `ccusage@latest (${newest}) does not run here: ${why}`);
  }
  return { ok: false, reason: `ccusage@latest (${newest || 'unknown'}) does not run: ${why}` };
}

/** One session of `ccusage session --json`: `period` is the Claude Code session id. */
export interface CcusageSession {
  id: string;
  /** US dollars, as ccusage prices the session. */
  costUsd: number;
}

/** Totals of `ccusage session --json`, and each session's cost. */
export interface CcusageTotals {
  tokens: TokenTotals;
  totalTokens: number;
  costUsd: number | null;
  sessions: number;
  bySession: CcusageSession[];
}

const numberIn = (record: Record<string, unknown>, key: string): number | null =>
  typeof record[key] === 'number' && Number.isFinite(record[key]) ? (record[key] as number) : null;

/** Reads `ccusage session --json` (`{ session: [...], totals }`; older releases: `sessions`). */
export function parseCcusageJson(text: string): CcusageTotals | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const body = parsed as { totals?: Record<string, unknown>; session?: unknown; sessions?: unknown };
  const totals = body.totals;
  if (!totals) return null;
  const n = (key: string) => numberIn(totals, key) ?? 0;
  const list: unknown[] = Array.isArray(body.session)
    ? body.session
    : Array.isArray(body.sessions)
      ? body.sessions
      : [];
  const bySession: CcusageSession[] = [];
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const id = typeof record.period === 'string' ? record.period : record.sessionId;
    const costUsd = numberIn(record, 'totalCost');
    if (typeof id === 'string' && costUsd !== null) bySession.push({ id, costUsd });
  }
  return {
    tokens: {
      input: n('inputTokens'),
      output: n('outputTokens'),
      cacheRead: n('cacheReadTokens'),
      cacheWrite: n('cacheCreationTokens'),
    },
    totalTokens: n('totalTokens'),
    costUsd: numberIn(totals, 'totalCost'),
    sessions: list.length,
    bySession,
  };
}

export interface CcusageRun extends CommandRun {
  totals: CcusageTotals | null;
}

/**
 * `session --json` with the prices ccusage ships (`--offline`): the bench reaches no network but
 * the package registry, so without it ccusage would try to refresh them and fall back to these.
 */
const SESSION_ARGS = ['session', '--json', '--offline'];

/** Times `ccusage session --json`: through npx as users run it, or its script straight from the cache. */
export async function runCcusageSession(
  scope: Scope,
  tool: CcusageTool,
  how: 'npx' | 'direct',
  statsFile: string,
): Promise<CcusageRun> {
  const [command, args] =
    how === 'npx' || tool.script === null
      ? ['npx', ['--yes', tool.spec, ...SESSION_ARGS]]
      : [process.execPath, [tool.script, ...SESSION_ARGS]];
  const run = await runCommand(scope, command, args, {
    env: tool.env,
    timeoutMs: 300_000,
    measure: true,
    statsFile,
  });
  return { ...run, totals: run.code === 0 ? parseCcusageJson(run.stdout) : null };
}

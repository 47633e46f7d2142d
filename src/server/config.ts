/**
 * @module
 * Command line and environment, turned into one resolved `Config` at start-up (SPEC 6).
 * Every flag has a `BUILDCAST_*` variable; a flag beats its variable. Bad values fail fast
 * with a message naming the flag, before anything starts.
 */
import { isIPv6 } from 'node:net';
import path from 'node:path';
import { DEFAULT_MAX_BUFFERED_BYTES } from '../live/hub.js';
import { normalizeHostName } from './guard.js';
import { DEFAULT_INGEST_RATE } from './rate-limit.js';

export type Command = 'serve' | 'demo' | 'simulate' | 'help' | 'version';

export interface Config {
  command: Command;
  /** Folders watched for `.context-foundry/current-phase.json`. */
  roots: string[];
  port: number;
  host: string;
  /** SQLite file, or `:memory:`. */
  db: string;
  debounceMs: number;
  freshMs: number;
  stallMs: number;
  heartbeatMs: number;
  /** Ralph checkpoint folders (SPEC 1.3). */
  checkpoints: string[];
  /** Claude Code data folders (SPEC 1.5). */
  claudeDirs: string[];
  /** The user's pricing file (`--pricing`), replacing or adding model prices. */
  pricing: string | null;
  /** Required for ingest (and viewing unless `public`) when set. */
  token: string | null;
  /**
   * Opens the overlay, its assets and its live stream, redacted, and nothing else
   * (`--overlay-token`); with `token` set and none given, one is made at start.
   */
  overlayToken: string | null;
  public: boolean;
  /** More names a request's `Host` may carry besides the bound address and loopback names. */
  allowedHosts: string[];
  /** Ingest requests per second per client address; 0 means no limit. */
  rate: number;
  maxBodyBytes: number;
  /** A live client with more than this many bytes unsent is cut off (`--max-client-buffer`). */
  maxClientBufferBytes: number;
  /** Finished runs that ended more than this many days ago are pruned (`--retain-days`); null keeps all. */
  retainDays: number | null;
  /** `simulate`: where to write the build; `demo`: null means a fresh temporary folder. */
  dir: string | null;
  speed: number;
  project: string;
}

interface FlagSpec {
  env: string;
  /** `list`: folders (`:` or `,` in a variable); `names`: host names (`,` in a variable). */
  kind: 'string' | 'list' | 'names' | 'int' | 'number' | 'bool';
  min?: number;
  max?: number;
}

const FLAGS: Record<string, FlagSpec> = {
  root: { env: 'BUILDCAST_ROOT', kind: 'list' },
  port: { env: 'BUILDCAST_PORT', kind: 'int', min: 0, max: 65_535 },
  host: { env: 'BUILDCAST_HOST', kind: 'string' },
  db: { env: 'BUILDCAST_DB', kind: 'string' },
  debounce: { env: 'BUILDCAST_DEBOUNCE', kind: 'int', min: 0, max: 60_000 },
  fresh: { env: 'BUILDCAST_FRESH', kind: 'number', min: 0, max: 86_400 },
  stall: { env: 'BUILDCAST_STALL', kind: 'number', min: 1, max: 604_800 },
  heartbeat: { env: 'BUILDCAST_HEARTBEAT', kind: 'number', min: 0.05, max: 3_600 },
  checkpoints: { env: 'BUILDCAST_CHECKPOINTS', kind: 'list' },
  'claude-dir': { env: 'BUILDCAST_CLAUDE_DIR', kind: 'list' },
  pricing: { env: 'BUILDCAST_PRICING', kind: 'string' },
  token: { env: 'BUILDCAST_TOKEN', kind: 'string' },
  'overlay-token': { env: 'BUILDCAST_OVERLAY_TOKEN', kind: 'string' },
  public: { env: 'BUILDCAST_PUBLIC', kind: 'bool' },
  'allowed-host': { env: 'BUILDCAST_ALLOWED_HOST', kind: 'names' },
  rate: { env: 'BUILDCAST_RATE', kind: 'number', min: 0, max: 1_000_000 },
  'max-body': { env: 'BUILDCAST_MAX_BODY', kind: 'int', min: 1_024, max: 64 * 1024 * 1024 },
  'max-client-buffer': {
    env: 'BUILDCAST_MAX_CLIENT_BUFFER',
    kind: 'int',
    min: 65_536,
    max: 1024 * 1024 * 1024,
  },
  'retain-days': { env: 'BUILDCAST_RETAIN_DAYS', kind: 'int', min: 1, max: 36_500 },
  dir: { env: 'BUILDCAST_DIR', kind: 'string' },
  speed: { env: 'BUILDCAST_SPEED', kind: 'number', min: 0.01, max: 1_000 },
  project: { env: 'BUILDCAST_PROJECT', kind: 'string' },
};

const COMMANDS: readonly Command[] = ['serve', 'demo', 'simulate', 'help', 'version'];

export const USAGE = `Usage: buildcast [serve|demo|simulate] [options]

Commands:
  serve                  watch builds and serve the dashboard (default)
  demo                   serve, and run a simulated build in a temporary folder
  simulate --dir DIR     write a simulated build into DIR (no server)

Options (each also as an environment variable):
  --root DIR             folder to watch, repeatable (BUILDCAST_ROOT; default: current folder)
  --port N               port, 0 picks a free one (BUILDCAST_PORT; default 8080)
  --host HOST            address to bind (BUILDCAST_HOST; default 127.0.0.1)
  --db PATH              SQLite file or :memory: (BUILDCAST_DB; default per-user data folder)
  --debounce MS          collapse file events within MS (BUILDCAST_DEBOUNCE; default 100)
  --fresh S              live file freshness window (BUILDCAST_FRESH; default 10)
  --stall S              mark a running build stalled after S silent seconds (BUILDCAST_STALL; default 600)
  --heartbeat S          heartbeat frame interval (BUILDCAST_HEARTBEAT; default 5)
  --checkpoints DIR      Ralph checkpoint folder, repeatable (BUILDCAST_CHECKPOINTS)
  --claude-dir DIR       Claude Code data folder, repeatable (BUILDCAST_CLAUDE_DIR)
  --pricing FILE         model prices replacing or adding to the shipped table (BUILDCAST_PRICING;
                         default ~/.config/buildcast/pricing.json when it exists)
  --token T              require T for ingest and viewing (BUILDCAST_TOKEN)
  --overlay-token T      T opens the stream overlay (redacted) and nothing else (BUILDCAST_OVERLAY_TOKEN;
                         with --token and none given, one is made at start: see /overlay/setup)
  --public               with --token: viewing needs no token (BUILDCAST_PUBLIC)
  --allowed-host NAME    another name this server answers to, e.g. behind a proxy, repeatable
                         (BUILDCAST_ALLOWED_HOST, comma-separated; always: the bound address,
                         localhost, 127.0.0.1, [::1])
  --rate N               ingest requests per second per client address, bursts of 2N; 0 means
                         no limit (BUILDCAST_RATE; default ${DEFAULT_INGEST_RATE})
  --max-body BYTES       largest request body (BUILDCAST_MAX_BODY; default 262144)
  --max-client-buffer BYTES
                         drop a live client with more than BYTES unsent (BUILDCAST_MAX_CLIENT_BUFFER; default 1048576)
  --retain-days N        prune finished runs that ended more than N days ago, at start and daily
                         (BUILDCAST_RETAIN_DAYS; default: keep every run)
  --dir DIR              simulate: the build's work directory; demo: the folder for its builds (BUILDCAST_DIR)
  --speed X              simulate/demo: time multiplier (BUILDCAST_SPEED; default 1)
  --project NAME         simulate/demo: project name (BUILDCAST_PROJECT; default weather-app)
  -h, --help             show this help
  -v, --version          print the version`;

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/** DNS labels (letters, digits, hyphens, underscores) joined by dots; IPv4 addresses match too. */
const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether binding to `host` keeps buildcast on this machine only. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function parseValue(
  name: string,
  spec: FlagSpec,
  text: string,
): string | number | boolean | { error: string } {
  if (spec.kind === 'string' || spec.kind === 'list') return text;
  if (spec.kind === 'names') {
    const host = normalizeHostName(text);
    if (!HOST_NAME.test(host) && !(host.startsWith('[') && isIPv6(host.slice(1, -1)))) {
      return {
        error: `--${name} takes a host name such as dash.example.com (no scheme, port or path), not "${text}"`,
      };
    }
    return host;
  }
  if (spec.kind === 'bool') {
    if (/^(1|true|yes|on|)$/i.test(text)) return true;
    if (/^(0|false|no|off)$/i.test(text)) return false;
    return { error: `--${name} takes true or false, not "${text}"` };
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (spec.kind === 'int' && !Number.isInteger(value))) {
    return { error: `--${name} takes ${spec.kind === 'int' ? 'a whole number' : 'a number'}, not "${text}"` };
  }
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    return { error: `--${name} must be between ${spec.min} and ${spec.max}, not ${text}` };
  }
  return value;
}

/**
 * A variable's values: folder lists are separated like PATH (":" here, ";" on Windows) or by
 * commas; host names only by commas, since an IPv6 address is full of colons.
 */
function splitVariable(spec: FlagSpec, text: string): string[] {
  if (spec.kind === 'list') return text.split(new RegExp(`[,${path.delimiter}]`)).filter(Boolean);
  if (spec.kind === 'names') return text.split(/\s*,\s*/).filter(Boolean);
  return [text];
}

/**
 * Resolves the configuration from arguments (without `node` and the script) and environment.
 * `defaultDb` is the per-user database path, computed by the caller.
 */
export function parseConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string,
  defaultDb: string,
): ConfigResult {
  const values = new Map<string, Array<string | number | boolean>>();
  let command: Command | null = null;
  const fail = (message: string): ConfigResult => ({ ok: false, message });

  for (const [name, spec] of Object.entries(FLAGS)) {
    const text = env[spec.env];
    if (text === undefined || text === '') continue;
    const parts = splitVariable(spec, text);
    const parsed = parts.map((part) => parseValue(name, spec, part));
    const bad = parsed.find((p): p is { error: string } => typeof p === 'object');
    if (bad) return fail(`${spec.env}: ${bad.error}`);
    values.set(name, parsed as Array<string | number | boolean>);
  }

  const fromFlags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { ok: true, config: resolve('help') };
    if (arg === '-v' || arg === '--version') return { ok: true, config: resolve('version') };
    if (!arg.startsWith('--')) {
      if (command === null && (COMMANDS as readonly string[]).includes(arg)) {
        command = arg as Command;
        continue;
      }
      return fail(`unexpected argument "${arg}" (try --help)`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    // Own keys only: "--constructor" or "--__proto__" is an unknown option, not Object.prototype's.
    const spec = Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
    if (!spec) return fail(`unknown option --${name} (try --help)`);
    let text: string;
    if (eq !== -1) text = arg.slice(eq + 1);
    else if (spec.kind === 'bool') text = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return fail(`--${name} needs a value`);
      text = next;
      i++;
    }
    const value = parseValue(name, spec, text);
    if (typeof value === 'object') return fail(value.error);
    if (!fromFlags.has(name)) values.set(name, []);
    fromFlags.add(name);
    values.get(name)!.push(value);
  }

  const config = resolve(command ?? 'serve');
  if (config.token === null && !isLoopback(config.host)) {
    return fail(`binding to ${config.host} exposes buildcast beyond this machine: set --token`);
  }
  if (config.overlayToken !== null && config.overlayToken === config.token) {
    return fail('--overlay-token must differ from --token: it is meant to be shown on a stream');
  }
  return { ok: true, config };

  function one<T extends string | number | boolean>(name: string, fallback: T): T {
    const list = values.get(name);
    return (list && list.length > 0 ? list[list.length - 1] : fallback) as T;
  }
  function many(name: string): string[] {
    return (values.get(name) ?? []).map((v) => path.resolve(cwd, String(v)));
  }
  function resolve(cmd: Command): Config {
    const roots = many('root');
    const db = one('db', defaultDb);
    const dir = values.has('dir') ? path.resolve(cwd, one('dir', '')) : null;
    return {
      command: cmd,
      roots: roots.length > 0 ? roots : [cwd],
      port: one('port', 8080),
      host: one('host', '127.0.0.1'),
      db: db === ':memory:' ? db : path.resolve(cwd, db),
      debounceMs: one('debounce', 100),
      freshMs: Math.round(one('fresh', 10) * 1000),
      stallMs: Math.round(one('stall', 600) * 1000),
      heartbeatMs: Math.round(one('heartbeat', 5) * 1000),
      checkpoints: many('checkpoints'),
      claudeDirs: many('claude-dir'),
      pricing: values.has('pricing') ? path.resolve(cwd, one('pricing', '')) : null,
      token: one<string>('token', '') || null,
      overlayToken: one<string>('overlay-token', '') || null,
      public: one('public', false),
      allowedHosts: (values.get('allowed-host') ?? []).map(String),
      rate: one('rate', DEFAULT_INGEST_RATE),
      maxBodyBytes: one('max-body', 256 * 1024),
      maxClientBufferBytes: one('max-client-buffer', DEFAULT_MAX_BUFFERED_BYTES),
      retainDays: values.has('retain-days') ? one('retain-days', 0) : null,
      dir,
      speed: one('speed', 1),
      project: one('project', 'weather-app'),
    };
  }
}

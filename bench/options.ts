/**
 * @module
 * Command-line options of `npm run bench`, parsed once into a resolved shape. Pure, so the
 * rules (defaults, quick mode, which scenarios run) are tested without running anything.
 */

/** Scenario names, in the order they run. */
export const SCENARIOS = [
  'latency',
  'push',
  'phases-completed',
  'storage',
  'transcripts',
  'overlay',
  'history',
  'soak',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** One-minute pass: same sizes, shorter runs. */
  quick: boolean;
  scenarios: ScenarioName[];
  /** Live sessions rewriting their phase file (latency, soak). */
  sessions: number;
  /** WebSocket clients connected to `/ws` (latency, soak). */
  clients: number;
  /** Each session rewrites its file once per this many milliseconds. */
  periodMs: number;
  /** The server's `--debounce`, which the latency targets add to. */
  debounceMs: number;
  /** Measured seconds per side of the latency comparison (after warm-up). */
  latencySeconds: number;
  /** Seconds of each autocannon run in the push comparison (after warm-up). */
  pushSeconds: number;
  /** Stored sessions for the storage scenario; the small size is always measured too. */
  storedSessions: number;
  /** Soak length in seconds, when soak runs. */
  soakSeconds: number;
  /** `--soak` was given: the overlay scenario runs for the soak's length too. */
  soakGiven: boolean;
  /** Memory samples during soak, seconds apart. */
  soakSampleSeconds: number;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--soak SECONDS] [--sessions N] [--clients M] [--debounce MS] [scenario...]

Scenarios: latency push phases-completed storage transcripts overlay history (the default run), soak (only
when named, or with --soak and no scenario named).
  --quick          a short pass (about a minute and a half) with the same sizes
  --soak SECONDS   also run the soak for SECONDS; the overlay scenario runs that long too
  --sessions N     live sessions in latency and soak (default 200)
  --clients M      WebSocket clients in latency and soak (default 50)
  --debounce MS    the server's debounce (default 100)
  --stored N       stored sessions for storage (default 10000)`;

export type OptionsResult = { ok: true; options: BenchOptions } | { ok: false; message: string };

const NUMBER_FLAGS = {
  '--soak': { min: 5, max: 24 * 3600 },
  '--sessions': { min: 1, max: 5_000 },
  '--clients': { min: 1, max: 1_000 },
  '--debounce': { min: 0, max: 10_000 },
  '--stored': { min: 1_000, max: 200_000 },
} as const;
type NumberFlag = keyof typeof NUMBER_FLAGS;

/** Resolves `argv` (what follows `node run.js`) into options, or says what is wrong. */
export function parseOptions(argv: readonly string[]): OptionsResult {
  let quick = false;
  const named: ScenarioName[] = [];
  const numbers = new Map<NumberFlag, number>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') {
      quick = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { ok: false, message: USAGE };
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (flag in NUMBER_FLAGS) {
      const text = inline ?? argv[++i];
      const spec = NUMBER_FLAGS[flag as NumberFlag];
      const value = Number(text);
      if (text === undefined || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        return {
          ok: false,
          message: `${flag} takes a whole number from ${spec.min} to ${spec.max}, not "${text ?? ''}"`,
        };
      }
      numbers.set(flag as NumberFlag, value);
      continue;
    }
    if ((SCENARIOS as readonly string[]).includes(arg)) {
      if (!named.includes(arg as ScenarioName)) named.push(arg as ScenarioName);
      continue;
    }
    return { ok: false, message: `unknown argument "${arg}"\n\n${USAGE}` };
  }

  const soakGiven = numbers.get('--soak');
  const wanted = new Set<ScenarioName>(
    named.length > 0
      ? named
      : ['latency', 'push', 'phases-completed', 'storage', 'transcripts', 'overlay', 'history'],
  );
  // Named scenarios run alone: `overlay --soak 600` soaks the overlay, not the server too.
  if (soakGiven !== undefined && named.length === 0) wanted.add('soak');
  return {
    ok: true,
    options: {
      quick,
      scenarios: SCENARIOS.filter((name) => wanted.has(name)),
      sessions: numbers.get('--sessions') ?? 200,
      clients: numbers.get('--clients') ?? 50,
      periodMs: 2_000,
      debounceMs: numbers.get('--debounce') ?? 100,
      latencySeconds: quick ? 12 : 60,
      pushSeconds: quick ? 6 : 30,
      storedSessions: numbers.get('--stored') ?? 10_000,
      soakSeconds: soakGiven ?? (quick ? 60 : 600),
      soakSampleSeconds: quick ? 10 : 60,
      soakGiven: soakGiven !== undefined,
    },
  };
}

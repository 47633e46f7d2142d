/**
 * @module
 * A large stored history for the history scenario: `count` runs over 200 projects and half a
 * year, each with a realistic phase timeline, tokens, cost, test iterations and outcome, written
 * straight into a SQLite file through buildcast's own store (pushing 100,000 runs phase by phase
 * through HTTP would measure ingest, not history). Deterministic: the same count gives the same
 * runs, so figures from one machine can be compared with another's.
 */
import type { PhaseSpan, Session } from '../src/shared/protocol.js';
import { openStore } from '../src/store/store.js';

const PROJECTS = 200;
const DAY_MS = 86_400_000;
const MINUTE = 60_000;
/** The newest run starts here; the oldest about 180 days before. */
export const SEED_END = Date.parse('2026-11-20T12:00:00Z');
const PHASES: ReadonlyArray<[string, string, number]> = [
  ['Scout', '1/7', 1],
  ['Architect', '2/7', 2],
  ['Builder', '3/7', 3],
  ['Test', '4/7', 4],
  ['Screenshot', '4.5/8', 4.5],
  ['Documentation', '5/8', 5],
  ['Deploy', '6/8', 6],
  ['Feedback', '7/8', 7],
];

/** A small deterministic generator (mulberry32), so every run of the bench seeds the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const seedProject = (i: number): string => `project-${String(i % PROJECTS).padStart(3, '0')}`;

const compact = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Run `i` of a seeded history of `count` runs. */
export function seedRun(i: number, count: number): Session {
  const next = random(i * 7919 + 17);
  const project = seedProject(i);
  const start = SEED_END - Math.floor(((count - i) / count) * 180 * DAY_MS) - Math.floor(next() * 3_600_000);
  const outcome = next();
  const state: Session['state'] = outcome < 0.8 ? 'completed' : outcome < 0.95 ? 'failed' : 'stalled';
  const reached = state === 'completed' ? PHASES.length : 2 + Math.floor(next() * (PHASES.length - 2));
  const phases: PhaseSpan[] = [];
  let at = start;
  for (let p = 0; p < reached; p++) {
    const [name, number, index] = PHASES[p]!;
    if (name === 'Screenshot' && next() < 0.5) continue;
    const minutes = 3 + Math.floor(next() * (name === 'Builder' || name === 'Test' ? 45 : 15));
    const open = p === reached - 1 && state !== 'completed';
    const end = at + minutes * MINUTE;
    phases.push({
      name,
      number,
      index,
      status: open ? (state === 'failed' ? 'failed' : 'running') : 'completed',
      startedAt: new Date(at).toISOString(),
      endedAt: open && state === 'stalled' ? null : new Date(end).toISOString(),
      clock: 'build',
      durationMs: open && state === 'stalled' ? null : minutes * MINUTE,
    });
    at = end;
  }
  const last = phases[phases.length - 1]!;
  const tokens = Math.floor(200_000 + next() * 4_000_000);
  return {
    id: `${project}-${compact(start)}`,
    project,
    workdir: `/builds/${project}`,
    state,
    activity: state === 'completed' ? 'completed' : state === 'failed' ? 'failed' : 'testing',
    currentPhase: last.name,
    phaseNumber: last.number,
    phaseIndex: last.index,
    phaseTotal: 8,
    phasesCompleted: phases.filter((span) => span.status === 'completed').map((span) => span.name),
    progressDetail: `${last.name}: task ${1 + Math.floor(next() * 12)} of 12 for ${project}`,
    progressPercent: state === 'completed' ? 100 : Math.floor(next() * 90),
    testIteration: 1 + Math.floor(next() * 5),
    startedAt: new Date(start).toISOString(),
    updatedAt: new Date(at).toISOString(),
    endedAt: state === 'stalled' ? null : new Date(at).toISOString(),
    source: next() < 0.7 ? 'push' : 'live',
    phases,
    warnings: [],
    tokensTotal: tokens,
    costUsd: Math.round(tokens * 0.0000042 * 1e4) / 1e4,
  };
}

/** Writes `count` seeded runs into a new store at `file`, in transactions of 5,000. */
export function seedHistory(file: string, count: number): void {
  const store = openStore(file);
  try {
    for (let from = 0; from < count; from += 5_000) {
      const batch = [];
      for (let i = from; i < Math.min(count, from + 5_000); i++)
        batch.push({ session: seedRun(i, count), raw: null });
      store.saveSessions(batch);
    }
  } finally {
    store.close();
  }
}

/**
 * @module
 * Side files name a work directory, not a session: this finds the run they belong to (the
 * latest build in that folder) and keeps them aside when it does not exist yet, so nothing a
 * build writes before its first phase file is lost (handed on, in order, when the run appears).
 * A log that starts over after the folder's last run ended is the next run's, and waits for it.
 */
import type { Session } from '../shared/protocol.js';
import { Emitter } from '../shared/emitter.js';
import type { SideFileObservation } from '../collector/types.js';
import { isBuild } from './attribution.js';
import type { SessionRegistry } from './registry.js';
import { isLaterRun } from './run-index.js';
import { WaitingQueue } from './waiting-queue.js';

const MAX_PENDING_FOLDERS = 100;
const MAX_PENDING_PER_FOLDER = 500;

/** What the router tells those who follow it. */
export type WorkdirRouterEvents = {
  /** A side file, with the run it belongs to. */
  side: [session: Session, observation: SideFileObservation];
};

/** The latest build run in a folder; plain Claude Code sessions there own no build files. */
function latestBuild(runs: readonly Session[]): Session | undefined {
  let best: Session | undefined;
  for (const run of runs) if (isBuild(run) && (!best || isLaterRun(run, best))) best = run;
  return best;
}

/** When the lines of a log observation were written: their first event's time, else when read. */
function firstTime(observation: SideFileObservation): number {
  if (observation.kind !== 'events') return observation.at;
  let first = Infinity;
  for (const event of observation.events) if (event.at !== null && event.at < first) first = event.at;
  return first === Infinity ? observation.at : first;
}

/**
 * Whether an observation begins a log written after `run` ended: a new or replaced event log (or
 * log file) whose first line is later than the run's end is the folder's next run's, even when
 * it is read before that run's first phase file.
 */
function startsNextRun(run: Session, observation: SideFileObservation): boolean {
  if (observation.kind !== 'events' && observation.kind !== 'log-lines') return false;
  if (observation.startsLog !== true || run.endedAt === null) return false;
  return firstTime(observation) > Date.parse(run.endedAt);
}

export class WorkdirRouter {
  readonly changes = new Emitter<WorkdirRouterEvents>();
  readonly #registry: Pick<SessionRegistry, 'runsInWorkdir'>;
  readonly #pending = new WaitingQueue<SideFileObservation>({
    maxKeys: MAX_PENDING_FOLDERS,
    maxPerKey: MAX_PENDING_PER_FOLDER,
  });

  constructor(registry: Pick<SessionRegistry, 'runsInWorkdir'>) {
    this.#registry = registry;
  }

  route(observation: SideFileObservation): void {
    const run = latestBuild(this.#registry.runsInWorkdir(observation.workdir));
    if (run && !startsNextRun(run, observation)) this.changes.emit('side', run, observation);
    else this.#pending.keep(observation.workdir, observation);
  }

  /** A run appeared or changed: what waited for its folder is routed again, in order. */
  sessionChanged(session: Session): void {
    if (!session.workdir || !isBuild(session) || !this.#pending.has(session.workdir)) return;
    for (const observation of this.#pending.take(session.workdir)) this.route(observation);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }
}

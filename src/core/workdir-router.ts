/**
 * @module
 * Side files name a work directory, not a session: this finds the run they belong to (the
 * latest in that folder) and keeps them aside when it does not exist yet, so nothing a build
 * writes before its first phase file is lost (handed on, in order, when the run appears).
 */
import type { Session } from '../shared/protocol.js';
import { Emitter } from '../shared/emitter.js';
import type { SideFileObservation } from '../collector/types.js';
import type { SessionRegistry } from './registry.js';
import { WaitingQueue } from './waiting-queue.js';

const MAX_PENDING_FOLDERS = 100;
const MAX_PENDING_PER_FOLDER = 500;

/** What the router tells those who follow it. */
export type WorkdirRouterEvents = {
  /** A side file, with the run it belongs to. */
  side: [session: Session, observation: SideFileObservation];
};

export class WorkdirRouter {
  readonly changes = new Emitter<WorkdirRouterEvents>();
  readonly #registry: Pick<SessionRegistry, 'latestForWorkdir'>;
  readonly #pending = new WaitingQueue<SideFileObservation>({
    maxKeys: MAX_PENDING_FOLDERS,
    maxPerKey: MAX_PENDING_PER_FOLDER,
  });

  constructor(registry: Pick<SessionRegistry, 'latestForWorkdir'>) {
    this.#registry = registry;
  }

  route(observation: SideFileObservation): void {
    const session = this.#registry.latestForWorkdir(observation.workdir);
    if (session) this.changes.emit('side', session, observation);
    else this.#pending.keep(observation.workdir, observation);
  }

  /** A run appeared or changed: what waited for its folder is handed on now. */
  sessionChanged(session: Session): void {
    if (!session.workdir || !this.#pending.has(session.workdir)) return;
    for (const observation of this.#pending.take(session.workdir))
      this.changes.emit('side', session, observation);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }
}

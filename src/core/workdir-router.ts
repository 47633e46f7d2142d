/**
 * @module
 * Side files name a work directory, not a session: this finds the run they belong to (the
 * latest in that folder) and keeps them aside when it does not exist yet, so nothing a build
 * writes before its first phase file is lost (applied, in order, when the run appears).
 */
import type { Session } from '../shared/protocol.js';
import type { SideFileObservation } from '../collector/types.js';
import type { SessionRegistry } from './registry.js';

const MAX_PENDING_FOLDERS = 100;
const MAX_PENDING_PER_FOLDER = 500;

export class WorkdirRouter {
  readonly #registry: SessionRegistry;
  readonly #deliver: (session: Session, observation: SideFileObservation) => void;
  readonly #pending = new Map<string, SideFileObservation[]>();

  constructor(
    registry: SessionRegistry,
    deliver: (session: Session, observation: SideFileObservation) => void,
  ) {
    this.#registry = registry;
    this.#deliver = deliver;
  }

  route(observation: SideFileObservation): void {
    const session = this.#registry.latestForWorkdir(observation.workdir);
    if (session) {
      this.#deliver(session, observation);
      return;
    }
    const list = this.#pending.get(observation.workdir) ?? [];
    list.push(observation);
    if (list.length > MAX_PENDING_PER_FOLDER) list.shift();
    this.#pending.set(observation.workdir, list);
    if (this.#pending.size > MAX_PENDING_FOLDERS) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
  }

  /** A run appeared or changed: what waited for its folder is delivered now. */
  sessionChanged(session: Session): void {
    if (!session.workdir) return;
    const waiting = this.#pending.get(session.workdir);
    if (!waiting) return;
    this.#pending.delete(session.workdir);
    for (const observation of waiting) this.#deliver(session, observation);
  }

  get pendingCount(): number {
    let count = 0;
    for (const list of this.#pending.values()) count += list.length;
    return count;
  }
}

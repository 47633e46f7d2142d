/**
 * @module
 * Indexes over the registry's runs, so side files, token samples and agent updates find "the
 * run of this folder" or "the latest run of this project" without scanning every session.
 * The one definition of which run of a project (or of a folder) is the latest lives here.
 */
import type { Session } from '../shared/protocol.js';

/**
 * Whether `a` is a later run than `b` (SPEC 1.1 identity): the one that started later; of two
 * that started at the same moment, the one whose id sorts last, so the answer never depends on
 * the order in which runs were seen.
 */
export function isLaterRun(
  a: Pick<Session, 'startedAt' | 'id'>,
  b: Pick<Session, 'startedAt' | 'id'>,
): boolean {
  return a.startedAt === b.startedAt ? a.id > b.id : a.startedAt > b.startedAt;
}

export class RunIndex {
  /** Most recent run per project. */
  readonly #latestByProject = new Map<string, Session>();
  /** Every run per work directory. */
  readonly #byWorkdir = new Map<string, Map<string, Session>>();

  /** Records a run's new state; `previous` is its state before, when it had one. */
  put(session: Session, previous: Session | undefined): void {
    if (previous?.workdir && previous.workdir !== session.workdir) {
      this.#byWorkdir.get(previous.workdir)?.delete(session.id);
    }
    if (session.workdir) {
      const runs = this.#byWorkdir.get(session.workdir) ?? new Map<string, Session>();
      runs.set(session.id, session);
      this.#byWorkdir.set(session.workdir, runs);
    }
    const latest = this.#latestByProject.get(session.project);
    if (!latest || latest.id === session.id || isLaterRun(session, latest)) {
      this.#latestByProject.set(session.project, session);
    }
  }

  /** The most recent run of a project. */
  latestOfProject(project: string): Session | undefined {
    return this.#latestByProject.get(project);
  }

  /** Every run whose work directory is exactly `workdir`. */
  runsInWorkdir(workdir: string): Session[] {
    return [...(this.#byWorkdir.get(workdir)?.values() ?? [])];
  }

  /** The most recent run in a work directory. */
  latestForWorkdir(workdir: string | null): Session | undefined {
    if (!workdir) return undefined;
    let best: Session | undefined;
    for (const session of this.#byWorkdir.get(workdir)?.values() ?? []) {
      if (!best || isLaterRun(session, best)) best = session;
    }
    return best;
  }
}

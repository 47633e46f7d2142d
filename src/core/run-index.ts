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
  /** Every run per project, for forecasts and for finding the latest again after a removal. */
  readonly #byProject = new Map<string, Map<string, Session>>();

  /** Records a run's new state; `previous` is its state before, when it had one. */
  put(session: Session, previous: Session | undefined): void {
    // The common case, a run moving on in the same folder, only replaces it where it is.
    if (previous && previous.project !== session.project) this.remove(previous);
    else if (previous?.workdir && previous.workdir !== session.workdir)
      drop(this.#byWorkdir, previous.workdir, previous.id);
    if (session.workdir) add(this.#byWorkdir, session.workdir, session);
    add(this.#byProject, session.project, session);
    const latest = this.#latestByProject.get(session.project);
    if (!latest || latest.id === session.id || isLaterRun(session, latest)) {
      this.#latestByProject.set(session.project, session);
    }
  }

  /** Forgets a run (deleted, or pruned by retention); its project's latest run is found again. */
  remove(session: Session): void {
    if (session.workdir) drop(this.#byWorkdir, session.workdir, session.id);
    const runs = drop(this.#byProject, session.project, session.id);
    if (this.#latestByProject.get(session.project)?.id !== session.id) return;
    const next = runs ? latestOf(runs.values()) : undefined;
    if (next) this.#latestByProject.set(session.project, next);
    else this.#latestByProject.delete(session.project);
  }

  /** Every project with a run, in no particular order. */
  projects(): string[] {
    return [...this.#byProject.keys()];
  }

  /** Every run of a project, in no particular order. */
  runsOfProject(project: string): Session[] {
    return [...(this.#byProject.get(project)?.values() ?? [])];
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
    return latestOf(this.#byWorkdir.get(workdir)?.values() ?? []);
  }
}

function add(map: Map<string, Map<string, Session>>, key: string, session: Session): void {
  const runs = map.get(key);
  if (runs) runs.set(session.id, session);
  else map.set(key, new Map([[session.id, session]]));
}

/** Removes a run from its group; the group left, or undefined when it is now empty. */
function drop(
  map: Map<string, Map<string, Session>>,
  key: string,
  id: string,
): Map<string, Session> | undefined {
  const runs = map.get(key);
  runs?.delete(id);
  if (runs?.size !== 0) return runs;
  map.delete(key);
  return undefined;
}

function latestOf(runs: Iterable<Session>): Session | undefined {
  let best: Session | undefined;
  for (const session of runs) if (!best || isLaterRun(session, best)) best = session;
  return best;
}

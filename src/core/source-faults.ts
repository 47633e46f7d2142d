/**
 * @module
 * Which session a source file speaks for, and the problems of files that speak for none yet
 * (SPEC 7: a broken file shows a warning naming the file and the reason, on its session when it
 * has one, in `/api/health` until then).
 */
import type { Session, SourceWarning } from '../shared/protocol.js';

export class SourceFaults {
  /** Which session a source file last spoke for, so a broken file's warning lands on it. */
  readonly #sessionByFile = new Map<string, string>();
  /** Faults from files that have no session yet. */
  readonly #orphans = new Map<string, SourceWarning>();

  /** A file was read well and spoke for a session. */
  spoke(file: string, sessionId: string): void {
    this.#sessionByFile.set(file, sessionId);
    this.#orphans.delete(file);
  }

  /** The session a file last spoke for. */
  sessionOf(file: string): string | undefined {
    return this.#sessionByFile.get(file);
  }

  /** A file with no session yet could not be read. */
  orphan(warning: SourceWarning): void {
    this.#orphans.set(warning.file, warning);
  }

  /** A file that had a problem was read well again. */
  cleared(file: string): void {
    this.#orphans.delete(file);
  }

  /** Problems of a build's files seen before its first phase file, which belong to it now. */
  adopt(workdir: string, sessionId: string): SourceWarning[] {
    const prefix = workdir.endsWith('/') ? workdir : `${workdir}/`;
    const adopted: SourceWarning[] = [];
    for (const [file, warning] of this.#orphans) {
      if (!file.startsWith(prefix)) continue;
      this.#orphans.delete(file);
      this.#sessionByFile.set(file, sessionId);
      adopted.push(warning);
    }
    return adopted;
  }

  /** Problems that belong to no session yet. */
  orphans(): SourceWarning[] {
    return [...this.#orphans.values()];
  }
}

/** The session with this file's warning (replacing an older one of that file); itself when already shown. */
export function withWarning(session: Session, warning: SourceWarning): Session {
  const previous = session.warnings.find((w) => w.file === warning.file);
  if (previous?.reason === warning.reason) return session;
  return { ...session, warnings: [...session.warnings.filter((w) => w.file !== warning.file), warning] };
}

/** The session without this file's warning; itself when it had none. */
export function withoutWarning(session: Session, file: string): Session {
  if (!session.warnings.some((w) => w.file === file)) return session;
  return { ...session, warnings: session.warnings.filter((w) => w.file !== file) };
}

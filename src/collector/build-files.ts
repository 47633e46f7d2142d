/**
 * @module
 * Which files of a build folder buildcast reads, by name and place (Context Foundry's layout,
 * SPEC 1.4): the phase file and side files in `.context-foundry/`, the event log, log files,
 * and a checkpoint folder's files.
 */
import path from 'node:path';

const PHASE_FILE = 'current-phase.json';
const STATE_FOLDER = '.context-foundry';
/** The files of a checkpoint folder whose change means it is read again. */
export const CHECKPOINT_FILES: ReadonlySet<string> = new Set(['state.json', 'progress.json', 'COMPLETE']);

/** Whether a path is a build's phase file: `<workdir>/.context-foundry/current-phase.json`. */
export function isPhaseFile(file: string): boolean {
  return path.basename(file) === PHASE_FILE && path.basename(path.dirname(file)) === STATE_FOLDER;
}

const SIDE_FILE =
  /^(test-iteration-count\.txt|test-results-iteration-\d+\.md|session-summary\.json|build-tasks\.json)$/;

/** Whether a path is one of the side files buildcast reads from `.context-foundry/`. */
export function isSideFile(file: string): boolean {
  return SIDE_FILE.test(path.basename(file)) && path.basename(path.dirname(file)) === STATE_FOLDER;
}

/**
 * Context Foundry's event log, `logs/events/<session>/events.jsonl` in the work directory (or
 * under `.context-foundry/`); returns the work directory, or null for any other file.
 */
export function eventLogWorkdir(file: string): string | null {
  if (path.basename(file) !== 'events.jsonl') return null;
  const events = path.dirname(path.dirname(file));
  if (path.basename(events) !== 'events' || path.basename(path.dirname(events)) !== 'logs') return null;
  const base = path.dirname(path.dirname(events));
  return path.basename(base) === STATE_FOLDER ? path.dirname(base) : base;
}

/** A build's own log file: `*.log` in `.context-foundry/` or its `logs/` folder; returns the work directory. */
export function logFileWorkdir(file: string): string | null {
  if (!file.endsWith('.log')) return null;
  const folder = path.dirname(file);
  if (path.basename(folder) === STATE_FOLDER) return path.dirname(folder);
  if (path.basename(folder) === 'logs' && path.basename(path.dirname(folder)) === STATE_FOLDER) {
    return path.dirname(path.dirname(folder));
  }
  return null;
}

/** A work directory's phase file: `<workdir>/.context-foundry/current-phase.json`. */
export function phaseFileOf(workdir: string): string {
  return path.join(workdir, STATE_FOLDER, PHASE_FILE);
}

/** The build's work directory for a phase file. */
export function workdirOf(phaseFile: string): string {
  return path.dirname(path.dirname(phaseFile));
}

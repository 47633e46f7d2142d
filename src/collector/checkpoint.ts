/**
 * @module
 * Reads a Ralph checkpoint (SPEC 1.3), the fallback when no fresh live phase file exists:
 * `checkpoints/ralph/<project>_<YYYYMMDD_HHMMSS>/` holding `state.json`, `progress.json` and,
 * once the run is done, an empty `COMPLETE` flag file.
 *
 * Pure: the caller reads the folder and hands over its texts, so every case is testable
 * without timing or disk tricks.
 */
import type { PhaseRecord, Result } from './types.js';
import {
  parseJsonObject,
  parseTimestamp,
  previewJson,
  truncateDeep,
  truncateText,
  type JsonObject,
  type JsonReadOptions,
} from './phase-file.js';
import { MAX_NAME_LENGTH } from './limits.js';

/** What the caller read from one checkpoint folder. */
export interface CheckpointInput {
  /** The folder's own name, e.g. `weather-app_20261120_140211`. */
  folderName: string;
  /** `state.json`, or null when it is missing or unreadable. */
  stateText: string | null;
  /** `progress.json`, or null when it is missing (which is fine). */
  progressText: string | null;
  /** Whether the `COMPLETE` flag file exists. */
  complete: boolean;
}

/** A checkpoint as a phase record, plus what only checkpoints know. */
export interface CheckpointRecord {
  record: PhaseRecord;
  /** The run is done (`COMPLETE` flag). */
  complete: boolean;
  /** ISO time the checkpoint was last written: `last_iteration_time`, else the start time. */
  dataTime: string | null;
  /** Things that were skipped but did not stop the read, e.g. an invalid `progress.json`. */
  warnings: string[];
}

/** `<project>_<YYYYMMDD_HHMMSS>`; the project part may itself contain underscores. */
const FOLDER_PATTERN = /^(.+)_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/;

/**
 * Splits a checkpoint folder name into its project and start time (taken as UTC, as Ralph's
 * folder name carries no zone). Null when the name does not end in a valid `_YYYYMMDD_HHMMSS`.
 */
export function parseCheckpointFolderName(name: string): { project: string; startedAt: string } | null {
  const match = FOLDER_PATTERN.exec(name);
  if (match === null) return null;
  const [, project, year, month, day, hour, minute, second] = match;
  const startedAt = parseTimestamp(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return project === undefined || startedAt === null ? null : { project, startedAt };
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? truncateText(value.trim()) : null;

const nameText = (value: unknown): string | null => {
  const read = text(value);
  return read === null ? null : truncateText(read, MAX_NAME_LENGTH);
};

/** Beyond 2^53 a number is no longer exact, so it is no iteration count. */
function wholeNumber(value: unknown): number | null {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** The last note that has text, read from the end so a long list is not copied. */
function lastNote(notes: unknown[]): string | null {
  for (let i = notes.length - 1; i >= 0; i--) {
    const note = text(notes[i]);
    if (note !== null) return note;
  }
  return null;
}

interface Progress {
  percent: number | null;
  lastNote: string | null;
  raw: JsonObject | null;
}

/** `progress.json` is optional, and a broken one only costs the progress bar. */
function readProgress(progressText: string | null, options: JsonReadOptions, warnings: string[]): Progress {
  if (progressText === null) return { percent: null, lastNote: null, raw: null };
  const parsed = parseJsonObject(progressText, options);
  if (!parsed.ok) {
    warnings.push(`progress.json: ${parsed.problem.message}`);
    return { percent: null, lastNote: null, raw: null };
  }
  const { completed, remaining, notes } = parsed.value;
  const done = Array.isArray(completed) ? completed.length : 0;
  const left = Array.isArray(remaining) ? remaining.length : 0;
  return {
    percent: done + left > 0 ? Math.round((done / (done + left)) * 100) : null,
    lastNote: Array.isArray(notes) ? lastNote(notes) : null,
    raw: parsed.value,
  };
}

/**
 * Turns one checkpoint folder's texts into a {@link CheckpointRecord}.
 *
 * The project is `project_name`, else the folder name without its timestamp; the start is
 * `start_time`, else the folder's timestamp. The status is `completed` when the `COMPLETE` flag
 * exists and `in-progress` otherwise: failed attempts are retries, not the end of the run, so
 * they are kept in `extra` with the rest of `state.json` (and `progress.json` under
 * `extra["progress.json"]`). A missing or unreadable `state.json` is a problem; a missing or
 * broken `progress.json` is not.
 */
export function parseCheckpoint(
  input: CheckpointInput,
  options: JsonReadOptions = {},
): Result<CheckpointRecord> {
  if (input.stateText === null) {
    return { ok: false, problem: { code: 'unreadable', message: 'state.json: missing or unreadable' } };
  }
  const parsed = parseJsonObject(input.stateText, options);
  if (!parsed.ok) {
    return { ok: false, problem: { ...parsed.problem, message: `state.json: ${parsed.problem.message}` } };
  }
  const state = parsed.value;
  const warnings: string[] = [];
  const folder = parseCheckpointFolderName(input.folderName);
  const progress = readProgress(input.progressText, options, warnings);

  // Keys whose value made it into the record; all others stay in `extra` as written.
  const used = new Set<string>();
  const read = <T>(name: string, reader: (value: unknown) => T | null): T | null => {
    const raw = state[name];
    const value = raw === undefined || raw === null ? null : reader(raw);
    if (value !== null) used.add(name);
    else if (raw !== undefined && raw !== null) {
      warnings.push(`state.json: could not read ${name} ${previewJson(raw)}`);
    }
    return value;
  };
  const startTime = read('start_time', parseTimestamp);
  const lastIteration = read('last_iteration_time', parseTimestamp);
  const iterations = read('iterations', wholeNumber);
  const project = read('project_name', nameText);
  const description = read('task_description', text);
  const currentPhase = read('current_phase', nameText) ?? read('last_phase', nameText);

  const extra = Object.fromEntries(
    Object.entries(state)
      .filter(([name]) => !used.has(name))
      .map(([name, value]) => [name, truncateDeep(value)]),
  );
  if (progress.raw !== null) extra['progress.json'] = truncateDeep(progress.raw);

  const startedAt = startTime ?? folder?.startedAt ?? null;
  const record: PhaseRecord = {
    project: project ?? nameText(folder?.project) ?? nameText(input.folderName),
    currentPhase,
    phaseNumber: null,
    phaseIndex: null,
    phaseTotal: null,
    status: input.complete ? 'completed' : 'in-progress',
    progressDetail: description ?? progress.lastNote,
    testIteration: iterations,
    phasesCompleted: [],
    startedAt,
    lastUpdated: lastIteration,
    completionPercent: progress.percent ?? (input.complete ? 100 : null),
    isComplete: input.complete,
    phaseStartedAt: null,
    phaseEndedAt: null,
    extra,
    warnings,
  };
  return {
    ok: true,
    value: { record, complete: input.complete, dataTime: lastIteration ?? startedAt, warnings },
  };
}

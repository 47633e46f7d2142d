/**
 * @module
 * Reads `.context-foundry/current-phase.json` (SPEC 1.1) into a {@link PhaseRecord}, whatever
 * drift the build wrote: snake_case, camelCase or both, a `{"PhaseInfo": {...}}` wrapper, phase
 * numbers as text or numbers, status words in any case, extra fields, a BOM. Pure: it is handed
 * text and never touches the disk, so the same parser reads HTTP pushes (SPEC 1.2).
 *
 * Field names are matched ignoring case and punctuation, so `session_id`, `sessionId` and
 * `SessionID` are one field. Accepted aliases, first match wins:
 * - project: `session_id`, `session`, `project_name`, `project`
 * - currentPhase: `current_phase`, `current_phase_name`, `phase`, `phase_name`
 * - phaseNumber: `phase_number`, `phase_num`, `phase_no`
 * - status: `status`, `phase_status`
 * - progressDetail: `progress_detail`, `progress_details`, `progress_message`, `detail`, `details`
 * - testIteration: `test_iteration`, `test_iterations`, `iteration`, `current_iteration`
 * - phasesCompleted: `phases_completed`, `completed_phases`
 * - startedAt: `started_at`, `start_time`, `session_start`, `started`
 * - lastUpdated: `last_updated`, `updated_at`, `last_update`, `timestamp`, then `timestamps.lastUpdated`
 * - phaseStartedAt / phaseEndedAt: `phase_started_at` / `phase_ended_at`, then `timestamps.phaseStart` / `.phaseEnd`
 * - completionPercent: `completion_percentage`, `progress_percent`, …, then `completionTracking.completionPercentage`
 * - isComplete: `is_complete`, then `completionTracking.isComplete`
 */
import type { PhaseRecord, Result } from './types.js';
import { normalizeStatus, parsePhaseNumber } from './phase-number.js';
import {
  isObject,
  parseJsonObject,
  parseTimestamp,
  truncateDeep,
  truncateText,
  type JsonObject,
  type JsonReadOptions,
} from './json-text.js';

export {
  compactTimestamp,
  DEFAULT_MAX_BYTES,
  MAX_TEXT_LENGTH,
  parseJsonObject,
  parseTimestamp,
  slugify,
  truncateDeep,
  truncateText,
} from './json-text.js';
export type { JsonObject, JsonReadOptions } from './json-text.js';

/** A parse together with the fields that were present but could not be read. */
export interface DetailedPhaseParse {
  result: Result<PhaseRecord>;
  /** One line per unreadable field, e.g. `test_iteration: expected a whole number, got "abc"`. */
  fieldWarnings: string[];
}

/** A field reader: the value, null for "absent", or undefined for "present but the wrong type". */
type Reader<T> = (value: unknown) => T | null | undefined;

const key = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const FIELDS = {
  project: ['sessionid', 'session', 'projectname', 'project'],
  currentPhase: ['currentphase', 'currentphasename', 'phase', 'phasename'],
  phaseNumber: ['phasenumber', 'phasenum', 'phaseno'],
  status: ['status', 'phasestatus'],
  progressDetail: ['progressdetail', 'progressdetails', 'progressmessage', 'detail', 'details'],
  testIteration: ['testiteration', 'testiterations', 'iteration', 'currentiteration'],
  phasesCompleted: ['phasescompleted', 'completedphases'],
  startedAt: ['startedat', 'starttime', 'sessionstart', 'started'],
  lastUpdated: ['lastupdated', 'updatedat', 'lastupdate', 'timestamp'],
  phaseStartedAt: ['phasestartedat', 'phasestart'],
  phaseEndedAt: ['phaseendedat', 'phaseend'],
  completionPercent: ['completionpercentage', 'completionpercent', 'progresspercent', 'progresspercentage'],
  isComplete: ['iscomplete'],
} as const;

/** Keys whose presence marks an object as a phase record (used to find it inside a wrapper). */
const CORE_KEYS: ReadonlySet<string> = new Set(
  [
    FIELDS.project,
    FIELDS.currentPhase,
    FIELDS.phaseNumber,
    FIELDS.status,
    FIELDS.progressDetail,
    FIELDS.testIteration,
    FIELDS.phasesCompleted,
    FIELDS.startedAt,
    FIELDS.lastUpdated,
  ].flat(),
);

const hasPhaseFields = (value: JsonObject): boolean => Object.keys(value).some((k) => CORE_KEYS.has(key(k)));

/**
 * The fields of one JSON object, looked up by normalized name. Keys a field was read from are
 * consumed; whatever is left over becomes `extra`. Keys holding a value of the wrong type are
 * not consumed, so the value stays in `extra` as written.
 */
class FieldSource {
  private readonly consumed = new Set<string>();
  /** Original key names by normalized name; several when a build wrote both spellings. */
  private readonly names = new Map<string, string[]>();

  constructor(
    private readonly object: JsonObject,
    private readonly warnings: string[],
    private readonly prefix = '',
  ) {
    for (const name of Object.keys(object)) {
      const list = this.names.get(key(name));
      if (list) list.push(name);
      else this.names.set(key(name), [name]);
    }
  }

  take<T>(aliases: readonly string[], expected: string, read: Reader<T>): T | null {
    for (const alias of aliases) {
      for (const name of this.names.get(alias) ?? []) {
        if (this.consumed.has(name)) continue;
        const value = this.object[name];
        const result = value === null ? null : read(value);
        if (result === undefined) {
          this.warnings.push(`${this.prefix}${name}: expected ${expected}, got ${preview(value)}`);
          continue;
        }
        this.consumed.add(name);
        if (result !== null) return result;
      }
    }
    return null;
  }

  /** A nested object (e.g. `timestamps`), left in `extra` as written. */
  nested(alias: string): FieldSource | null {
    const name = (this.names.get(alias) ?? []).find((candidate) => isObject(this.object[candidate]));
    return name === undefined
      ? null
      : new FieldSource(this.object[name] as JsonObject, this.warnings, `${name}.`);
  }

  rest(): JsonObject {
    return Object.fromEntries(
      Object.entries(this.object)
        .filter(([name]) => !this.consumed.has(name))
        .map(([name, value]) => [name, truncateDeep(value)]),
    );
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(typeof value === 'string' ? value.slice(0, 80) : value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const readText: Reader<string> = (value) => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? null : truncateText(text);
};

const readWholeNumber: Reader<number> = (value) => {
  const text = typeof value === 'string' ? value.trim() : null;
  if (text === '') return null;
  const number = text !== null && /^\d+(?:\.0*)?$/.test(text) ? Number(text) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
};

const readPercent: Reader<number> = (value) => {
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value) : null;
  const number = match ? Number(match[1]) : value;
  return typeof number === 'number' && number >= 0 && number <= 100 ? number : undefined;
};

const readBoolean: Reader<boolean> = (value) => {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (text === 'true' || text === 'yes') return true;
  if (text === 'false' || text === 'no') return false;
  return undefined;
};

const readTime: Reader<string> = (value) => {
  if (typeof value === 'string' && value.trim() === '') return null;
  return parseTimestamp(value) ?? undefined;
};

const readStatus: Reader<string> = (value) =>
  typeof value === 'string' ? normalizeStatus(value) : undefined;

/** Arrays keep their string entries; Context Foundry sometimes writes "Scout, Architect" instead. */
function readPhaseList(warnings: string[]): Reader<string[]> {
  return (value) => {
    const items: unknown[] | null = Array.isArray(value)
      ? value
      : typeof value === 'string'
        ? value.split(',')
        : null;
    if (items === null) return undefined;
    const names = items.filter((item): item is string => typeof item === 'string');
    if (names.length < items.length) {
      warnings.push(`phases_completed: dropped ${items.length - names.length} entries that are not text`);
    }
    return names
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .map(truncateText);
  };
}

/**
 * Finds the phase fields inside wrappers such as `{"PhaseInfo": {...}}`: when an object has no
 * phase fields of its own but exactly one of its values is an object that does, that value is
 * the record and the wrapper's other keys are kept beside it.
 */
function unwrap(object: JsonObject): JsonObject {
  let current = object;
  for (let depth = 0; depth < 3 && !hasPhaseFields(current); depth += 1) {
    const inner = Object.entries(current).filter(([, value]) => isObject(value) && hasPhaseFields(value));
    if (inner.length !== 1) break;
    const [wrapper, value] = inner[0] as [string, JsonObject];
    const siblings = Object.entries(current).filter(([name]) => name !== wrapper && !(name in value));
    current = Object.fromEntries([...Object.entries(value), ...siblings]);
  }
  return current;
}

/**
 * Parses a phase file and reports every field it had to give up on.
 *
 * Problems: `too-large` over `maxBytes` (default 16 MiB), `empty` for an empty or blank file,
 * `invalid-json` (typically a file read mid-write) with the parser's message, `not-object` for
 * arrays and scalars, `invalid-fields` when no phase field could be read at all.
 *
 * Strings longer than {@link MAX_TEXT_LENGTH} characters (a runaway `progress_detail`, or one
 * in `extra`) are cut to that length, ending in "…", so a several-megabyte file still renders.
 */
export function parsePhaseFileDetailed(text: string, options: JsonReadOptions = {}): DetailedPhaseParse {
  const parsed = parseJsonObject(text, options);
  if (!parsed.ok) return { result: parsed, fieldWarnings: [] };
  return parsePhaseObject(parsed.value);
}

/** Normalizes an already parsed phase object (a push body parsed once at the edge). */
export function parsePhaseObject(object: JsonObject): DetailedPhaseParse {
  const fieldWarnings: string[] = [];
  const source = new FieldSource(unwrap(object), fieldWarnings);
  const timestamps = source.nested('timestamps');
  const tracking = source.nested('completiontracking');

  const phaseNumber = source.take(FIELDS.phaseNumber, 'a phase number such as "4/7"', (value) => {
    const number = parsePhaseNumber(value);
    return number.text === null ? undefined : number;
  });
  if (phaseNumber !== null && phaseNumber.index === null) {
    fieldWarnings.push(`phase_number: could not read a number from ${preview(phaseNumber.text)}`);
  }
  const time = (aliases: readonly string[], nestedKey: string): string | null =>
    source.take(aliases, 'a date and time', readTime) ??
    timestamps?.take([nestedKey], 'a date and time', readTime) ??
    null;

  const fields: Omit<PhaseRecord, 'extra'> = {
    project: source.take(FIELDS.project, 'text', readText),
    currentPhase: source.take(FIELDS.currentPhase, 'text', readText),
    phaseNumber: phaseNumber?.text ?? null,
    phaseIndex: phaseNumber?.index ?? null,
    phaseTotal: phaseNumber?.total ?? null,
    status: source.take(FIELDS.status, 'text', readStatus),
    progressDetail: source.take(FIELDS.progressDetail, 'text', readText),
    testIteration: source.take(FIELDS.testIteration, 'a whole number', readWholeNumber),
    phasesCompleted:
      source.take(FIELDS.phasesCompleted, 'a list of phase names', readPhaseList(fieldWarnings)) ?? [],
    startedAt: source.take(FIELDS.startedAt, 'a date and time', readTime),
    lastUpdated: time(FIELDS.lastUpdated, 'lastupdated'),
    completionPercent:
      source.take(FIELDS.completionPercent, 'a percentage from 0 to 100', readPercent) ??
      tracking?.take(
        ['completionpercentage', 'completionpercent'],
        'a percentage from 0 to 100',
        readPercent,
      ) ??
      null,
    isComplete:
      source.take(FIELDS.isComplete, 'true or false', readBoolean) ??
      tracking?.take(['iscomplete'], 'true or false', readBoolean) ??
      null,
    phaseStartedAt: time(FIELDS.phaseStartedAt, 'phasestart'),
    phaseEndedAt: time(FIELDS.phaseEndedAt, 'phaseend'),
  };
  const { project, currentPhase, status, progressDetail, testIteration, startedAt, lastUpdated } = fields;
  const core = [project, currentPhase, fields.phaseNumber, status, progressDetail, testIteration, startedAt];
  if (fields.phasesCompleted.length === 0 && [...core, lastUpdated].every((value) => value === null)) {
    const why = fieldWarnings.length > 0 ? `; ${fieldWarnings.join('; ')}` : '';
    const message = `no phase fields found (expected current_phase, status, phase_number, ...)${why}`;
    return { result: { ok: false, problem: { code: 'invalid-fields', message } }, fieldWarnings };
  }
  return { result: { ok: true, value: { ...fields, extra: source.rest() } }, fieldWarnings };
}

/** Parses a phase file (see {@link parsePhaseFileDetailed}, which also says which fields it skipped). */
export function parsePhaseFile(text: string, options: JsonReadOptions = {}): Result<PhaseRecord> {
  return parsePhaseFileDetailed(text, options).result;
}

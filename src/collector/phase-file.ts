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
import { FieldSource, preview, type Reader } from './field-source.js';
import {
  fieldKey,
  isObject,
  parseJsonObject,
  parseTimestamp,
  truncateText,
  type JsonObject,
  type JsonReadOptions,
} from './json-text.js';
import { MAX_NAME_LENGTH, MAX_PHASES, MAX_TEXT_LENGTH } from './limits.js';

export {
  compactTimestamp,
  DEFAULT_MAX_BYTES,
  MAX_JSON_DEPTH,
  MAX_TEXT_LENGTH,
  parseJson,
  parseJsonObject,
  parseTimestamp,
  previewJson,
  slugify,
  truncateDeep,
  truncateText,
} from './json-text.js';
export { MAX_NAME_LENGTH, MAX_PHASES } from './limits.js';
export type { JsonObject, JsonReadOptions } from './json-text.js';

/** A parse together with the fields that were present but could not be read. */
export interface DetailedPhaseParse {
  result: Result<PhaseRecord>;
  /** One line per unreadable field, e.g. `test_iteration: expected a whole number, got "abc"`. */
  fieldWarnings: string[];
}

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

const hasPhaseFields = (value: JsonObject): boolean =>
  Object.keys(value).some((k) => CORE_KEYS.has(fieldKey(k)));

/** Text cut to `max` characters (names are shorter than free text). */
function textReader(max: number): Reader<string> {
  return (value) => {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return undefined;
    const text = value.trim();
    return text === '' ? null : truncateText(text, max);
  };
}
const readName = textReader(MAX_NAME_LENGTH);
const readText = textReader(MAX_TEXT_LENGTH);

/** A count: beyond 2^53 a number is no longer exact, so it is no count a build could mean. */
const readWholeNumber: Reader<number> = (value) => {
  const text = typeof value === 'string' ? value.trim() : null;
  if (text === '') return null;
  const number = text !== null && /^\d+(?:\.0*)?$/.test(text) ? Number(text) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
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

/**
 * Arrays keep their string entries; Context Foundry sometimes writes "Scout, Architect" instead.
 * At most {@link MAX_PHASES} names are kept, the first ones: a pipeline has ten phases.
 */
function readPhaseList(warnings: string[]): Reader<string[]> {
  return (value) => {
    const items: unknown[] | null = Array.isArray(value)
      ? value
      : typeof value === 'string'
        ? value.split(',')
        : null;
    if (items === null) return undefined;
    const names: string[] = [];
    let notText = 0;
    let named = 0;
    for (const item of items) {
      if (typeof item !== 'string') {
        notText += 1;
        continue;
      }
      const name = item.trim();
      if (name === '') continue;
      named += 1;
      if (names.length < MAX_PHASES) names.push(truncateText(name, MAX_NAME_LENGTH));
    }
    if (notText > 0) warnings.push(`phases_completed: dropped ${notText} entries that are not text`);
    if (named > MAX_PHASES) {
      warnings.push(`phases_completed: kept the first ${MAX_PHASES} of ${named} phases`);
    }
    return names;
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
    const siblings = Object.entries(current).filter(
      ([name]) => name !== wrapper && !Object.hasOwn(value, name),
    );
    current = Object.fromEntries([...Object.entries(value), ...siblings]);
  }
  return current;
}

/** Keys only a Claude Code hook payload carries (its stdin JSON: `hook_event_name`, `transcript_path`). */
const HOOK_KEYS: ReadonlySet<string> = new Set(['hookeventname', 'transcriptpath']);

/** Why an object with no phase, phase number or status is no phase update, in words a user can act on. */
function notAPhaseFile(object: JsonObject): string {
  const expected = 'expected current_phase, phase_number or status';
  if (!Object.keys(object).some((name) => HOOK_KEYS.has(fieldKey(name)))) {
    return `no phase fields found (${expected}): a phase update says at least which phase or status the build is in`;
  }
  const event = Object.entries(object).find(([name]) => fieldKey(name) === 'hookeventname')?.[1];
  const named = typeof event === 'string' ? ` (${truncateText(event, MAX_NAME_LENGTH)})` : '';
  return (
    `no phase fields found (${expected}): this is a Claude Code hook payload${named}, and hooks are not ` +
    "phase files. Send the build's .context-foundry/current-phase.json instead " +
    '(curl -X POST -H "Content-Type: application/json" -d @.context-foundry/current-phase.json ' +
    "<buildcast>/api/phase-update); Claude Code's own token usage is read from its transcripts " +
    '(--claude-dir) or sent as OpenTelemetry to /v1/logs and /v1/metrics'
  );
}

/**
 * Parses a phase file and reports every field it had to give up on.
 *
 * Problems: `too-large` over `maxBytes` (default 16 MiB), `empty` for an empty or blank file,
 * `invalid-json` (typically a file read mid-write) with the parser's message, `not-object` for
 * arrays and scalars, `invalid-fields` when it names no phase, phase number or status (a Claude
 * Code hook payload is told where phase files go).
 *
 * Strings longer than {@link MAX_TEXT_LENGTH} characters (a runaway `progress_detail`, or one
 * in `extra`) are cut to that length, ending in "…(truncated)", so a several-megabyte file
 * still renders; names (project, phases) are cut at {@link MAX_NAME_LENGTH}, `phases_completed`
 * keeps its first {@link MAX_PHASES} entries, and a file nested more than 64 levels deep is a
 * `too-deep` problem. Every field given up on is also in the record's `warnings`.
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

  const fields: Omit<PhaseRecord, 'extra' | 'warnings'> = {
    project: source.take(FIELDS.project, 'text', readName),
    currentPhase: source.take(FIELDS.currentPhase, 'text', readName),
    phaseNumber: phaseNumber?.text ?? null,
    phaseIndex: phaseNumber?.index ?? null,
    phaseTotal: phaseNumber?.total ?? null,
    status: source.take(FIELDS.status, 'text', readStatus),
    progressDetail: source.take(FIELDS.progressDetail, 'text', readText),
    testIteration: source.take(FIELDS.testIteration, 'a whole number below 2^53', readWholeNumber),
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
  // SPEC 1.2, issue 10: an update must say where the build is, a phase or a status; anything
  // else (a hook payload, a stray JSON file) would start a phantom session named by its ids.
  if (fields.currentPhase === null && fields.phaseNumber === null && fields.status === null) {
    const why = fieldWarnings.length > 0 ? `; ${fieldWarnings.join('; ')}` : '';
    const message = truncateText(`${notAPhaseFile(object)}${why}`);
    return { result: { ok: false, problem: { code: 'invalid-fields', message } }, fieldWarnings };
  }
  return {
    result: { ok: true, value: { ...fields, extra: source.rest(), warnings: fieldWarnings } },
    fieldWarnings,
  };
}

/** Parses a phase file (see {@link parsePhaseFileDetailed}, which also says which fields it skipped). */
export function parsePhaseFile(text: string, options: JsonReadOptions = {}): Result<PhaseRecord> {
  return parsePhaseFileDetailed(text, options).result;
}

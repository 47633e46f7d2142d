/**
 * @module
 * Reads the JSON side files Context Foundry leaves in `.context-foundry/` (SPEC 1.4):
 * `session-summary.json`, written when a build ends, and `build-tasks.json`, the Architect's
 * plan for the parallel builders. The test files (./test-results.ts) and event logs
 * (./events-file.ts) have their own modules.
 *
 * Pure: text in, values out; field names are matched ignoring case and punctuation, so
 * `tests_passing` and `testsPassing` are one field.
 */
import {
  fieldKey as key,
  isObject,
  parseJson,
  parseJsonObject,
  parseTimestamp,
  pickField,
  truncateDeep,
  truncateText,
  type JsonObject,
} from './json-text.js';
import { MAX_LIST_ENTRIES, MAX_NAME_LENGTH } from './limits.js';
import type { BuildTask, BuildTaskStatus, ParseProblem, Result } from './types.js';

/** `session-summary.json`: how the build ended, and what it reported. */
export interface SessionSummary {
  /** The build says it finished: status completed/complete/success/done, or `completed_at` set. */
  completed: boolean;
  /** The build says it failed: status failed/error. */
  failed: boolean;
  /** When the build says it finished (`completed_at`, ms since epoch); null when it does not say. */
  completedAt: number | null;
  /** The project the summary names (`session_id`); null when it names none. */
  sessionId: string | null;
  /**
   * The summary's fields under their snake_case names (`tests_passing`, `completed_at`, …), with
   * counts as numbers and `completed_at` as ISO when readable; other fields kept as written.
   */
  fields: Record<string, unknown>;
}

/** More tasks than this are not read: no plan splits a build this finely. */
export const MAX_BUILD_TASKS = 500;

const problem = (code: ParseProblem['code'], message: string): { ok: false; problem: ParseProblem } => ({
  ok: false,
  problem: { code, message },
});

/** The summary fields SPEC 1.4 names (plus `session_id`), by normalized name. */
const SUMMARY_FIELDS: ReadonlyMap<string, string> = new Map(
  [
    'session_id',
    'status',
    'phases_completed',
    'files_created',
    'files_modified',
    'tests_passed',
    'test_iterations',
    'test_pass_rate',
    'total_tests',
    'tests_passing',
    'tests_failing',
    'duration_minutes',
    'github_url',
    'pr_number',
    'branch',
    'completed_at',
  ].map((name) => [key(name), name]),
);
// `files_created` and `files_modified` are lists in some builds and counts in others.
const COUNT_FIELDS = new Set([
  'test_iterations',
  'total_tests',
  'tests_passing',
  'tests_failing',
  'pr_number',
  'files_created',
  'files_modified',
]);
const NUMBER_FIELDS = new Set(['test_pass_rate', 'duration_minutes']);

/**
 * A count written as 12, "12", "#12" or 12.0; anything else is kept as written (long text and
 * lists cut). A count beyond 2^53 is no count: it is dropped (null), never shown as a number.
 */
function readSummaryValue(name: string, value: unknown): unknown {
  const text = typeof value === 'string' ? value.trim() : null;
  if (COUNT_FIELDS.has(name) || NUMBER_FIELDS.has(name)) {
    const number =
      text !== null && /^#?\d+(?:\.\d+)?%?$/.test(text) ? Number(text.replace(/[#%]/g, '')) : value;
    if (typeof number === 'number' && Number.isFinite(number)) {
      return Math.abs(number) <= Number.MAX_SAFE_INTEGER ? number : null;
    }
  }
  if (name === 'completed_at') return parseTimestamp(value) ?? truncateDeep(value);
  return truncateDeep(value);
}

/** `{"summary": {...}}` and the like: the one object inside that holds summary fields. */
function unwrapSummary(object: JsonObject): JsonObject {
  const known = (value: JsonObject): boolean =>
    Object.keys(value).some((name) => SUMMARY_FIELDS.has(key(name)));
  if (known(object)) return object;
  const inner = Object.values(object).filter((value): value is JsonObject => isObject(value) && known(value));
  return inner.length === 1 ? (inner[0] as JsonObject) : object;
}

const statusWords = (status: unknown): string =>
  typeof status === 'string' ? status.toLowerCase().replace(/[_-]+/g, ' ') : '';

/**
 * Reads `session-summary.json`. Problems: the file is empty, not JSON, not an object, or has
 * none of the summary fields.
 */
export function parseSessionSummary(text: string): Result<SessionSummary> {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  // A Map while reading: a field named "constructor" or "__proto__" is plain data.
  const read = new Map<string, unknown>();
  let known = 0;
  for (const [name, value] of Object.entries(unwrapSummary(parsed.value))) {
    const canonical = SUMMARY_FIELDS.get(key(name));
    if (canonical === undefined) {
      if (!read.has(name)) read.set(name, truncateDeep(value));
      continue;
    }
    // Both spellings written: the first one with a value wins.
    const earlier = read.get(canonical);
    if (earlier !== undefined && earlier !== null) continue;
    read.set(canonical, readSummaryValue(canonical, value));
    known += 1;
  }
  if (known === 0) {
    return problem('invalid-fields', 'no session summary fields found (expected status, completed_at, ...)');
  }
  const fields: Record<string, unknown> = Object.fromEntries(read);
  const status = statusWords(read.get('status'));
  const failed = /\b(?:failed|failure|fail|errors?|errored|aborted|crashed)\b/.test(status);
  const completedAt = read.get('completed_at');
  const finishedAt =
    completedAt !== null && completedAt !== undefined && completedAt !== '' && completedAt !== false;
  const completed =
    !failed && (/\b(?:completed?|success|successful|succeeded|done|finished)\b/.test(status) || finishedAt);
  const when = typeof completedAt === 'string' ? Date.parse(completedAt) : Number.NaN;
  const named = read.get('session_id');
  return {
    ok: true,
    value: {
      completed,
      failed,
      completedAt: Number.isNaN(when) ? null : when,
      sessionId: typeof named === 'string' && named.trim() !== '' ? named.trim() : null,
      fields,
    },
  };
}

/** A `Map`, so a status such as "constructor" is simply unknown, never `Object.prototype`'s. */
const TASK_STATUS: ReadonlyMap<string, BuildTaskStatus> = new Map([
  ['pending', 'queued'],
  ['queued', 'queued'],
  ['todo', 'queued'],
  ['notstarted', 'queued'],
  ['waiting', 'queued'],
  ['ready', 'queued'],
  ['planned', 'queued'],
  ['inprogress', 'running'],
  ['active', 'running'],
  ['running', 'running'],
  ['started', 'running'],
  ['working', 'running'],
  ['building', 'running'],
  ['done', 'completed'],
  ['complete', 'completed'],
  ['completed', 'completed'],
  ['success', 'completed'],
  ['succeeded', 'completed'],
  ['finished', 'completed'],
  ['passed', 'completed'],
  ['error', 'failed'],
  ['errored', 'failed'],
  ['failed', 'failed'],
  ['failure', 'failed'],
  ['skipped', 'skipped'],
  ['cancelled', 'skipped'],
  ['canceled', 'skipped'],
  ['blocked', 'blocked'],
]);

const TASK_FIELDS = {
  id: ['id', 'taskid', 'key'],
  name: ['name', 'title', 'description', 'task', 'summary'],
  status: ['status', 'state'],
  dependsOn: ['dependencies', 'dependson', 'deps', 'blockedby', 'requires'],
  files: ['files', 'filestocreate', 'outputfiles', 'paths', 'file'],
  agent: ['agent', 'agentid', 'assignedto', 'builder', 'worker'],
  error: ['error', 'errormessage', 'failurereason', 'reason'],
} as const;

const hasValue = (value: unknown): boolean => value !== null && value !== undefined && value !== '';

const pick = (object: JsonObject, aliases: readonly string[]): unknown =>
  pickField(object, aliases, hasValue);

const isScalarText = (value: unknown): boolean => typeof value === 'string' || typeof value === 'number';

function textValue(value: unknown, max?: number): string | null {
  // The message inside an error object, one level down at most: a file cannot lead it deeper.
  const inner = isObject(value) ? pickField(value, ['message', 'error'], isScalarText) : value;
  if (typeof inner === 'number' && Number.isFinite(inner)) return String(inner);
  return typeof inner === 'string' && inner.trim() !== '' ? truncateText(inner.trim(), max) : null;
}

/** A list written as an array, a comma-separated string, or one value: each entry once, the first ones. */
function textList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  const list = new Set<string>();
  for (const item of items) {
    if (list.size >= MAX_LIST_ENTRIES) break;
    const text = textValue(item, MAX_NAME_LENGTH);
    if (text !== null) list.add(text);
  }
  return [...list];
}

function readTask(entry: unknown, index: number): BuildTask | null {
  const fallbackId = `task-${index + 1}`;
  const name = textValue(entry);
  if (typeof entry === 'string' && name !== null) {
    return { id: fallbackId, name, status: 'queued', dependsOn: [], files: [], agent: null, error: null };
  }
  if (!isObject(entry)) return null;
  const id = textValue(pick(entry, TASK_FIELDS.id), MAX_NAME_LENGTH) ?? fallbackId;
  const status = textValue(pick(entry, TASK_FIELDS.status), MAX_NAME_LENGTH);
  return {
    id,
    name: textValue(pick(entry, TASK_FIELDS.name)) ?? id,
    status: status === null ? 'queued' : (TASK_STATUS.get(key(status)) ?? 'queued'),
    dependsOn: textList(pick(entry, TASK_FIELDS.dependsOn) ?? []),
    files: textList(pick(entry, TASK_FIELDS.files) ?? []),
    agent: textValue(pick(entry, TASK_FIELDS.agent), MAX_NAME_LENGTH),
    error: textValue(pick(entry, TASK_FIELDS.error)),
  };
}

/** The task list: a bare array, `{"tasks": [...]}` (or `build_tasks`, …), or tasks keyed by id. */
function taskList(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return null;
  const list = pick(value, ['tasks', 'buildtasks', 'paralleltasks', 'items']);
  if (Array.isArray(list)) return list;
  if (!isObject(list)) return null;
  return Object.entries(list)
    .slice(0, MAX_BUILD_TASKS)
    .map(([id, task]) => (isObject(task) ? { id, ...task } : task));
}

/**
 * Reads `build-tasks.json`. Status words are normalized (pending → queued, in-progress/active
 * → running, done/complete → completed, error → failed; unknown words → queued). A task id
 * written twice keeps its first place and its last content. Problems: the file is empty, not
 * JSON, or holds no task list.
 */
export function parseBuildTasks(text: string): Result<BuildTask[]> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const list = taskList(parsed.value);
  if (list === null)
    return problem('invalid-fields', 'no task list found (expected "tasks": [...] or an array)');
  const tasks = new Map<string, BuildTask>();
  list.slice(0, MAX_BUILD_TASKS).forEach((entry, index) => {
    const task = readTask(entry, index);
    if (task) tasks.set(task.id, task);
  });
  return { ok: true, value: [...tasks.values()] };
}

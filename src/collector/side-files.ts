/**
 * @module
 * Reads the JSON side files Context Foundry leaves in `.context-foundry/` (SPEC 1.4):
 * `session-summary.json`, written when a build ends, and `build-tasks.json`, the Architect's
 * plan for the parallel builders. The test files and event logs have their own modules, exported
 * again here so that one import reads every side file.
 *
 * Pure: text in, values out; field names are matched ignoring case and punctuation, so
 * `tests_passing` and `testsPassing` are one field.
 */
import { parseJsonObject, parseTimestamp, truncateDeep, truncateText } from './phase-file.js';
import type { JsonObject } from './phase-file.js';
import type { ParseProblem, Result } from './types.js';

export { parseTestIterationCount, parseTestResultsFile, testIterationFromFileName } from './test-results.js';
export { readSummaryCounts } from './test-summary.js';
export type { TestCounts } from './test-summary.js';
export { dedupeEvents, orderEvents, parseEventLine, parseEventLog } from './events-file.js';
export type { BuildEvent, EventLevel, EventLine, EventLog } from './events-file.js';

/** `session-summary.json`: how the build ended, and what it reported. */
export interface SessionSummary {
  /** The build says it finished: status completed/complete/success/done, or `completed_at` set. */
  completed: boolean;
  /** The build says it failed: status failed/error. */
  failed: boolean;
  /**
   * The summary's fields under their snake_case names (`tests_passing`, `completed_at`, …), with
   * counts as numbers and `completed_at` as ISO when readable; other fields kept as written.
   */
  fields: Record<string, unknown>;
}

/** The state of one parallel builder task. */
export type BuildTaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'blocked';

/** One task of `build-tasks.json`. */
export interface BuildTask {
  /** As written, or `task-<n>` (1-based position) when the task has none. */
  id: string;
  name: string;
  status: BuildTaskStatus;
  dependsOn: string[];
  files: string[];
  agent: string | null;
  error: string | null;
}

/** More tasks than this are not read: no plan splits a build this finely. */
export const MAX_BUILD_TASKS = 500;

/** Lists inside a summary or task (files created, dependencies) keep at most this many entries. */
export const MAX_LIST_ENTRIES = 1000;

const key = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

const cappedList = (list: unknown[]): unknown =>
  truncateDeep(list.length > MAX_LIST_ENTRIES ? list.slice(0, MAX_LIST_ENTRIES) : list);

/** A count written as 12, "12", "#12" or 12.0; anything else is kept as written. */
function readSummaryValue(name: string, value: unknown): unknown {
  const text = typeof value === 'string' ? value.trim() : null;
  if (COUNT_FIELDS.has(name) || NUMBER_FIELDS.has(name)) {
    const number =
      text !== null && /^#?\d+(?:\.\d+)?%?$/.test(text) ? Number(text.replace(/[#%]/g, '')) : value;
    if (typeof number === 'number' && Number.isFinite(number)) return number;
  }
  if (name === 'completed_at') return parseTimestamp(value) ?? truncateDeep(value);
  return Array.isArray(value) ? cappedList(value) : truncateDeep(value);
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
  const fields: Record<string, unknown> = {};
  let known = 0;
  for (const [name, value] of Object.entries(unwrapSummary(parsed.value))) {
    const canonical = SUMMARY_FIELDS.get(key(name));
    if (canonical === undefined) {
      if (!(name in fields)) fields[name] = Array.isArray(value) ? cappedList(value) : truncateDeep(value);
      continue;
    }
    // Both spellings written: the first one with a value wins.
    if (fields[canonical] !== undefined && fields[canonical] !== null) continue;
    fields[canonical] = readSummaryValue(canonical, value);
    known += 1;
  }
  if (known === 0) {
    return problem('invalid-fields', 'no session summary fields found (expected status, completed_at, ...)');
  }
  const status = statusWords(fields.status);
  const failed = /\b(?:failed|failure|fail|errors?|errored|aborted|crashed)\b/.test(status);
  const completedAt = fields.completed_at;
  const finishedAt =
    completedAt !== null && completedAt !== undefined && completedAt !== '' && completedAt !== false;
  const completed =
    !failed && (/\b(?:completed?|success|successful|succeeded|done|finished)\b/.test(status) || finishedAt);
  return { ok: true, value: { completed, failed, fields } };
}

const TASK_STATUS: Record<string, BuildTaskStatus> = {
  pending: 'queued',
  queued: 'queued',
  todo: 'queued',
  notstarted: 'queued',
  waiting: 'queued',
  ready: 'queued',
  planned: 'queued',
  inprogress: 'running',
  active: 'running',
  running: 'running',
  started: 'running',
  working: 'running',
  building: 'running',
  done: 'completed',
  complete: 'completed',
  completed: 'completed',
  success: 'completed',
  succeeded: 'completed',
  finished: 'completed',
  passed: 'completed',
  error: 'failed',
  errored: 'failed',
  failed: 'failed',
  failure: 'failed',
  skipped: 'skipped',
  cancelled: 'skipped',
  canceled: 'skipped',
  blocked: 'blocked',
};

const TASK_FIELDS = {
  id: ['id', 'taskid', 'key'],
  name: ['name', 'title', 'description', 'task', 'summary'],
  status: ['status', 'state'],
  dependsOn: ['dependencies', 'dependson', 'deps', 'blockedby', 'requires'],
  files: ['files', 'filestocreate', 'outputfiles', 'paths', 'file'],
  agent: ['agent', 'agentid', 'assignedto', 'builder', 'worker'],
  error: ['error', 'errormessage', 'failurereason', 'reason'],
} as const;

function pick(object: JsonObject, aliases: readonly string[]): unknown {
  for (const alias of aliases) {
    for (const [name, value] of Object.entries(object)) {
      if (key(name) === alias && value !== null && value !== undefined && value !== '') return value;
    }
  }
  return undefined;
}

function textValue(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isObject(value)) return textValue(value.message ?? value.error);
  return typeof value === 'string' && value.trim() !== '' ? truncateText(value.trim()) : null;
}

/** A list written as an array, a comma-separated string, or one value. */
function textList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  return [...new Set(items.map(textValue).filter((item): item is string => item !== null))].slice(
    0,
    MAX_LIST_ENTRIES,
  );
}

function readTask(entry: unknown, index: number): BuildTask | null {
  const fallbackId = `task-${index + 1}`;
  const name = textValue(entry);
  if (typeof entry === 'string' && name !== null) {
    return { id: fallbackId, name, status: 'queued', dependsOn: [], files: [], agent: null, error: null };
  }
  if (!isObject(entry)) return null;
  const id = textValue(pick(entry, TASK_FIELDS.id)) ?? fallbackId;
  const status = textValue(pick(entry, TASK_FIELDS.status));
  return {
    id,
    name: textValue(pick(entry, TASK_FIELDS.name)) ?? id,
    status: status === null ? 'queued' : (TASK_STATUS[key(status)] ?? 'queued'),
    dependsOn: textList(pick(entry, TASK_FIELDS.dependsOn) ?? []),
    files: textList(pick(entry, TASK_FIELDS.files) ?? []),
    agent: textValue(pick(entry, TASK_FIELDS.agent)),
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
  return Object.entries(list).map(([id, task]) => (isObject(task) ? { id, ...task } : task));
}

/**
 * Reads `build-tasks.json`. Status words are normalized (pending → queued, in-progress/active
 * → running, done/complete → completed, error → failed; unknown words → queued). A task id
 * written twice keeps its first place and its last content. Problems: the file is empty, not
 * JSON, or holds no task list.
 */
export function parseBuildTasks(text: string): Result<BuildTask[]> {
  const parsed = parseJsonObject(text);
  let value: unknown = parsed.ok ? parsed.value : undefined;
  if (!parsed.ok) {
    if (parsed.problem.code !== 'not-object') return parsed;
    // parseJsonObject has checked size and syntax; only the top-level array is left to read.
    value = JSON.parse(text.replace(/^\ufeff/, ''));
  }
  const list = taskList(value);
  if (list === null)
    return problem('invalid-fields', 'no task list found (expected "tasks": [...] or an array)');
  const tasks = new Map<string, BuildTask>();
  list.slice(0, MAX_BUILD_TASKS).forEach((entry, index) => {
    const task = readTask(entry, index);
    if (task) tasks.set(task.id, task);
  });
  return { ok: true, value: [...tasks.values()] };
}

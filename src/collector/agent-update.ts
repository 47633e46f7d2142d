/**
 * @module
 * Per-agent status (SPEC 1.7): `POST /api/agent-update` bodies, and agents described by
 * Context Foundry events, turned into one typed update. Pure.
 */
import type { Agent, AgentStatus } from '../shared/protocol.js';
import { previewJson, truncateText } from './json-text.js';
import { MAX_NAME_LENGTH, MAX_STATUS_LENGTH } from './limits.js';
import type { Result } from './types.js';

/** The fields of an {@link Agent} that an update reports, as they are shown. */
export type ReportedAgentFields = Pick<
  Agent,
  | 'type'
  | 'name'
  | 'status'
  | 'reportedStatus'
  | 'phase'
  | 'progressPercent'
  | 'tokensUsed'
  | 'error'
  | 'task'
>;

/** An agent's reported state, as normalized at the edge. */
export interface AgentUpdate extends ReportedAgentFields {
  /** The build's `session_id` (its project) or a buildcast session id. */
  sessionKey: string;
  agentId: string;
  /**
   * Fields that were sent but could not be read, and so were left out (a count beyond 2^53);
   * set by {@link parseAgentUpdate}, absent on updates buildcast makes itself.
   */
  warnings?: string[];
}

const MAX_TEXT = 2_000;

/** A `Map`, so a status such as "constructor" is simply unknown, never `Object.prototype`'s. */
const STATUS_WORDS: ReadonlyMap<string, AgentStatus> = new Map([
  ['spawning', 'spawning'],
  ['spawned', 'spawning'],
  ['starting', 'spawning'],
  ['queued', 'spawning'],
  ['pending', 'spawning'],
  ['active', 'active'],
  ['running', 'active'],
  ['working', 'active'],
  ['in-progress', 'active'],
  ['busy', 'active'],
  ['idle', 'idle'],
  ['waiting', 'idle'],
  ['paused', 'idle'],
  ['blocked', 'idle'],
  ['completed', 'completed'],
  ['complete', 'completed'],
  ['done', 'completed'],
  ['success', 'completed'],
  ['succeeded', 'completed'],
  ['finished', 'completed'],
  ['failed', 'failed'],
  ['failure', 'failed'],
  ['error', 'failed'],
  ['errored', 'failed'],
  ['crashed', 'failed'],
  ['cancelled', 'failed'],
  ['canceled', 'failed'],
]);

/** The status an agent reports, normalized; unknown words are kept aside, never dropped. */
export function agentStatus(value: unknown): { status: AgentStatus; reported: string | null } | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const said = truncateText(value.trim(), MAX_STATUS_LENGTH);
  const word = said.toLowerCase().replace(/[\s_]+/g, '-');
  const known = STATUS_WORDS.get(word);
  return known ? { status: known, reported: null } : { status: 'active', reported: said };
}

/** The first of `keys` the body itself holds (never one it inherits) with a value. */
function pick(body: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) {
    if (!Object.hasOwn(body, key)) continue;
    const value = body[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function text(value: unknown, max = MAX_TEXT): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return truncateText(trimmed, max);
}

/**
 * A number of 0 or more, from a number or its text; `whole` numbers must also be exact (at
 * most 2^53), as a token count beyond that is no count at all. Anything else is left out, and
 * said so in `warnings`.
 */
function number(value: unknown, field: string, whole: boolean, warnings: string[]): number | null {
  if (value === undefined) return null;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const ok = typeof n === 'number' && Number.isFinite(n) && n >= 0 && (!whole || Number.isSafeInteger(n));
  if (ok) return n;
  const expected = whole ? 'a whole number from 0 to 2^53' : 'a number of 0 or more';
  warnings.push(`${field}: expected ${expected}, got ${previewJson(value)}`);
  return null;
}

/** Reads an agent update in snake_case or camelCase; a missing id or session is an error. */
export function parseAgentUpdate(value: unknown): Result<AgentUpdate> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: { code: 'not-object', message: 'body must be a JSON object' } };
  }
  const body = value as Record<string, unknown>;
  const sessionKey = text(pick(body, 'session_id', 'sessionId'), MAX_NAME_LENGTH);
  const agentId = text(pick(body, 'agent_id', 'agentId', 'id'), MAX_NAME_LENGTH);
  const missing = [!sessionKey && 'session_id', !agentId && 'agent_id'].filter(Boolean);
  if (missing.length > 0) {
    return { ok: false, problem: { code: 'invalid-fields', message: `missing ${missing.join(' and ')}` } };
  }
  const rawStatus = pick(body, 'status', 'state');
  const status = agentStatus(rawStatus);
  if (rawStatus !== undefined && status === null) {
    return {
      ok: false,
      problem: { code: 'invalid-fields', message: 'status must be a word such as "active"' },
    };
  }
  const warnings: string[] = [];
  const progress = number(
    pick(body, 'progress_percent', 'progressPercent', 'progress'),
    'progress_percent',
    false,
    warnings,
  );
  const tokensUsed = number(pick(body, 'tokens_used', 'tokensUsed', 'tokens'), 'tokens_used', true, warnings);
  return {
    ok: true,
    value: {
      sessionKey: sessionKey!,
      agentId: agentId!,
      type: text(pick(body, 'agent_type', 'agentType', 'type'), MAX_NAME_LENGTH),
      name: text(pick(body, 'agent_name', 'agentName', 'name'), MAX_NAME_LENGTH),
      status: status?.status ?? 'active',
      reportedStatus: status?.reported ?? null,
      phase: text(pick(body, 'phase', 'current_phase', 'currentPhase'), MAX_NAME_LENGTH),
      progressPercent: progress === null ? null : Math.min(100, progress),
      tokensUsed,
      error: text(pick(body, 'error_message', 'errorMessage', 'error')),
      task: text(pick(body, 'task_id', 'taskId'), MAX_NAME_LENGTH),
      warnings,
    },
  };
}

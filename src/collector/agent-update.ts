/**
 * @module
 * Per-agent status (SPEC 1.7): `POST /api/agent-update` bodies, and agents described by
 * Context Foundry events, turned into one typed update. Pure.
 */
import type { AgentStatus } from '../shared/protocol.js';
import type { Result } from './types.js';

/** An agent's reported state, as normalized at the edge. */
export interface AgentUpdate {
  /** The build's `session_id` (its project) or a buildcast session id. */
  sessionKey: string;
  agentId: string;
  type: string | null;
  name: string | null;
  status: AgentStatus;
  /** The word as sent, when it was not one of the five statuses. */
  reportedStatus: string | null;
  phase: string | null;
  progressPercent: number | null;
  tokensUsed: number | null;
  error: string | null;
}

const MAX_TEXT = 2_000;

const STATUS_WORDS: Record<string, AgentStatus> = {
  spawning: 'spawning',
  spawned: 'spawning',
  starting: 'spawning',
  queued: 'spawning',
  pending: 'spawning',
  active: 'active',
  running: 'active',
  working: 'active',
  'in-progress': 'active',
  busy: 'active',
  idle: 'idle',
  waiting: 'idle',
  paused: 'idle',
  blocked: 'idle',
  completed: 'completed',
  complete: 'completed',
  done: 'completed',
  success: 'completed',
  succeeded: 'completed',
  finished: 'completed',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  errored: 'failed',
  crashed: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
};

/** The status an agent reports, normalized; unknown words are kept aside, never dropped. */
export function agentStatus(value: unknown): { status: AgentStatus; reported: string | null } | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const word = value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  const known = STATUS_WORDS[word];
  return known
    ? { status: known, reported: null }
    : { status: 'active', reported: value.trim().slice(0, 60) };
}

function pick(body: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (body[key] !== undefined && body[key] !== null) return body[key];
  return undefined;
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return trimmed.length > MAX_TEXT ? `${trimmed.slice(0, MAX_TEXT)}…` : trimmed;
}

function number(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

/** Reads an agent update in snake_case or camelCase; a missing id or session is an error. */
export function parseAgentUpdate(value: unknown): Result<AgentUpdate> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: { code: 'not-object', message: 'body must be a JSON object' } };
  }
  const body = value as Record<string, unknown>;
  const sessionKey = text(pick(body, 'session_id', 'sessionId'));
  const agentId = text(pick(body, 'agent_id', 'agentId', 'id'));
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
  const progress = number(pick(body, 'progress_percent', 'progressPercent', 'progress'));
  return {
    ok: true,
    value: {
      sessionKey: sessionKey!,
      agentId: agentId!.slice(0, 200),
      type: text(pick(body, 'agent_type', 'agentType', 'type')),
      name: text(pick(body, 'agent_name', 'agentName', 'name')),
      status: status?.status ?? 'active',
      reportedStatus: status?.reported ?? null,
      phase: text(pick(body, 'phase', 'current_phase', 'currentPhase')),
      progressPercent: progress === null ? null : Math.min(100, progress),
      tokensUsed: number(pick(body, 'tokens_used', 'tokensUsed', 'tokens')),
      error: text(pick(body, 'error_message', 'errorMessage', 'error')),
    },
  };
}

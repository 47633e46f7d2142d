/**
 * @module
 * The agent an `events.jsonl` entry speaks of (SPEC 1.4, 1.7): Context Foundry writes
 * `data.agent_id` (or `agentId`) on agent and task events, with the status, name and error under
 * several names; a `task_complete` event without a status means the agent finished.
 */
import { parseAgentUpdate, type AgentUpdate } from './agent-update.js';
import type { BuildEvent } from './types.js';

/** The first of several names a field goes by, read as an own property only. */
function field(data: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) {
    if (Object.hasOwn(data, name) && data[name] !== undefined && data[name] !== null) return data[name];
  }
  return undefined;
}

/** The agent update an event carries, for the given session; null when it names no agent. */
export function agentUpdateOfEvent(event: BuildEvent, sessionKey: string): AgentUpdate | null {
  const data = event.data;
  const agentId = field(data, 'agent_id', 'agentId');
  if (typeof agentId !== 'string' && typeof agentId !== 'number') return null;
  const status =
    field(data, 'status', 'agent_status') ?? (event.type === 'task_complete' ? 'completed' : 'active');
  const parsed = parseAgentUpdate({
    ...data,
    session_id: sessionKey,
    agent_id: String(agentId),
    status,
    agent_name: field(data, 'agent_name', 'agentName', 'task_name', 'task') ?? null,
    error_message: field(data, 'error_message', 'error') ?? null,
  });
  return parsed.ok ? parsed.value : null;
}

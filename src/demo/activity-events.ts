/**
 * @module
 * How an activity is written to `events.jsonl` (SPEC 1.4) and pushed over HTTP (SPEC 1.2, 1.7).
 *
 * Every event that names an agent carries its whole state (`agent_id`, `agent_type`,
 * `agent_name`, `status`, `phase`, `progress_percent`, `tokens_used`, `error_message`), the same
 * fields `/api/agent-update` receives, so a reader can take an agent's latest event as its state.
 * A builder that fails and is retried is logged at `warn`, not as an `error` event: the build
 * recovered, and an `error` event is kept for what fails the build.
 */
import { assertNever } from '../shared/protocol.js';
import { requestContext } from './activity.js';
import type { Activity, AgentActivity, AgentState, RequestActivity } from './activity.js';

/** The body of `POST /api/agent-update` (SPEC 1.7). */
export interface AgentUpdateBody {
  session_id: string;
  agent_id: string;
  agent_type: string;
  agent_name: string;
  status: AgentState['status'];
  phase: string;
  progress_percent: number;
  tokens_used: number;
  error_message: string | null;
}

/** The push body for an agent's state; `session_id` is the project, as in the phase file. */
export function agentUpdateBody(project: string, agent: AgentState): AgentUpdateBody {
  return {
    session_id: project,
    agent_id: agent.id,
    agent_type: agent.type,
    agent_name: agent.name,
    status: agent.status,
    phase: agent.phase,
    progress_percent: agent.progressPercent,
    tokens_used: agent.tokensUsed,
    error_message: agent.error,
  };
}

function agentData(activity: AgentActivity): Record<string, unknown> {
  const { agent, task } = activity;
  const data: Record<string, unknown> = {
    message: activity.message,
    agent_id: agent.id,
    agent_type: agent.type,
    agent_name: agent.name,
    status: agent.status,
    phase: agent.phase,
    progress_percent: agent.progressPercent,
    tokens_used: agent.tokensUsed,
    error_message: agent.error,
  };
  if (task) {
    data['task_id'] = task.id;
    data['task_name'] = task.name;
  }
  if (agent.status === 'failed') data['level'] = 'warn';
  return data;
}

/**
 * The main loop's context window as a request of it was sent: the figures the context gauge
 * computes from the same request in the transcript (its input and cache tokens over the model's
 * window, a percentage with one decimal).
 */
function contextData(request: RequestActivity): Record<string, unknown> {
  const tokens = requestContext(request.usage);
  return {
    phase: request.phase,
    model: request.model,
    context_tokens: tokens,
    max_tokens: request.contextWindow,
    context_percent: Math.round((tokens / request.contextWindow) * 1000) / 10,
  };
}

/**
 * The `events.jsonl` line of `activity`, or null for one that is not an event (the task list, an
 * agent's request: that one is in its transcript only).
 */
export function renderActivityEvent(
  project: string,
  activity: Activity,
  now: string,
  sequence: number,
): string | null {
  const line = (type: string, data: Record<string, unknown>): string =>
    JSON.stringify({ type, session_id: project, timestamp: now, sequence, data });
  switch (activity.kind) {
    case 'agent':
      return line(activity.event, agentData(activity));
    case 'log':
      return line('log_line', {
        message: activity.text,
        stream: activity.stream,
        level: activity.stream === 'stderr' ? 'warn' : 'info',
        phase: activity.phase,
      });
    case 'request':
      return activity.agent === null ? line('context_update', contextData(activity)) : null;
    case 'tasks':
      return null;
    default:
      return assertNever(activity);
  }
}

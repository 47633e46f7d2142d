/**
 * @module
 * What happens inside a simulated build between two phase-file updates: agents spawning, working
 * and finishing (SPEC 1.7), the Architect's task list changing (`build-tasks.json`), output lines
 * and the API requests of the build's Claude Code session (SPEC 1.5). Pure data, placed on the
 * same time line as the plan's steps by `timeline.ts`.
 */
import type { PhaseName } from './story.js';
import type { BuildPlan } from './build-plan.js';

/** The statuses SPEC 1.7 names that a simulated agent goes through. */
export type AgentStatus = 'spawning' | 'active' | 'completed' | 'failed';

/** An agent's whole reported state at one moment: what `/api/agent-update` receives. */
export interface AgentState {
  id: string;
  type: 'scout' | 'builder' | 'tester';
  name: string;
  status: AgentStatus;
  phase: PhaseName;
  progressPercent: number;
  tokensUsed: number;
  error: string | null;
}

/** The status words `build-tasks.json` uses for a task. */
export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

/** One task of `build-tasks.json`, as the file lists it. */
export interface TaskState {
  id: string;
  name: string;
  status: TaskStatus;
  dependsOn: readonly string[];
  agent: string | null;
  files: readonly string[];
  error: string | null;
}

interface Timed {
  /** Offset from the start of the build, in milliseconds, already scaled by speed. */
  atMs: number;
  phase: PhaseName;
}

/** An agent changed: one event in the log and, when pushing, one `/api/agent-update`. */
export interface AgentActivity extends Timed {
  kind: 'agent';
  agent: AgentState;
  /**
   * How the event log records it: a `log_line` for spawning, starting, progress and failing, a
   * `task_complete` when it finishes a task. Progress is not a `context_update`: the log shows
   * those as "context: N % used", which is the main loop's context window, not an agent's.
   */
  event: 'log_line' | 'task_complete';
  /** One line for people. */
  message: string;
  /** The task it works on or just finished. */
  task: { id: string; name: string } | null;
}

/** `build-tasks.json` rewritten with every task's current state. */
export interface TasksActivity extends Timed {
  kind: 'tasks';
  tasks: readonly TaskState[];
  /** What changed, for logging. */
  note: string;
}

/** A line of output: a `log_line` event and, when pushing, one `/api/broadcast` line. */
export interface LogActivity extends Timed {
  kind: 'log';
  /** As a terminal shows it, ANSI colours included. */
  text: string;
  stream: 'stdout' | 'stderr';
}

/** The token counts of one API request, as Claude Code's `message.usage` reports them. */
export interface RequestUsage {
  input: number;
  output: number;
  cacheRead: number;
  /** Cache written for five minutes (`cache_creation.ephemeral_5m_input_tokens`). */
  cacheWrite5m: number;
  /** Cache written for an hour (`cache_creation.ephemeral_1h_input_tokens`). */
  cacheWrite1h: number;
}

/** One tool call a request makes, with what the tool answers in the next user line. */
export interface ToolCall {
  name: string;
  input: Readonly<Record<string, string>>;
  result: string;
}

/**
 * One API request of the build's Claude Code session, written to its transcript (SPEC 1.5).
 * A request of the main loop also logs the orchestrator's context window (`context_update`):
 * what the request was sent with, so the log and the context gauge say the same.
 */
export interface RequestActivity extends Timed {
  kind: 'request';
  /** The agent that sent it (`builder-1`), in a subagent transcript; null for the main loop. */
  agent: string | null;
  model: string;
  usage: RequestUsage;
  /** The context window of `model`, which the main loop's context line measures against. */
  contextWindow: number;
  /** What the response says before its tool call. */
  text: string;
  /** Null for an agent's last response, which only reports back. */
  tool: ToolCall | null;
  /** The request that opens a conversation carries its prompt in the user line before it. */
  prompt: string | null;
}

/**
 * The usage of a request sent with `context` tokens of which the first `cached` were sent before:
 * those are read from the cache, the rest (but the few new input tokens) written to it, for five
 * minutes or for an hour.
 */
export function cachedUsage(request: {
  context: number;
  cached: number;
  input: number;
  output: number;
  cacheFor: '5m' | '1h';
}): RequestUsage {
  const write = Math.max(0, request.context - request.cached - request.input);
  return {
    input: request.input,
    output: request.output,
    cacheRead: request.cached,
    cacheWrite5m: request.cacheFor === '5m' ? write : 0,
    cacheWrite1h: request.cacheFor === '1h' ? write : 0,
  };
}

/** Every token a request counts: what it read, wrote to the cache, and answered. */
export function requestTokens(usage: RequestUsage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;
}

/** The context a request was sent with: its input and the cache it read and wrote. */
export function requestContext(usage: RequestUsage): number {
  return usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;
}

export type Activity = AgentActivity | TasksActivity | LogActivity | RequestActivity;

/** Where a phase sits on the plan's time line; null when the build never reached it. */
export interface PhaseWindow {
  startMs: number;
  endMs: number;
  /** True when the phase ended the build by failing. */
  failed: boolean;
}

/** The window of `phase` in `plan`. */
export function phaseWindow(plan: BuildPlan, phase: PhaseName): PhaseWindow | null {
  const steps = plan.steps.filter((step) => step.phase === phase);
  const first = steps[0];
  const last = steps.at(-1);
  if (!first || !last) return null;
  return { startMs: first.atMs, endMs: last.atMs, failed: last.outcome === 'failed' };
}

/** The offset of `seconds` (at speed 1) after `startMs`, at the plan's speed. */
export function offsetMs(plan: Pick<BuildPlan, 'speed'>, startMs: number, seconds: number): number {
  return startMs + Math.round((seconds * 1000) / plan.speed);
}

/** The length of a window in seconds at speed 1, the unit scripts are written in. */
export function windowSeconds(plan: Pick<BuildPlan, 'speed'>, window: PhaseWindow): number {
  return ((window.endMs - window.startMs) * plan.speed) / 1000;
}

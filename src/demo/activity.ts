/**
 * @module
 * What happens inside a simulated build between two phase-file updates: agents spawning, working
 * and finishing (SPEC 1.7), the Architect's task list changing (`build-tasks.json`), output lines
 * and the orchestrator's context growing. Pure data, placed on the same time line as the plan's
 * steps by `timeline.ts`.
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
   * How the event log records it: a `log_line` for spawning, starting and failing, a
   * `context_update` for progress, a `task_complete` when it finishes a task.
   */
  event: 'log_line' | 'context_update' | 'task_complete';
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

/** The orchestrator's context window after a phase starts: a `context_update` event. */
export interface ContextActivity extends Timed {
  kind: 'context';
  tokens: number;
  maxTokens: number;
}

export type Activity = AgentActivity | TasksActivity | LogActivity | ContextActivity;

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

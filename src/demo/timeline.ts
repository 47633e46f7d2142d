/**
 * @module
 * One time line for a simulated build: the plan's phase-file updates and everything that happens
 * between them (agents, task list, output, API requests), cut short where the build fails. Pure.
 */
import { planBuild } from './build-plan.js';
import type { BuildPlan, PlannedStep } from './build-plan.js';
import { requestTokens } from './activity.js';
import type { Activity, AgentActivity, AgentState, TaskState } from './activity.js';
import { planAgents } from './agents.js';
import { planLogs } from './build-logs.js';
import { planMainLoop } from './main-loop.js';

/** One moment of a build: a phase-file update or an activity, with the wait before it. */
export type TimelineItem =
  | { atMs: number; delayMs: number; step: PlannedStep; activity?: undefined }
  | { atMs: number; delayMs: number; step?: undefined; activity: Activity };

/** Everything that happens inside the build `plan` describes, in no particular order. */
function planActivity(plan: BuildPlan): Activity[] {
  const logs = planLogs(plan);
  const mainLoop = planMainLoop(plan);
  if (plan.outcome === 'completed') return [...planAgents(plan), ...logs, ...mainLoop];
  // Agents are planned on the build as if it went on, then stopped where it fails.
  const full = planBuild({ project: plan.project, speed: plan.speed, story: plan.story });
  return [...stopAtFailure(plan, planAgents(full)), ...logs, ...mainLoop];
}

/**
 * What a failed build's agents managed before it failed: nothing after the failure, no agent of
 * the failing phase finishing, every agent still at work failed with the build's error, and the
 * task list's unfinished tasks failed or skipped.
 */
function stopAtFailure(plan: BuildPlan, activities: readonly Activity[]): Activity[] {
  const failure = plan.steps.at(-1);
  if (!failure) return [];
  const failedAt = failure.atMs;
  const kept = activities.filter(
    (activity) =>
      activity.atMs < failedAt &&
      !(
        activity.kind === 'agent' &&
        activity.phase === failure.phase &&
        activity.agent.status === 'completed'
      ),
  );
  const agents = new Map<string, AgentActivity>();
  const sent = new Map<string, number>();
  let tasks: readonly TaskState[] | null = null;
  for (const activity of [...kept].sort((a, b) => a.atMs - b.atMs)) {
    if (activity.kind === 'agent') agents.set(activity.agent.id, activity);
    if (activity.kind === 'tasks') tasks = activity.tasks;
    if (activity.kind === 'request' && activity.agent !== null)
      sent.set(activity.agent, (sent.get(activity.agent) ?? 0) + requestTokens(activity.usage));
  }
  const stops: Activity[] = [];
  for (const last of agents.values()) {
    if (last.agent.status !== 'spawning' && last.agent.status !== 'active') continue;
    const agent: AgentState = {
      ...last.agent,
      status: 'failed',
      error: failure.detail,
      tokensUsed: sent.get(last.agent.id) ?? 0,
    };
    stops.push({
      kind: 'agent',
      atMs: failedAt,
      phase: last.phase,
      agent,
      event: 'log_line',
      message: `${agent.id} stopped: ${failure.detail}`,
      task: last.task,
    });
  }
  const unfinished = tasks?.some((task) => task.status === 'pending' || task.status === 'running');
  if (tasks && unfinished) {
    const stopped = tasks.map((task): TaskState => {
      if (task.status === 'running') return { ...task, status: 'failed', error: failure.detail };
      return task.status === 'pending' ? { ...task, status: 'skipped' } : task;
    });
    stops.push({
      kind: 'tasks',
      atMs: failedAt,
      phase: failure.phase,
      tasks: stopped,
      note: 'unfinished tasks stopped',
    });
  }
  return [...kept, ...stops];
}

/**
 * At the same moment, a phase's opening update comes before what happens in it, and what happens
 * in it before the update that ends it (or reports a test run), so output precedes its verdict.
 */
function rank(item: { step?: PlannedStep; activity?: Activity }): number {
  if (item.activity) return 1;
  const kind = item.step?.kind;
  return kind === 'end' || kind === 'failed' || kind === 'iteration-result' ? 2 : 0;
}

/**
 * The plan's steps and `activities` in the order they happen, each with its wait after the
 * previous one. Nothing comes after the build's last step, so the log ends with its verdict.
 */
function mergeTimeline(plan: BuildPlan, activities: readonly Activity[]): TimelineItem[] {
  const items: Array<{ atMs: number; step?: PlannedStep; activity?: Activity }> = [
    ...plan.steps.map((step) => ({ atMs: step.atMs, step })),
    ...activities
      .filter((activity) => activity.atMs <= plan.totalMs)
      .map((activity) => ({ atMs: activity.atMs, activity })),
  ];
  const ordered = items
    .map((item, order) => ({ item, order, rank: rank(item) }))
    .sort((a, b) => a.item.atMs - b.item.atMs || a.rank - b.rank || a.order - b.order);
  let previous = 0;
  return ordered.map(({ item }): TimelineItem => {
    const delayMs = item.atMs - previous;
    previous = item.atMs;
    return item.step
      ? { atMs: item.atMs, delayMs, step: item.step }
      : { atMs: item.atMs, delayMs, activity: item.activity as Activity };
  });
}

/** The whole time line of the build `plan` describes. */
export function planTimeline(plan: BuildPlan): TimelineItem[] {
  return mergeTimeline(plan, planActivity(plan));
}

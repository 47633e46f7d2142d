/**
 * @module
 * The Builder phase's schedule, the same for every story: three builders on six tasks, builder-3
 * failing task 5 and builder-3-retry taking it over, and `build-tasks.json` as the builders move
 * through it. Pure.
 */
import type { PhaseName, Story } from './story.js';
import type { BuildPlan } from './build-plan.js';
import { offsetMs, phaseWindow } from './activity.js';
import type { Activity, AgentState, TaskState, TaskStatus } from './activity.js';
import { MAIN_MODEL } from './models.js';
import type { DemoModel } from './models.js';

/** The Builder schedule below is written for a Builder phase this long; it stretches to fit. */
const BUILDER_SECONDS = 48;
/** A builder starts with the architecture, its task and the files it depends on in its context. */
const BUILDER_BASE_CONTEXT = 9_000;

/** One build task worked by an agent, in seconds after its phase starts (speed 1). */
export interface Work {
  task: number;
  start: number;
  end: number;
}

/** What one agent does and when, in seconds after its phase starts (speed 1). */
export interface AgentScript {
  id: string;
  type: AgentState['type'];
  name: string;
  phase: PhaseName;
  spawn: number;
  active: number;
  end: number;
  /** When its progress would reach 100 % had it not failed. */
  span: number;
  /** The model its requests go to. */
  model: DemoModel;
  /** The context of its first request: its prompt, the tools and the files it was handed. */
  baseContext: number;
  /** Tokens its context grows by in each second (at speed 1) that it works. */
  contextPerSecond: number;
  /** Build tasks it works, in order; empty for agents outside Builder. */
  work: Work[];
  /** What it works on outside Builder. */
  job: { id: string; name: string } | null;
  /** Set when it fails at `end`. */
  error: string | null;
  spawnNote: string;
}

/** The id a task has in `build-tasks.json`. */
export const taskId = (index: number): string => `task-${index + 1}`;

/** Three builders on six tasks; builder-3 fails task 5 at 14 s and builder-3-retry takes over. */
export function builderScripts(story: Story, length: number): AgentScript[] {
  const f = length / BUILDER_SECONDS;
  const [api, ui, cache] = story.builderRoles;
  const builder = (
    n: string,
    role: string,
    times: { spawn: number; active: number; end: number; span?: number; rate: number },
    work: Array<[number, number, number]>,
    extra: Partial<AgentScript> = {},
  ): AgentScript => ({
    id: `builder-${n}`,
    type: 'builder',
    name: `Builder ${n}: ${role}`,
    phase: 'Builder',
    spawn: times.spawn * f,
    active: times.active * f,
    end: times.end * f,
    span: (times.span ?? times.end) * f,
    model: MAIN_MODEL,
    baseContext: BUILDER_BASE_CONTEXT,
    contextPerSecond: times.rate,
    work: work.map(([task, start, end]) => ({ task, start: start * f, end: end * f })),
    job: null,
    error: null,
    spawnNote: `Spawned builder-${n} (${role}) for ${work.map(([task]) => taskId(task)).join(' and ')}`,
    ...extra,
  });
  return [
    builder('1', api, { spawn: 0, active: 1, end: 20, rate: 1_450 }, [
      [0, 1, 9],
      [1, 9, 20],
    ]),
    builder('2', ui, { spawn: 0, active: 2, end: 31, rate: 1_650 }, [
      [2, 2, 12],
      [3, 21, 31],
    ]),
    builder('3', cache, { spawn: 0, active: 1.5, end: 14, span: 38, rate: 1_300 }, [[4, 1.5, 14]], {
      error: story.builderFailure[0] ?? 'the task failed',
      spawnNote: `Spawned builder-3 (${cache}) for task-5 and task-6`,
    }),
    builder(
      '3-retry',
      cache,
      { spawn: 16, active: 17, end: 38, rate: 1_500 },
      [
        [4, 17, 25],
        [5, 32, 38],
      ],
      {
        name: `Builder 3 (retry): ${cache}`,
        spawnNote: `Spawned builder-3-retry (${cache}) to retry task-5 after builder-3 failed`,
      },
    ),
  ];
}

/** `build-tasks.json` as the Architect writes it, then after each change the builders make. */
export function playTasks(
  plan: BuildPlan,
  builders: readonly AgentScript[],
  builderStartMs: number,
): Activity[] {
  const architect = phaseWindow(plan, 'Architect');
  if (!architect) return [];
  const { story } = plan;
  const owner = (index: number): string => (index < 2 ? 'builder-1' : index < 4 ? 'builder-2' : 'builder-3');
  let tasks: TaskState[] = story.tasks.map((task, index) => ({
    id: taskId(index),
    name: task.name,
    status: 'pending',
    dependsOn: task.dependsOn,
    agent: owner(index),
    files: task.files,
    error: null,
  }));
  const out: Activity[] = [
    {
      kind: 'tasks',
      atMs: architect.endMs,
      phase: 'Architect',
      tasks,
      note: `${tasks.length} tasks planned`,
    },
  ];
  const changes: Array<{
    s: number;
    index: number;
    status: TaskStatus;
    agent: string;
    error: string | null;
  }> = [];
  for (const script of builders) {
    script.work.forEach((work, k) => {
      const fails = script.error !== null && k === script.work.length - 1;
      changes.push({ s: work.start, index: work.task, status: 'running', agent: script.id, error: null });
      changes.push({
        s: work.end,
        index: work.task,
        status: fails ? 'failed' : 'completed',
        agent: script.id,
        error: fails ? script.error : null,
      });
    });
  }
  changes.sort((a, b) => a.s - b.s);
  for (const change of changes) {
    tasks = tasks.map((task, index) =>
      index === change.index
        ? { ...task, status: change.status, agent: change.agent, error: change.error }
        : task,
    );
    out.push({
      kind: 'tasks',
      atMs: offsetMs(plan, builderStartMs, change.s),
      phase: 'Builder',
      tasks,
      note: `${taskId(change.index)} ${change.status} (${change.agent})`,
    });
  }
  return out;
}

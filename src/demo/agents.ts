/**
 * @module
 * The agents of a simulated build (SPEC 1.7): a scout during Scout, three parallel builders
 * during Builder (one fails its first task and a retry takes over; see `builder-schedule.ts`),
 * a tester during Test. Each reports as it spawns, starts, progresses (tokens growing), finishes
 * a task and ends. Pure: the same plan always gives the same activities.
 */
import { ansi } from './story.js';
import type { PhaseName } from './story.js';
import type { BuildPlan } from './build-plan.js';
import { offsetMs, phaseWindow, windowSeconds } from './activity.js';
import type { Activity, AgentActivity, AgentState } from './activity.js';
import { builderScripts, playTasks, taskId } from './builder-schedule.js';
import type { AgentScript, Work } from './builder-schedule.js';

/** Seconds (at speed 1) between two progress reports of a working agent. */
const TICK_SECONDS = 3;
/** Tokens an agent has used when it starts working: its prompt and the files it was handed. */
const STARTING_TOKENS = 3_200;
/** The context window the agents' `context_update` events measure against. */
export const CONTEXT_WINDOW_TOKENS = 200_000;

/** An agent that works the whole of one phase, ending a second before it does. */
function phaseAgent(
  id: 'scout' | 'tester',
  phase: PhaseName,
  length: number,
  job: { id: string; name: string },
): AgentScript {
  return {
    id,
    type: id,
    name: id === 'scout' ? 'Scout' : 'Tester',
    phase,
    spawn: 0,
    active: 1,
    end: length - 1,
    span: length - 1,
    tokensPerSecond: id === 'scout' ? 900 : 1_100,
    work: [],
    job,
    error: null,
    spawnNote:
      id === 'scout' ? 'Spawned scout to research the task' : 'Spawned tester to run the test-fix loop',
  };
}

/** The activities of one agent, from spawning to its end. */
function playAgent(plan: BuildPlan, startMs: number, script: AgentScript): Activity[] {
  const { story } = plan;
  const out: Activity[] = [];
  const ref = (work: Work | undefined): { id: string; name: string } | null =>
    work ? { id: taskId(work.task), name: story.tasks[work.task]?.name ?? taskId(work.task) } : script.job;
  const progressAt = (s: number): number =>
    Math.max(0, Math.min(99, Math.round((100 * (s - script.active)) / (script.span - script.active))));
  const report = (
    s: number,
    status: AgentState['status'],
    event: AgentActivity['event'],
    message: string,
    task: { id: string; name: string } | null,
  ): void => {
    const agent: AgentState = {
      id: script.id,
      type: script.type,
      name: script.name,
      status,
      phase: script.phase,
      progressPercent: status === 'completed' ? 100 : status === 'spawning' ? 0 : progressAt(s),
      tokensUsed:
        status === 'spawning'
          ? 0
          : Math.round(STARTING_TOKENS + script.tokensPerSecond * (s - script.active)),
      error: status === 'failed' ? script.error : null,
    };
    out.push({
      kind: 'agent',
      atMs: offsetMs(plan, startMs, s),
      phase: script.phase,
      agent,
      event,
      message,
      task,
    });
  };
  const print = (s: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void => {
    out.push({ kind: 'log', atMs: offsetMs(plan, startMs, s), phase: script.phase, text, stream });
  };
  const working = (s: number): Work | undefined => script.work.find((w) => w.start <= s && s < w.end);
  const first = ref(script.work[0]);
  const last = ref(script.work.at(-1));
  const label = (task: { id: string; name: string } | null): string =>
    task
      ? task.id.startsWith('task-')
        ? `${task.id}: ${task.name}`
        : `the ${task.name.toLowerCase()}`
      : 'work';

  // Every moment this agent reports, in time order; ties keep the order they are listed in.
  const marks: Array<{ s: number; play: () => void }> = [];
  marks.push({
    s: script.spawn,
    play: () => report(script.spawn, 'spawning', 'log_line', script.spawnNote, first),
  });
  marks.push({
    s: script.active,
    play: () => report(script.active, 'active', 'log_line', `${script.id} started ${label(first)}`, first),
  });
  script.work.forEach((work, k) => {
    const task = ref(work);
    const files = story.tasks[work.task]?.files.join(', ') ?? '';
    if (k > 0) {
      marks.push({
        s: work.start,
        play: () => report(work.start, 'active', 'log_line', `${script.id} started ${label(task)}`, task),
      });
    }
    if (k < script.work.length - 1) {
      marks.push({
        s: work.end,
        play: () => {
          report(work.end, 'active', 'task_complete', `${script.id} finished ${label(task)}`, task);
          print(work.end, `${ansi.green('✓')} [${script.id}] ${label(task)} (${files})`);
        },
      });
    }
  });
  for (let s = script.active + TICK_SECONDS; s < script.end - 0.5; s += TICK_SECONDS) {
    const at = s;
    marks.push({
      s: at,
      play: () =>
        report(at, 'active', 'context_update', `${script.id} at ${progressAt(at)}%`, ref(working(at))),
    });
  }
  marks.sort((a, b) => a.s - b.s);
  for (const mark of marks) mark.play();

  if (script.error !== null) {
    report(script.end, 'failed', 'log_line', `${script.id} failed on ${label(last)} — ${script.error}`, last);
    print(script.end, ansi.red(`✗ [${script.id}] ${label(last)} failed`), 'stderr');
    story.builderFailure.forEach((line, i) => print(script.end + 0.1 * (i + 1), line, 'stderr'));
  } else {
    report(script.end, 'completed', 'task_complete', `${script.id} finished ${label(last)}`, last);
    if (script.work.length > 0) {
      const files = story.tasks[script.work.at(-1)?.task ?? 0]?.files.join(', ') ?? '';
      print(script.end, `${ansi.green('✓')} [${script.id}] ${label(last)} (${files})`);
    }
  }
  return out;
}

/**
 * The agents and task-list updates of the build `full` describes (the plan as if nothing
 * failed: cutting it short where the real build fails is the caller's business).
 */
export function planAgents(full: BuildPlan): Activity[] {
  const out: Activity[] = [];
  const scout = phaseWindow(full, 'Scout');
  if (scout) {
    const script = phaseAgent('scout', 'Scout', windowSeconds(full, scout), {
      id: 'scout-report',
      name: 'Scout report',
    });
    out.push(...playAgent(full, scout.startMs, script));
  }
  const builder = phaseWindow(full, 'Builder');
  if (builder) {
    const scripts = builderScripts(full.story, windowSeconds(full, builder));
    for (const script of scripts) out.push(...playAgent(full, builder.startMs, script));
    out.push(...playTasks(full, scripts, builder.startMs));
  }
  const test = phaseWindow(full, 'Test');
  if (test) {
    const script = phaseAgent('tester', 'Test', windowSeconds(full, test), {
      id: 'test-fix-loop',
      name: 'Test-fix loop',
    });
    out.push(...playAgent(full, test.startMs, script));
  }
  return out;
}

/**
 * @module
 * The agents of a simulated build (SPEC 1.7): a scout during Scout, three parallel builders
 * during Builder (one fails its first task and a retry takes over; see `builder-schedule.ts`),
 * a tester during Test. Each reports as it spawns, starts, progresses (tokens growing), finishes
 * a task and ends, and sends its API requests (`agent-requests.ts`), whose tokens its reports
 * count. Pure: the same plan always gives the same activities.
 */
import { ansi } from './story.js';
import type { PhaseName } from './story.js';
import type { BuildPlan } from './build-plan.js';
import { offsetMs, phaseWindow, requestTokens, windowSeconds } from './activity.js';
import type { Activity, AgentActivity, AgentState, RequestActivity } from './activity.js';
import { agentRequests } from './agent-requests.js';
import { builderScripts, playTasks, taskId } from './builder-schedule.js';
import type { AgentScript, Work } from './builder-schedule.js';
import { FAST_MODEL } from './models.js';

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
    model: FAST_MODEL,
    baseContext: id === 'scout' ? 6_500 : 7_500,
    contextPerSecond: id === 'scout' ? 900 : 1_100,
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
  const planned = agentRequests(script, story);
  const requests = planned.map((request): RequestActivity => ({
    kind: 'request',
    atMs: offsetMs(plan, startMs, request.s),
    phase: script.phase,
    agent: script.id,
    model: script.model.id,
    contextWindow: script.model.contextWindow,
    usage: request.usage,
    text: request.text,
    tool: request.tool,
    prompt: request.prompt,
  }));
  // A report counts every request sent up to its moment; at the same moment the request comes
  // first (it is listed first, and the time line keeps ties in order).
  out.push(...requests);
  const tokensAt = (atMs: number): number =>
    requests.reduce((sum, request) => (request.atMs <= atMs ? sum + requestTokens(request.usage) : sum), 0);
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
    const atMs = offsetMs(plan, startMs, s);
    const agent: AgentState = {
      id: script.id,
      type: script.type,
      name: script.name,
      status,
      phase: script.phase,
      progressPercent: status === 'completed' ? 100 : status === 'spawning' ? 0 : progressAt(s),
      tokensUsed: tokensAt(atMs),
      error: status === 'failed' ? script.error : null,
    };
    out.push({
      kind: 'agent',
      atMs,
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
  // Between its first request and its last, it reports progress as each one is sent.
  for (const { s: at } of planned.slice(1, -1)) {
    const tokens = tokensAt(offsetMs(plan, startMs, at)).toLocaleString('en-US');
    marks.push({
      s: at,
      play: () =>
        report(
          at,
          'active',
          'log_line',
          `${script.id} at ${progressAt(at)}% (${tokens} tokens)`,
          ref(working(at)),
        ),
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

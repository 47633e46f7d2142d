import { describe, expect, it } from 'vitest';
import { planBuild } from '../../src/demo/build-plan.js';
import type { AgentActivity, TasksActivity } from '../../src/demo/activity.js';
import { TODO_API } from '../../src/demo/story-todo-api.js';
import { planTimeline } from '../../src/demo/timeline.js';
import type { TimelineItem } from '../../src/demo/timeline.js';

const agentsOf = (items: readonly TimelineItem[]): AgentActivity[] =>
  items.flatMap((item) => (item.activity?.kind === 'agent' ? [item.activity] : []));
const taskListsOf = (items: readonly TimelineItem[]): TasksActivity[] =>
  items.flatMap((item) => (item.activity?.kind === 'tasks' ? [item.activity] : []));
const linesOf = (items: readonly TimelineItem[]): string[] =>
  items.flatMap((item) => (item.activity?.kind === 'log' ? [item.activity.text] : []));

/** Each agent's statuses in order, repeats collapsed: what its badge shows over time. */
function lifecycles(items: readonly TimelineItem[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const { agent } of agentsOf(items)) {
    const statuses = seen.get(agent.id) ?? [];
    if (statuses.at(-1) !== agent.status) statuses.push(agent.status);
    seen.set(agent.id, statuses);
  }
  return seen;
}

describe('planTimeline', () => {
  it('runs a scout, three parallel builders with one failed and retried, and a tester', () => {
    const items = planTimeline(planBuild());
    expect(Object.fromEntries(lifecycles(items))).toEqual({
      scout: ['spawning', 'active', 'completed'],
      'builder-1': ['spawning', 'active', 'completed'],
      'builder-2': ['spawning', 'active', 'completed'],
      'builder-3': ['spawning', 'active', 'failed'],
      'builder-3-retry': ['spawning', 'active', 'completed'],
      tester: ['spawning', 'active', 'completed'],
    });
    const agents = agentsOf(items);
    const failed = agents.find((activity) => activity.agent.status === 'failed');
    expect(failed?.agent).toMatchObject({ id: 'builder-3', type: 'builder', phase: 'Builder' });
    expect(failed?.agent.error).toMatch(/^TypeError: Cannot read properties of undefined/);
    const retry = agents.find((activity) => activity.agent.id === 'builder-3-retry');
    expect(retry?.message).toContain('retry task-5 after builder-3 failed');
    expect(retry?.atMs).toBeGreaterThan(failed?.atMs ?? Infinity);

    // Three builders are at work at once.
    const builderStart = items.find((item) => item.step?.phase === 'Builder')?.atMs ?? -1;
    const spawned = agents.filter((a) => a.atMs === builderStart && a.agent.status === 'spawning');
    expect(spawned.map((a) => a.agent.id)).toEqual(['builder-1', 'builder-2', 'builder-3']);
    expect(spawned.map((a) => a.agent.name)).toEqual([
      'Builder 1: API client',
      'Builder 2: UI',
      'Builder 3: caching',
    ]);
  });

  it('shows progress rising from 0 to 100 % and tokens growing for every agent', () => {
    const byAgent = new Map<string, AgentActivity[]>();
    for (const activity of agentsOf(planTimeline(planBuild()))) {
      byAgent.set(activity.agent.id, [...(byAgent.get(activity.agent.id) ?? []), activity]);
    }
    for (const [id, reports] of byAgent) {
      const progress = reports.map((r) => r.agent.progressPercent);
      const tokens = reports.map((r) => r.agent.tokensUsed);
      expect(progress[0], id).toBe(0);
      expect(progress, id).toEqual([...progress].sort((a, b) => a - b));
      expect(tokens, id).toEqual([...tokens].sort((a, b) => a - b));
      expect(reports.length, id).toBeGreaterThan(4);
      if (id !== 'builder-3') expect(progress.at(-1), id).toBe(100);
    }
    expect(byAgent.get('builder-2')?.at(-1)?.agent.tokensUsed).toBeGreaterThan(20_000);
  });

  it('lets a newcomer see an agent at once and the builders within the first minute', () => {
    const agents = agentsOf(planTimeline(planBuild()));
    expect(agents[0]).toMatchObject({ atMs: 0, agent: { id: 'scout', status: 'spawning' } });
    const builder = agents.find((a) => a.agent.type === 'builder');
    expect(builder?.atMs).toBeLessThan(60_000);
  });

  it('writes the task list at the end of Architect and moves each task only after its dependencies', () => {
    const items = planTimeline(planBuild());
    const lists = taskListsOf(items);
    const architectEnd = items.find((item) => item.step?.phase === 'Architect' && item.step.kind === 'end');
    expect(lists[0]?.phase).toBe('Architect');
    expect(lists[0]?.atMs).toBe(architectEnd?.atMs);
    // The list is written before the update that says it is ready.
    expect(items.indexOf(items.find((item) => item.activity === lists[0])!)).toBeLessThan(
      items.indexOf(architectEnd!),
    );
    expect(lists[0]?.tasks.map((task) => [task.id, task.status])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [`task-${n}`, 'pending']),
    );
    expect(lists[0]?.tasks[3]?.dependsOn).toEqual(['task-1', 'task-2']);

    for (const list of lists) {
      for (const task of list.tasks) {
        if (task.status !== 'running') continue;
        const deps = list.tasks.filter((other) => task.dependsOn.includes(other.id));
        expect(
          deps.every((dep) => dep.status === 'completed'),
          `${task.id} started early`,
        ).toBe(true);
      }
    }
    const task5 = lists.map((list) => list.tasks[4]).map((task) => `${task?.status}@${task?.agent}`);
    expect(task5.filter((entry, i) => entry !== task5[i - 1])).toEqual([
      'pending@builder-3',
      'running@builder-3',
      'failed@builder-3',
      'running@builder-3-retry',
      'completed@builder-3-retry',
    ]);
    expect(lists.at(-1)?.tasks.every((task) => task.status === 'completed')).toBe(true);
  });

  it('orders everything in time and ends with the last phase update', () => {
    for (const plan of [planBuild(), planBuild({ failAt: 'Deploy', story: TODO_API, speed: 1.5 })]) {
      const items = planTimeline(plan);
      expect(items[0]?.step).toBe(plan.steps[0]);
      expect(items.at(-1)?.step).toBe(plan.steps.at(-1));
      expect(items.map((item) => item.atMs)).toEqual(items.map((item) => item.atMs).sort((a, b) => a - b));
      expect(items.reduce((sum, item) => sum + item.delayMs, 0)).toBe(plan.totalMs);
      expect(items.filter((item) => item.step).map((item) => item.step)).toEqual(plan.steps);
    }
  });

  it('scales every wait with speed', () => {
    const slow = planTimeline(planBuild({ speed: 1 }));
    const fast = planTimeline(planBuild({ speed: 10 }));
    expect(fast).toHaveLength(slow.length);
    fast.forEach((item, i) => expect(item.atMs).toBeCloseTo((slow[i]?.atMs ?? 0) / 10, -2));
  });

  it('prints output in every phase: npm, the test runner in colour, and the failing builder’s stack', () => {
    const items = planTimeline(planBuild());
    const phases = new Set(
      items.flatMap((item) => (item.activity?.kind === 'log' ? [item.activity.phase] : [])),
    );
    expect([...phases]).toEqual([
      'Scout',
      'Architect',
      'Builder',
      'Test',
      'Screenshot',
      'Documentation',
      'Deploy',
      'Feedback',
    ]);
    const lines = linesOf(items);
    expect(lines).toContain('$ npm install');
    expect(lines).toContain('\u001b[32m✓\u001b[0m 12 passed');
    expect(lines).toContain('\u001b[31m✗ parseForecast converts Kelvin to Celsius\u001b[0m');
    expect(lines).toContain('\u001b[32m✓\u001b[0m 15 passed');
    expect(lines).toContain('    at ForecastCache.get (src/api/cache.ts:27:22)');
  });

  it('stops a failing build where it fails: agents at work fail with its error, unfinished tasks stop', () => {
    const plan = planBuild({ failAt: 'Builder' });
    const items = planTimeline(plan);
    const failure = plan.steps.at(-1)!;
    expect(items.every((item) => item.atMs <= failure.atMs)).toBe(true);
    const stopped = agentsOf(items).filter((a) => a.agent.error === failure.detail);
    expect(stopped.map((a) => a.agent.id).sort()).toEqual(['builder-1', 'builder-2', 'builder-3-retry']);
    expect(stopped.every((a) => a.agent.status === 'failed' && a.atMs === failure.atMs)).toBe(true);
    expect(agentsOf(items).some((a) => a.agent.type === 'tester')).toBe(false);
    const last = taskListsOf(items).at(-1);
    expect(last?.tasks.map((task) => task.status)).toEqual([
      'completed',
      'failed',
      'completed',
      'skipped',
      'failed',
      'skipped',
    ]);
    expect(linesOf(items).at(-1)).toContain(failure.detail);
  });

  it('fails the tester with the build when the Test phase fails', () => {
    const items = planTimeline(planBuild({ failAt: 'Test' }));
    expect(lifecycles(items).get('tester')).toEqual(['spawning', 'active', 'failed']);
    const tester = agentsOf(items)
      .filter((a) => a.agent.id === 'tester')
      .at(-1);
    expect(tester?.agent.error).toBe('Tests still failing after 3 iterations: 14 passed, 1 failed');
  });

  it('tells the second build’s own story, ending in a stack trace at Deploy', () => {
    const items = planTimeline(planBuild({ story: TODO_API, failAt: 'Deploy', project: 'todo-api' }));
    const lines = linesOf(items);
    expect(lines.some((line) => line.includes('weather'))).toBe(false);
    expect(lines).toContain('    at waitForHealthy (scripts/check-health.mjs:48:11)');
    expect(items.at(-1)?.step).toMatchObject({ phase: 'Deploy', status: 'failed' });
    expect(items.at(-1)?.step?.detail).toContain('DATABASE_URL is not set');
    expect(Object.fromEntries(lifecycles(items))).toMatchObject({
      'builder-1': ['spawning', 'active', 'completed'],
      tester: ['spawning', 'active', 'completed'],
    });
  });
});

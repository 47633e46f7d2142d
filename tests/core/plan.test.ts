import { describe, expect, it } from 'vitest';
import type { BuildTask } from '../../src/collector/types.js';
import type { PlanPhase, Session } from '../../src/shared/protocol.js';
import { buildPlan, isOptionalPhase, planTasks } from '../../src/core/plan.js';
import { makeSession, span } from '../render/fixtures.js';

const statuses = (plan: PlanPhase[]) => plan.map((phase) => `${phase.name}:${phase.status}`);
const phase = (plan: PlanPhase[], name: string) => plan.find((entry) => entry.name === name)!;

function task(id: string, status: BuildTask['status'], dependsOn: string[] = []): BuildTask {
  return { id, name: `Build ${id}`, status, dependsOn, files: [], agent: null, error: null };
}

/** A build that failed in Test after three phases went well. */
function failedInTest(overrides: Partial<Session> = {}): Session {
  return makeSession({
    state: 'failed',
    activity: 'failed',
    endedAt: '2026-11-20T14:05:00Z',
    phases: [
      span('Scout', '1/7', 1, '2026-11-20T13:40:00Z', '2026-11-20T13:44:12Z'),
      span('Architect', '2/7', 2, '2026-11-20T13:44:12Z', '2026-11-20T13:50:00Z'),
      span('Builder', '3/7', 3, '2026-11-20T13:50:00Z', '2026-11-20T13:55:00Z'),
      { ...span('Test', '4/7', 4, '2026-11-20T13:55:00Z', '2026-11-20T14:05:00Z'), status: 'failed' },
    ],
    ...overrides,
  });
}

describe('buildPlan: the whole pipeline', () => {
  it('lists every canonical phase, the running one with its start and the rest queued', () => {
    const plan = buildPlan(makeSession(), null);
    expect(statuses(plan)).toEqual([
      'Scout:completed',
      'Architect:completed',
      'Builder:completed',
      'Test:running',
      'Screenshot:queued',
      'Documentation:queued',
      'Deploy:queued',
      'Feedback:queued',
      'GitHub Integration:queued',
    ]);
    expect(phase(plan, 'Scout')).toMatchObject({
      number: '1/7',
      startedAt: '2026-11-20T13:40:00Z',
      endedAt: '2026-11-20T13:44:12Z',
      durationMs: 252_000,
      reason: null,
    });
    expect(phase(plan, 'Test')).toMatchObject({
      startedAt: '2026-11-20T13:55:00Z',
      endedAt: null,
      durationMs: null,
    });
    expect(phase(plan, 'Deploy')).toMatchObject({ number: '6/8', startedAt: null, reason: null, tasks: [] });
  });

  it('shows Codebase Analysis only when the build ran it, and calls it and GitHub Integration optional', () => {
    expect(statuses(buildPlan(makeSession(), null))).not.toContain('Codebase Analysis:queued');
    const enhancing = makeSession({
      phases: [span('Codebase Analysis', '0/7', 0, '2026-11-20T13:30:00Z', '2026-11-20T13:40:00Z')],
      phasesCompleted: ['Codebase Analysis'],
      currentPhase: 'Scout',
      phaseNumber: '1/7',
      phaseIndex: 1,
    });
    expect(statuses(buildPlan(enhancing, null)).slice(0, 3)).toEqual([
      'Codebase Analysis:completed',
      'Scout:running',
      'Architect:queued',
    ]);
    expect(isOptionalPhase('github integration')).toBe(true);
    expect(isOptionalPhase('Codebase Analysis')).toBe(true);
    expect(isOptionalPhase('Deploy')).toBe(false);
  });

  it('blocks every later phase that has not run when a phase fails, naming the failed phase', () => {
    const plan = buildPlan(failedInTest(), null);
    expect(statuses(plan)).toEqual([
      'Scout:completed',
      'Architect:completed',
      'Builder:completed',
      'Test:failed',
      'Screenshot:blocked',
      'Documentation:blocked',
      'Deploy:blocked',
      'Feedback:blocked',
      'GitHub Integration:blocked',
    ]);
    for (const later of plan.slice(4)) expect(later.reason).toBe('Test failed');
    expect(phase(plan, 'Test')).toMatchObject({ endedAt: '2026-11-20T14:05:00Z', durationMs: 600_000 });
  });

  it('blocks what comes after a failed phase even while the build says it is still running', () => {
    const session = failedInTest({ state: 'running', activity: 'self-healing', endedAt: null });
    const plan = buildPlan(session, null);
    expect(phase(plan, 'Test').status).toBe('failed');
    expect(phase(plan, 'Deploy')).toMatchObject({ status: 'blocked', reason: 'Test failed' });
  });

  it('marks a build that failed with its phase still open: that phase failed, the rest blocked by it', () => {
    const session = makeSession({ state: 'failed', activity: 'failed', endedAt: '2026-11-20T14:05:00Z' });
    const plan = buildPlan(session, null);
    expect(phase(plan, 'Test').status).toBe('failed');
    expect(phase(plan, 'Screenshot')).toMatchObject({ status: 'blocked', reason: 'Test failed' });
  });

  it('blocks what a failed build never reached even when its failing phase is not known', () => {
    const session = makeSession({
      state: 'failed',
      activity: 'completed',
      endedAt: '2026-11-20T14:05:00Z',
      currentPhase: 'Builder',
      phaseNumber: '3/7',
      phaseIndex: 3,
      phasesCompleted: ['Scout', 'Architect', 'Builder'],
      phases: [],
    });
    const plan = buildPlan(session, null);
    expect(phase(plan, 'Builder').status).toBe('completed');
    expect(phase(plan, 'Test')).toMatchObject({ status: 'blocked', reason: 'build failed' });
  });

  it('marks a phase the build went past without running it as skipped, "not run"', () => {
    const atDocs = makeSession({
      phasesCompleted: ['Scout', 'Architect', 'Builder', 'Test'],
      phases: [],
      currentPhase: 'Documentation',
      phaseNumber: '5/8',
      phaseIndex: 5,
      activity: 'documenting',
    });
    const plan = buildPlan(atDocs, null);
    expect(phase(plan, 'Screenshot')).toMatchObject({ status: 'skipped', reason: 'not run' });
    expect(phase(plan, 'Documentation').status).toBe('running');
    expect(phase(plan, 'Deploy')).toMatchObject({ status: 'queued', reason: null });
  });

  it('does not let a skipped phase stand between a failure and what it blocks', () => {
    const session = makeSession({
      state: 'failed',
      endedAt: '2026-11-20T14:10:00Z',
      currentPhase: 'Documentation',
      phaseNumber: '5/8',
      phaseIndex: 5,
      activity: 'failed',
      phasesCompleted: ['Scout', 'Architect', 'Builder', 'Test'],
      phases: [{ ...span('Screenshot', '4.5/8', 4.5, '2026-11-20T14:00:00Z', null), status: 'skipped' }],
    });
    const plan = buildPlan(session, null);
    expect(phase(plan, 'Screenshot')).toMatchObject({ status: 'skipped', reason: 'not run' });
    expect(phase(plan, 'Documentation').status).toBe('failed');
    expect(phase(plan, 'Deploy')).toMatchObject({ status: 'blocked', reason: 'Documentation failed' });
  });

  it('shows a completed build done, with the optional phases it did not run skipped', () => {
    const session = makeSession({
      state: 'completed',
      activity: 'completed',
      endedAt: '2026-11-20T14:30:00Z',
      currentPhase: 'Feedback',
      phaseNumber: '7/8',
      phaseIndex: 7,
      phasesCompleted: ['Scout', 'Architect', 'Builder', 'Test', 'Screenshot', 'Documentation', 'Deploy'],
      phases: [{ ...span('Feedback', '7/8', 7, '2026-11-20T14:20:00Z', null), status: 'running' }],
    });
    const plan = buildPlan(session, null);
    expect(statuses(plan).slice(-3)).toEqual([
      'Deploy:completed',
      'Feedback:completed',
      'GitHub Integration:skipped',
    ]);
    expect(phase(plan, 'GitHub Integration').reason).toBe('not run');
    expect(plan.some((entry) => entry.status === 'queued' || entry.status === 'running')).toBe(false);
  });

  it('keeps GitHub Integration queued while a build that may still publish runs Feedback', () => {
    const session = makeSession({
      currentPhase: 'Feedback',
      phaseNumber: '7/8',
      phaseIndex: 7,
      activity: 'in-progress',
      phasesCompleted: ['Scout', 'Architect', 'Builder', 'Test', 'Screenshot', 'Documentation', 'Deploy'],
      phases: [],
    });
    expect(statuses(buildPlan(session, null)).slice(-2)).toEqual([
      'Feedback:running',
      'GitHub Integration:queued',
    ]);
  });

  it('places a phase Context Foundry does not know by its number, and one without a number after its predecessor', () => {
    const session = makeSession({
      phases: [
        span('Scout', '1/7', 1, '2026-11-20T13:40:00Z', '2026-11-20T13:44:12Z'),
        span('Architect', '2/7', 2, '2026-11-20T13:44:12Z', '2026-11-20T13:50:00Z'),
        span('Threat Model', null, null, '2026-11-20T13:50:00Z', '2026-11-20T13:52:00Z'),
        span('Builder', '3/7', 3, '2026-11-20T13:52:00Z', '2026-11-20T13:55:00Z'),
        { ...span('Security Review', '3.5/8', 3.5, '2026-11-20T13:55:00Z', null), status: 'running' },
      ],
      phasesCompleted: ['Scout', 'Architect', 'Threat Model', 'Builder'],
      currentPhase: 'Security Review',
      phaseNumber: '3.5/8',
      phaseIndex: 3.5,
    });
    expect(statuses(buildPlan(session, null)).slice(0, 6)).toEqual([
      'Scout:completed',
      'Architect:completed',
      'Threat Model:completed',
      'Builder:completed',
      'Security Review:running',
      'Test:queued',
    ]);
  });

  it('draws a build that is not Context Foundry by its own phases only', () => {
    const ralph = makeSession({
      phases: [span('Planning', null, null, '2026-11-20T13:40:00Z', '2026-11-20T13:45:00Z')],
      phasesCompleted: [],
      currentPhase: 'Iterate',
      phaseNumber: null,
      phaseIndex: null,
    });
    expect(statuses(buildPlan(ralph, null))).toEqual(['Planning:completed', 'Iterate:running']);
  });

  it('shows the whole pipeline queued before the first phase starts', () => {
    const fresh = makeSession({
      phases: [],
      phasesCompleted: [],
      currentPhase: null,
      phaseNumber: null,
      phaseIndex: null,
    });
    const plan = buildPlan(fresh, null);
    expect(plan).toHaveLength(9);
    expect(plan.every((entry) => entry.status === 'queued')).toBe(true);
  });
});

describe('buildPlan: Builder tasks', () => {
  it('nests the tasks under Builder with their own states and dependencies, and nowhere else', () => {
    const tasks = [
      { ...task('task-1', 'completed'), agent: 'builder-1' },
      task('task-2', 'running', ['task-1']),
      task('task-3', 'queued', ['task-1', 'task-2']),
    ];
    const plan = buildPlan(makeSession(), tasks);
    expect(phase(plan, 'Builder').tasks).toEqual([
      {
        id: 'task-1',
        name: 'Build task-1',
        status: 'completed',
        dependsOn: [],
        agent: 'builder-1',
        error: null,
        blockedBy: null,
      },
      {
        id: 'task-2',
        name: 'Build task-2',
        status: 'running',
        dependsOn: ['task-1'],
        agent: null,
        error: null,
        blockedBy: null,
      },
      {
        id: 'task-3',
        name: 'Build task-3',
        status: 'queued',
        dependsOn: ['task-1', 'task-2'],
        agent: null,
        error: null,
        blockedBy: null,
      },
    ]);
    for (const other of plan.filter((entry) => entry.name !== 'Builder')) expect(other.tasks).toEqual([]);
  });

  it('blocks a task whose dependency failed, and says which one', () => {
    const plan = buildPlan(makeSession(), [
      { ...task('task-1', 'failed'), error: 'npm install exited 1' },
      task('task-2', 'queued', ['task-1']),
      task('task-3', 'running'),
    ]);
    expect(phase(plan, 'Builder').tasks.map((entry) => [entry.id, entry.status, entry.blockedBy])).toEqual([
      ['task-1', 'failed', null],
      ['task-2', 'blocked', 'depends on task-1, which failed'],
      ['task-3', 'running', null],
    ]);
    expect(phase(plan, 'Builder').tasks[0]?.error).toBe('npm install exited 1');
  });

  it('blocks tasks transitively, naming the dependency in the way and the failure behind it', () => {
    const planned = planTasks([
      task('task-4', 'queued', ['task-3']),
      task('task-3', 'queued', ['task-2']),
      task('task-2', 'failed', ['task-1']),
      task('task-1', 'completed'),
    ]);
    expect(planned.map((entry) => [entry.id, entry.status, entry.blockedBy])).toEqual([
      ['task-4', 'blocked', 'depends on task-3, which is blocked (task-2 failed)'],
      ['task-3', 'blocked', 'depends on task-2, which failed'],
      ['task-2', 'failed', null],
      ['task-1', 'completed', null],
    ]);
  });

  it('leaves tasks that are done as they are, and follows no dependency through a finished task', () => {
    const planned = planTasks([
      task('task-1', 'failed'),
      task('task-2', 'completed', ['task-1']),
      task('task-3', 'queued', ['task-2']),
      task('task-4', 'skipped', ['task-1']),
    ]);
    expect(planned.map((entry) => entry.status)).toEqual(['failed', 'completed', 'queued', 'skipped']);
  });

  it('survives dependency cycles and unknown ids, and explains a task the file calls blocked', () => {
    const planned = planTasks([
      task('a', 'queued', ['b']),
      task('b', 'queued', ['a']),
      task('c', 'blocked', ['a', 'ghost']),
      task('d', 'queued', ['d', 'e']),
      task('e', 'failed', ['d']),
    ]);
    expect(planned.map((entry) => [entry.id, entry.status, entry.blockedBy])).toEqual([
      ['a', 'queued', null],
      ['b', 'queued', null],
      ['c', 'blocked', 'waits on a, ghost'],
      ['d', 'blocked', 'depends on e, which failed'],
      ['e', 'failed', null],
    ]);
  });

  it('follows a chain of 500 tasks to its failure, each link once', () => {
    const chain = Array.from({ length: 500 }, (_, i) =>
      i === 0
        ? task('t0', 'failed')
        : task(`t${i}`, 'queued', [`t${i - 1}`, ...Array.from({ length: 50 }, () => 'ghost')]),
    );
    const planned = planTasks(chain.reverse());
    expect(planned.filter((entry) => entry.status === 'blocked')).toHaveLength(499);
    expect(planned[0]).toMatchObject({
      id: 't499',
      blockedBy: 'depends on t498, which is blocked (t0 failed)',
    });
  });

  it('keeps Builder as it ran when tasks failed: the phase status is the build’s word', () => {
    const plan = buildPlan(makeSession(), [task('task-1', 'failed')]);
    expect(phase(plan, 'Builder').status).toBe('completed');
  });
});

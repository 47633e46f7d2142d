import { describe, expect, it } from 'vitest';
import { BUILD_PHASES, planBuild } from '../../src/demo/build-plan.js';
import type { PlannedStep } from '../../src/demo/build-plan.js';

const phaseOrder = (steps: readonly PlannedStep[]): string[] =>
  steps.map((step) => step.phase).filter((phase, i, all) => all[i - 1] !== phase);

describe('planBuild', () => {
  it('runs the eight Context Foundry phases in order with the numbers a build writes', () => {
    const plan = planBuild();
    expect(phaseOrder(plan.steps)).toEqual([
      'Scout',
      'Architect',
      'Builder',
      'Test',
      'Screenshot',
      'Documentation',
      'Deploy',
      'Feedback',
    ]);
    for (const step of plan.steps) {
      const phase = BUILD_PHASES.find((candidate) => candidate.name === step.phase);
      expect(step.phaseNumber).toBe(phase?.number);
    }
    expect(plan.steps.find((step) => step.phase === 'Screenshot')?.phaseNumber).toBe('4.5/8');
    expect(plan.project).toBe('weather-app');
  });

  it('adds each phase to phases_completed as it ends and finishes with Feedback completed', () => {
    const plan = planBuild();
    const ends = plan.steps.filter((step) => step.kind === 'end');
    expect(ends.map((step) => step.status)).toEqual(Array(8).fill('completed'));
    ends.forEach((step, i) => {
      expect(step.phasesCompleted).toEqual(BUILD_PHASES.slice(0, i + 1).map((phase) => phase.name));
    });
    const last = plan.steps.at(-1);
    expect(last).toMatchObject({
      phase: 'Feedback',
      phaseNumber: '7/8',
      status: 'completed',
      outcome: 'completed',
    });
    expect(plan.outcome).toBe('completed');
    // Only a phase's end step says "completed": a phase in progress never looks done.
    expect(plan.steps.filter((step) => step.status === 'completed')).toHaveLength(8);
  });

  it('runs a test-fix loop that fails twice, self-heals, and passes on iteration 3', () => {
    const test = planBuild().steps.filter((step) => step.phase === 'Test');
    expect(test.map((step) => step.startsIteration).filter((n) => n !== undefined)).toEqual([1, 2, 3]);
    const runs = test.flatMap((step) => (step.testRun ? [step.testRun] : []));
    expect(runs.map((run) => [run.iteration, run.passed, run.failed])).toEqual([
      [1, 12, 3],
      [2, 14, 1],
      [3, 15, 0],
    ]);
    expect(test.map((step) => step.status)).toEqual([
      'testing',
      'self-healing',
      'self-healing',
      'testing',
      'self-healing',
      'self-healing',
      'testing',
      'completed',
    ]);
    expect(test[0]?.detail).toBe('Running unit tests (iteration 1)');
    expect(test[1]?.detail).toBe('12 passed, 3 failed: fixing 3 failures');
    expect(test.at(-1)?.detail).toBe('15 passed, 0 failed (iteration 3)');
    // The iteration shows from the Test phase on and stays at the last one afterwards.
    const all = planBuild().steps;
    expect(all.filter((step) => step.phase === 'Builder').every((step) => step.testIteration === 0)).toBe(
      true,
    );
    expect(test.map((step) => step.testIteration)).toEqual([1, 1, 1, 2, 2, 2, 3, 3]);
    expect(all.at(-1)?.testIteration).toBe(3);
  });

  it('shows the first update at once, ends Scout within 20 s and the build in about 3 minutes', () => {
    const plan = planBuild();
    expect(plan.steps[0]).toMatchObject({ delayMs: 0, atMs: 0, phase: 'Scout', status: 'researching' });
    const scoutEnd = plan.steps.find((step) => step.phase === 'Scout' && step.kind === 'end');
    expect(scoutEnd?.atMs).toBeLessThanOrEqual(20_000);
    expect(plan.totalMs).toBeGreaterThanOrEqual(150_000);
    expect(plan.totalMs).toBeLessThanOrEqual(210_000);
    // Every step but the first waits, so each one is its own update on screen.
    expect(plan.steps.slice(1).every((step) => step.delayMs > 0)).toBe(true);
    const sum = plan.steps.reduce((total, step) => total + step.delayMs, 0);
    expect(sum).toBe(plan.totalMs);
  });

  it('scales every wait with speed: speed 10 plays the build in about 18 s', () => {
    const slow = planBuild({ speed: 1 });
    const fast = planBuild({ speed: 10 });
    expect(fast.steps).toHaveLength(slow.steps.length);
    expect(fast.totalMs).toBeGreaterThanOrEqual(15_000);
    expect(fast.totalMs).toBeLessThanOrEqual(21_000);
    fast.steps.forEach((step, i) => {
      expect(step.delayMs).toBeCloseTo((slow.steps[i]?.delayMs ?? 0) / 10, -1);
    });
  });

  it('writes most updates atomically and the progress notes in place', () => {
    const steps = planBuild().steps;
    const direct = steps.filter((step) => step.write === 'direct');
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.length).toBeLessThan(steps.length / 2);
    expect(direct.every((step) => step.kind === 'progress')).toBe(true);
    expect(steps.filter((step) => step.kind !== 'progress').every((step) => step.write === 'atomic')).toBe(
      true,
    );
  });

  it('makes the Test phase fail after three iterations when failAt is Test', () => {
    const plan = planBuild({ failAt: 'Test' });
    const last = plan.steps.at(-1);
    expect(plan.outcome).toBe('failed');
    expect(last).toMatchObject({ phase: 'Test', status: 'failed', outcome: 'failed', testIteration: 3 });
    expect(last?.phasesCompleted).toEqual(['Scout', 'Architect', 'Builder']);
    expect(last?.testRun).toMatchObject({ iteration: 3, passed: 14, failed: 1 });
    expect(last?.detail).toBe('Tests still failing after 3 iterations: 14 passed, 1 failed');
    expect(plan.steps.some((step) => step.phase === 'Screenshot')).toBe(false);
  });

  it('fails any phase part-way, matching its name in any case', () => {
    const plan = planBuild({ failAt: 'builder' });
    expect(phaseOrder(plan.steps)).toEqual(['Scout', 'Architect', 'Builder']);
    expect(plan.steps.at(-1)).toMatchObject({ phase: 'Builder', status: 'failed' });
    expect(plan.steps.at(-1)?.phasesCompleted).toEqual(['Scout', 'Architect']);
    expect(plan.steps.filter((step) => step.outcome !== undefined)).toHaveLength(1);
  });

  it('is pure: the same options give the same plan', () => {
    expect(planBuild({ project: 'todo-api', speed: 3 })).toEqual(
      planBuild({ project: 'todo-api', speed: 3 }),
    );
    expect(planBuild({ project: 'todo-api' }).project).toBe('todo-api');
  });

  it('refuses a speed, project or failAt it cannot honour', () => {
    expect(() => planBuild({ speed: 0 })).toThrow(RangeError);
    expect(() => planBuild({ speed: Number.NaN })).toThrow(/speed/);
    expect(() => planBuild({ project: '../escape' })).toThrow(/project/);
    expect(() => planBuild({ project: '' })).toThrow(RangeError);
    expect(() => planBuild({ failAt: 'Lunch' })).toThrow(/Scout, Architect/);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { planBuild, runSimulation } from '../../src/demo/simulate.js';
import type { SimulationOptions, SimulationResult, SimulationStep } from '../../src/demo/simulate.js';

let dir: string;
let stateDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'buildcast-simulate-'));
  stateDir = join(dir, '.context-foundry');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Moves the fake clock in small steps while the simulation writes, until it resolves. */
async function drive(
  clock: FakeClock,
  options: Omit<SimulationOptions, 'dir' | 'clock'>,
  { stepMs = 100, until }: { stepMs?: number; until?: () => boolean } = {},
): Promise<{ result: Promise<SimulationResult>; isDone: () => boolean }> {
  let done = false;
  const result = runSimulation({ dir, clock, ...options });
  result.then(
    () => (done = true),
    () => (done = true),
  );
  // Bounded by wall time, not by turns: a build's file writes take as many turns as the disk needs.
  const deadline = Date.now() + 20_000;
  while (!done && !until?.() && Date.now() < deadline) {
    if (clock.pending > 0) clock.advance(stepMs);
    await tick();
  }
  return { result, isDone: () => done };
}

const readJson = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

describe('runSimulation', () => {
  it('writes the first update at once, before any time passes', async () => {
    const clock = new FakeClock('2026-11-20T14:02:11Z');
    const controller = new AbortController();
    const result = runSimulation({ dir, clock, signal: controller.signal });
    const phaseFile = join(stateDir, 'current-phase.json');
    await vi.waitFor(() => expect(existsSync(phaseFile)).toBe(true));
    expect(await readJson(phaseFile)).toEqual({
      session_id: 'weather-app',
      current_phase: 'Scout',
      phase_number: '1/7',
      status: 'researching',
      progress_detail: 'Reading the task and researching weather APIs',
      test_iteration: 0,
      phases_completed: [],
      started_at: '2026-11-20T14:02:11Z',
      last_updated: '2026-11-20T14:02:11Z',
      timestamps: { phaseStart: '2026-11-20T14:02:11.000Z', lastUpdated: '2026-11-20T14:02:11.000Z' },
    });
    controller.abort();
    expect(await result).toEqual({ steps: 1, completed: false, outcome: 'aborted' });
  });

  it('plays a whole build into a real folder, leaving what a finished Context Foundry build leaves', async () => {
    const clock = new FakeClock('2026-11-20T14:02:11Z');
    const seen: SimulationStep[] = [];
    const snapshots: Array<{ reported: string; onDisk: unknown }> = [];
    const onStep = (step: SimulationStep): void => {
      seen.push(step);
      if (step.file.endsWith('current-phase.json')) {
        // Whatever the write path, the file on disk right after a write is whole and current.
        const onDisk = (JSON.parse(readFileSync(step.file, 'utf8')) as { status: string }).status;
        snapshots.push({ reported: step.status, onDisk });
      }
    };
    const { result } = await drive(clock, { onStep });
    const plan = planBuild();
    expect(await result).toEqual({ steps: plan.steps.length, completed: true, outcome: 'completed' });
    expect(snapshots.map((s) => s.onDisk)).toEqual(snapshots.map((s) => s.reported));

    const phase = await readJson(join(stateDir, 'current-phase.json'));
    expect(phase).toMatchObject({
      session_id: 'weather-app',
      current_phase: 'Feedback',
      phase_number: '7/8',
      status: 'completed',
      test_iteration: 3,
      phases_completed: [
        'Scout',
        'Architect',
        'Builder',
        'Test',
        'Screenshot',
        'Documentation',
        'Deploy',
        'Feedback',
      ],
      started_at: '2026-11-20T14:02:11Z',
    });
    expect(phase.last_updated).toMatch(/^2026-11-20T14:0[45]:\d\dZ$/);

    expect((await readFile(join(stateDir, 'test-iteration-count.txt'), 'utf8')).trim()).toBe('3');
    const expected = [
      [1, 12, 3],
      [2, 14, 1],
      [3, 15, 0],
    ];
    for (const [n, passed, failed] of expected) {
      const md = await readFile(join(stateDir, `test-results-iteration-${n}.md`), 'utf8');
      expect(md).toContain(`\n${passed} passed, ${failed} failed\n`);
      expect(md.split('\n').filter((line) => line.includes('✓'))).toHaveLength(passed ?? -1);
      expect(md.split('\n').filter((line) => line.includes('✗'))).toHaveLength(failed ?? -1);
    }

    const summary = await readJson(join(stateDir, 'session-summary.json'));
    expect(summary).toMatchObject({
      status: 'completed',
      phases_completed: phase.phases_completed,
      tests_passed: true,
      test_iterations: 3,
      test_pass_rate: 100,
      total_tests: 15,
      tests_passing: 15,
      tests_failing: 0,
      completed_at: phase.last_updated,
    });
    expect(summary.duration_minutes).toBeGreaterThanOrEqual(2.5);
    expect(summary.duration_minutes).toBeLessThanOrEqual(3.5);
    expect((summary.files_created as string[]).length).toBeGreaterThan(0);

    // onStep names every file written, side files before the phase update they go with.
    expect(seen[0]?.file).toBe(join(stateDir, 'current-phase.json'));
    expect(seen.at(-1)?.file).toBe(join(stateDir, 'session-summary.json'));
    const results = seen.findIndex((step) => step.file.endsWith('test-results-iteration-1.md'));
    expect(seen[results + 1]).toMatchObject({
      status: 'self-healing',
      file: join(stateDir, 'current-phase.json'),
    });

    // No temp file from the atomic writes is left behind.
    expect((await readdir(stateDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('streams an event log with one numbered line per event', async () => {
    const clock = new FakeClock();
    const { result } = await drive(clock, { project: 'todo-api', speed: 10 }, { stepMs: 20 });
    await result;
    const text = await readFile(join(dir, 'logs', 'events', 'todo-api', 'events.jsonl'), 'utf8');
    const events = text
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; session_id: string; sequence: number; timestamp: string },
      );
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.every((event) => event.session_id === 'todo-api')).toBe(true);
    expect(events.filter((event) => event.type === 'iteration_start')).toHaveLength(3);
    expect(events.filter((event) => event.type === 'iteration_complete')).toHaveLength(3);
    expect(events.at(-1)?.type).toBe('completion');
    expect(events[0]?.timestamp).toBe('2026-11-20T14:00:00Z');
  });

  it('at speed 10 takes about 18 s of clock time', async () => {
    const clock = new FakeClock();
    const { result } = await drive(clock, { speed: 10 }, { stepMs: 10 });
    expect((await result).completed).toBe(true);
    const phase = await readJson(join(stateDir, 'current-phase.json'));
    const took = Date.parse(phase.last_updated as string) - Date.parse(phase.started_at as string);
    expect(took).toBeGreaterThanOrEqual(15_000);
    expect(took).toBeLessThanOrEqual(21_000);
  });

  it('stops promptly on abort and leaves the last update on disk, whole', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let builderDone = false;
    const onStep = (step: SimulationStep): void => {
      if (step.phase === 'Builder' && step.status === 'completed') builderDone = true;
    };
    const { result, isDone } = await drive(
      clock,
      { signal: controller.signal, onStep },
      { until: () => builderDone },
    );
    expect(isDone()).toBe(false);
    controller.abort();
    const outcome = await result;
    expect(outcome).toMatchObject({ completed: false, outcome: 'aborted' });

    const phaseFile = join(stateDir, 'current-phase.json');
    const before = await readFile(phaseFile, 'utf8');
    expect(JSON.parse(before)).toMatchObject({
      current_phase: 'Builder',
      status: 'completed',
      phases_completed: ['Scout', 'Architect', 'Builder'],
    });
    // Nothing more is written however much time passes, and no timer is left behind.
    expect(clock.pending).toBe(0);
    clock.advance(10 * 60_000);
    await tick();
    expect(await readFile(phaseFile, 'utf8')).toBe(before);
    expect(existsSync(join(stateDir, 'session-summary.json'))).toBe(false);
  });

  it('ends with status failed when failAt names the Test phase', async () => {
    const clock = new FakeClock();
    const { result } = await drive(clock, { failAt: 'Test', speed: 10 }, { stepMs: 20 });
    expect(await result).toMatchObject({ completed: false, outcome: 'failed' });
    const phase = await readJson(join(stateDir, 'current-phase.json'));
    expect(phase).toMatchObject({
      current_phase: 'Test',
      phase_number: '4/7',
      status: 'failed',
      test_iteration: 3,
      phases_completed: ['Scout', 'Architect', 'Builder'],
    });
    const third = await readFile(join(stateDir, 'test-results-iteration-3.md'), 'utf8');
    expect(third).toContain('\n14 passed, 1 failed\n');
    expect(existsSync(join(stateDir, 'session-summary.json'))).toBe(false);
  });

  it('clears a finished earlier run so the new one does not start out completed', async () => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, 'session-summary.json'), '{"status":"completed"}');
    await writeFile(join(stateDir, 'test-results-iteration-2.md'), '15 passed, 0 failed\n');
    const clock = new FakeClock();
    const controller = new AbortController();
    const result = runSimulation({ dir, clock, signal: controller.signal });
    await vi.waitFor(() => expect(existsSync(join(stateDir, 'current-phase.json'))).toBe(true));
    controller.abort();
    await result;
    expect(existsSync(join(stateDir, 'session-summary.json'))).toBe(false);
    expect(existsSync(join(stateDir, 'test-results-iteration-2.md'))).toBe(false);
  });

  it('rejects options it cannot honour without writing anything', async () => {
    await expect(runSimulation({ dir, speed: -1 })).rejects.toThrow(RangeError);
    await expect(runSimulation({ dir, failAt: 'Lunch' })).rejects.toThrow(/failAt/);
    expect(existsSync(stateDir)).toBe(false);
  });
});

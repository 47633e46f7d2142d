import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { runSimulation } from '../../src/demo/simulate.js';
import type { SimulationOptions, SimulationResult, SimulationStep } from '../../src/demo/simulate.js';
import { TODO_API } from '../../src/demo/story-todo-api.js';
import { playOn } from './push-recorder.js';

let dir: string;
let stateDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'buildcast-activity-'));
  stateDir = join(dir, '.context-foundry');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Plays a whole build into `dir` on a fake clock. */
function play(options: Omit<SimulationOptions, 'dir' | 'clock'>, start?: string): Promise<SimulationResult> {
  const clock = new FakeClock(start);
  return playOn(clock, runSimulation({ dir, clock, ...options }));
}

const readJson = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

const SPEC_EVENT_TYPES = new Set([
  'phase_change',
  'iteration_start',
  'iteration_complete',
  'task_complete',
  'context_update',
  'log_line',
  'error',
  'completion',
]);

interface EventLine {
  type: string;
  session_id: string;
  timestamp: string;
  sequence: number;
  data: Record<string, unknown>;
}

async function readEvents(project: string): Promise<EventLine[]> {
  const text = await readFile(join(dir, 'logs', 'events', project, 'events.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as EventLine);
}

describe('the events, task list and output of a simulated build', () => {
  it('logs agents, tasks, context and output as Context Foundry events with rising sequences', async () => {
    expect((await play({ speed: 10 }, '2026-11-20T14:02:11Z')).outcome).toBe('completed');
    const events = await readEvents('weather-app');

    expect(events.every((event) => SPEC_EVENT_TYPES.has(event.type))).toBe(true);
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set([...SPEC_EVENT_TYPES].filter((type) => type !== 'error')),
    );
    for (const [i, event] of events.entries()) {
      expect(Object.keys(event).sort()).toEqual(['data', 'sequence', 'session_id', 'timestamp', 'type']);
      expect(event.session_id).toBe('weather-app');
      expect(event.timestamp).toMatch(/^2026-11-20T14:0\d:\d\dZ$/);
      if (i > 0) expect(event.sequence).toBeGreaterThan(events[i - 1]?.sequence ?? Infinity);
    }

    // A reader takes an agent's latest event as its state: every agent event carries all of it.
    const agentEvents = events.filter((event) => typeof event.data['agent_id'] === 'string');
    for (const event of agentEvents) {
      expect(event.data).toMatchObject({
        agent_id: expect.any(String),
        agent_type: expect.any(String),
        agent_name: expect.any(String),
        status: expect.stringMatching(/^(spawning|active|completed|failed)$/),
        phase: expect.any(String),
        progress_percent: expect.any(Number),
        tokens_used: expect.any(Number),
      });
    }
    const statuses = (id: string): unknown[] =>
      agentEvents
        .filter((event) => event.data['agent_id'] === id)
        .map((event) => event.data['status'])
        .filter((status, i, all) => status !== all[i - 1]);
    expect(statuses('builder-1')).toEqual(['spawning', 'active', 'completed']);
    expect(statuses('builder-3')).toEqual(['spawning', 'active', 'failed']);
    expect(statuses('builder-3-retry')).toEqual(['spawning', 'active', 'completed']);
    expect(statuses('tester')).toEqual(['spawning', 'active', 'completed']);

    const taskDone = events.find(
      (event) => event.type === 'task_complete' && event.data['task_id'] === 'task-4',
    );
    expect(taskDone?.data).toMatchObject({
      agent_id: 'builder-2',
      task_name: 'Search bar and forecast cards',
      status: 'completed',
      progress_percent: 100,
    });
    const failure = agentEvents.find((event) => event.data['status'] === 'failed');
    expect(failure?.data).toMatchObject({ agent_id: 'builder-3', task_id: 'task-5', level: 'warn' });
    expect(failure?.data['error_message']).toMatch(/^TypeError/);

    // Output lines keep the colours a terminal would show; the dashboard draws them.
    const lines = events.filter((event) => event.type === 'log_line' && 'stream' in event.data);
    expect(lines.map((event) => event.data['message'])).toContain('\u001b[32m✓\u001b[0m 12 passed');
    expect(lines.map((event) => event.data['message'])).toContain('$ npm install');
    expect(lines.every((event) => event.data['level'] === 'info' || event.data['level'] === 'warn')).toBe(
      true,
    );
    expect(events.some((event) => event.type === 'context_update' && !('agent_id' in event.data))).toBe(true);
  });

  it('writes build-tasks.json at the end of Architect and updates it as the builders work', async () => {
    const snapshots: Array<{ status: string; tasks: Array<Record<string, unknown>> }> = [];
    const onStep = (step: SimulationStep): void => {
      if (!step.file.endsWith('build-tasks.json')) return;
      const body = JSON.parse(readFileSync(step.file, 'utf8')) as { tasks: Array<Record<string, unknown>> };
      snapshots.push({ status: step.status, tasks: body.tasks });
    };
    await play({ speed: 10, onStep });

    const first = snapshots[0];
    expect(first?.status).toBe('planning');
    expect(first?.tasks).toHaveLength(6);
    expect(first?.tasks[0]).toEqual({
      id: 'task-1',
      name: 'Forecast API client',
      status: 'pending',
      depends_on: [],
      agent: 'builder-1',
      files: ['src/api/forecast.ts'],
    });
    expect(first?.tasks[3]).toMatchObject({ id: 'task-4', depends_on: ['task-1', 'task-2'] });
    expect(snapshots.some((s) => s.tasks.filter((task) => task.status === 'running').length === 3)).toBe(
      true,
    );
    const failed = snapshots.find((s) => s.tasks[4]?.status === 'failed');
    expect(failed?.tasks[4]?.['error']).toMatch(/^TypeError/);
    expect(snapshots.at(-1)?.tasks.map((task) => task.status)).toEqual(Array(6).fill('completed'));
    expect(snapshots.at(-1)?.tasks[4]).toMatchObject({ agent: 'builder-3-retry' });
    expect(snapshots.at(-1)?.tasks[4]).not.toHaveProperty('error');
    const onDisk = await readJson(join(stateDir, 'build-tasks.json'));
    expect(onDisk).toEqual({ tasks: snapshots.at(-1)?.tasks });
  });

  it('plays another story: a todo API failing at Deploy, with an error event and a stack trace', async () => {
    const result = await play({ project: 'todo-api', story: TODO_API, failAt: 'Deploy', speed: 10 });
    expect(result).toMatchObject({ outcome: 'failed', completed: false });
    const phase = await readJson(join(stateDir, 'current-phase.json'));
    expect(phase).toMatchObject({ session_id: 'todo-api', current_phase: 'Deploy', status: 'failed' });
    expect(phase.progress_detail).toBe(
      'Deploy failed: health check GET /health returned 503 five times (DATABASE_URL is not set on Fly.io)',
    );
    const events = await readEvents('todo-api');
    expect(events.at(-1)).toMatchObject({ type: 'error', data: { detail: phase.progress_detail } });
    expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
    const messages = events.filter((e) => e.type === 'log_line').map((e) => e.data['message']);
    expect(messages).toContain(
      '\u001b[31mError: health check failed: GET /health returned 503 five times\u001b[0m',
    );
    expect(messages).toContain('  [cause]: Error: DATABASE_URL is not set');
    expect(existsSync(join(stateDir, 'session-summary.json'))).toBe(false);
  });
});

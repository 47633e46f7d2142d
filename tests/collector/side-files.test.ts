import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BUILD_TASKS, parseBuildTasks, parseSessionSummary } from '../../src/collector/side-files.js';
import { orderEvents, parseEventLog } from '../../src/collector/events-file.js';
import { parseTestIterationCount, parseTestResultsFile } from '../../src/collector/test-results.js';
import { MAX_LIST_ENTRIES, TRUNCATED } from '../../src/collector/limits.js';
import type { SessionSummary } from '../../src/collector/side-files.js';
import type { BuildTask } from '../../src/collector/types.js';
import { renderTestResults } from '../../src/demo/build-files.js';
import { runSimulation } from '../../src/demo/simulate.js';
import type { SimulationOptions } from '../../src/demo/simulate.js';
import { testRunFor } from '../../src/demo/test-runs.js';
import { FakeClock } from '../../src/shared/clock.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../fixtures/side-files/${name}`, import.meta.url), 'utf8');

async function summaryOf(name: string): Promise<SessionSummary> {
  const parsed = parseSessionSummary(await fixture(name));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.problem.message}`);
  return parsed.value;
}

async function tasksOf(name: string): Promise<BuildTask[]> {
  const parsed = parseBuildTasks(await fixture(name));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.problem.message}`);
  return parsed.value;
}

describe('parseSessionSummary', () => {
  it('reads camelCase fields under their snake_case names, with counts as numbers', async () => {
    const summary = await summaryOf('summary-camel-case.json');
    expect(summary.completed).toBe(true);
    expect(summary.failed).toBe(false);
    expect(summary.completedAt).toBe(Date.parse('2026-11-20T14:19:40.000Z'));
    expect(summary.sessionId).toBe('weather-app');
    expect(summary.fields).toEqual({
      session_id: 'weather-app',
      status: 'Success',
      phases_completed: ['Scout', 'Architect', 'Builder', 'Test'],
      files_created: 18,
      files_modified: ['src/app.ts'],
      tests_passed: true,
      test_iterations: 2,
      test_pass_rate: 100,
      total_tests: 15,
      tests_passing: 15,
      tests_failing: 0,
      duration_minutes: 17.5,
      github_url: 'https://github.com/example/weather-app',
      pr_number: 42,
      branch: 'main',
      completed_at: '2026-11-20T14:19:40.000Z',
      deployUrl: 'https://weather.example.com',
    });
  });

  it.each<[string, boolean, boolean]>([
    ['summary-failed.json', false, true],
    ['summary-wrapped.json', true, false],
    ['summary-no-status.json', true, false],
    ['summary-in-progress.json', false, false],
  ])('%s: completed %s, failed %s', async (name, completed, failed) => {
    const summary = await summaryOf(name);
    expect({ completed: summary.completed, failed: summary.failed }).toEqual({ completed, failed });
  });

  it.each([
    ['complete', true, false],
    ['COMPLETED', true, false],
    ['Done', true, false],
    ['success', true, false],
    ['error', false, true],
    ['failed', false, true],
    ['completed_with_errors', false, true],
    ['incomplete', false, false],
    ['running', false, false],
  ])('status %j: completed %s, failed %s', (status, completed, failed) => {
    const parsed = parseSessionSummary(JSON.stringify({ status }));
    expect(parsed).toMatchObject({ ok: true, value: { completed, failed } });
  });

  it('keeps a long list of created files short', () => {
    const files = Array.from({ length: 5000 }, (_, i) => `src/file-${i}.ts`);
    const parsed = parseSessionSummary(JSON.stringify({ status: 'completed', files_created: files }));
    const kept = parsed.ok ? (parsed.value.fields.files_created as string[]) : [];
    expect(kept).toHaveLength(MAX_LIST_ENTRIES + 1);
    expect(kept.at(-1)).toBe(`${TRUNCATED} 4000 more entries`);
  });

  it.each([
    ['', 'empty'],
    ['{"status": "comp', 'invalid-json'],
    ['[]', 'not-object'],
    ['{"unrelated": true}', 'invalid-fields'],
  ])('refuses %j', (text, code) => {
    expect(parseSessionSummary(text)).toMatchObject({ ok: false, problem: { code } });
  });
});

describe('parseBuildTasks', () => {
  it('reads every field spelling and normalizes status words', async () => {
    expect(await tasksOf('build-tasks-object.json')).toEqual([
      {
        id: 'task-1',
        name: 'Project setup',
        status: 'completed',
        dependsOn: [],
        files: ['package.json', 'vite.config.ts'],
        agent: 'builder-1',
        error: null,
      },
      {
        id: 'task-2',
        name: 'Forecast API client',
        status: 'running',
        dependsOn: ['task-1'],
        files: ['src/api/forecast.ts'],
        agent: 'builder-2',
        error: null,
      },
      {
        id: 'task-3',
        name: 'Search bar and forecast cards',
        status: 'queued',
        dependsOn: ['task-1', 'task-2'],
        files: [],
        agent: null,
        error: null,
      },
      {
        id: '4',
        name: 'Caching',
        status: 'failed',
        dependsOn: ['2'],
        files: [],
        agent: null,
        error: 'npm run build failed',
      },
      {
        id: 'task-5',
        name: 'Unit settings',
        status: 'queued',
        dependsOn: [],
        files: [],
        agent: null,
        error: null,
      },
      {
        id: 'task-6',
        name: 'Docs',
        status: 'blocked',
        dependsOn: ['task-4'],
        files: [],
        agent: null,
        error: null,
      },
      {
        id: 'task-7',
        name: 'not a task object but a name',
        status: 'queued',
        dependsOn: [],
        files: [],
        agent: null,
        error: null,
      },
    ]);
  });

  it('reads a bare array, keeping a repeated id once with its last content', async () => {
    const tasks = await tasksOf('build-tasks-array.json');
    expect(tasks.map(({ id, name, status, error }) => ({ id, name, status, error }))).toEqual([
      { id: 'a', name: 'Setup (retried)', status: 'failed', error: 'disk full' },
      { id: 'b', name: 'API', status: 'running', error: null },
    ]);
  });

  it('reads tasks keyed by id', async () => {
    const tasks = await tasksOf('build-tasks-keyed.json');
    expect(tasks.map(({ id, status, dependsOn }) => ({ id, status, dependsOn }))).toEqual([
      { id: 'setup', status: 'completed', dependsOn: [] },
      { id: 'api', status: 'running', dependsOn: ['setup'] },
    ]);
  });

  it(`reads at most ${MAX_BUILD_TASKS} tasks`, () => {
    const tasks = Array.from({ length: 2000 }, (_, i) => ({ id: `t${i}`, status: 'pending' }));
    const parsed = parseBuildTasks(JSON.stringify({ tasks }));
    expect(parsed.ok && parsed.value.length).toBe(MAX_BUILD_TASKS);
  });

  it.each([
    ['', 'empty'],
    ['{"tasks": [', 'invalid-json'],
    ['{"project": "x"}', 'invalid-fields'],
    ['"tasks"', 'invalid-fields'],
    ['\u0000\u0001binary', 'invalid-json'],
  ])('refuses %j', (text, code) => {
    expect(parseBuildTasks(text)).toMatchObject({ ok: false, problem: { code } });
  });
});

describe('the files the simulator writes', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'buildcast-side-files-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Plays a whole simulated build into `dir`, moving the fake clock as it waits. */
  async function simulate(options: Omit<SimulationOptions, 'dir' | 'clock'>): Promise<void> {
    const clock = new FakeClock('2026-11-20T14:02:11Z');
    let done = false;
    const result = runSimulation({ dir, clock, speed: 50, ...options }).finally(() => (done = true));
    // Writes take a varying number of turns of the event loop, so wait for the end, not a count.
    while (!done) {
      if (clock.pending > 0) clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await result;
  }

  const read = (...parts: string[]): Promise<string> => readFile(join(dir, ...parts), 'utf8');

  it('reads a whole completed build: iterations, test results, summary and events', async () => {
    await simulate({});
    const stateDir = join(dir, '.context-foundry');
    expect(parseTestIterationCount(await read('.context-foundry', 'test-iteration-count.txt'))).toEqual({
      ok: true,
      value: 3,
    });

    const resultFiles = (await readdir(stateDir)).filter((name) => name.startsWith('test-results-')).sort();
    expect(resultFiles).toEqual([1, 2, 3].map((n) => `test-results-iteration-${n}.md`));
    for (const [index, name] of resultFiles.entries()) {
      const run = testRunFor(index + 1);
      expect(parseTestResultsFile(name, await read('.context-foundry', name))).toEqual({
        ok: true,
        value: {
          iteration: index + 1,
          passed: run.passed,
          failed: run.failed,
          failing: run.results.filter((result) => !result.ok).map((result) => result.name),
        },
      });
    }

    const summary = parseSessionSummary(await read('.context-foundry', 'session-summary.json'));
    expect(summary).toMatchObject({
      ok: true,
      value: {
        completed: true,
        failed: false,
        fields: { status: 'completed', test_iterations: 3, tests_passing: 15, tests_failing: 0 },
      },
    });

    const log = parseEventLog(await read('logs', 'events', 'weather-app', 'events.jsonl'));
    expect(log.problems).toEqual([]);
    expect(log.rest).toBe('');
    expect(orderEvents(log.events)).toEqual(log.events);
    expect(log.events.map((event) => event.sequence)).toEqual(log.events.map((_, i) => i + 1));
    expect(log.events.every((event) => event.sessionId === 'weather-app' && event.at !== null)).toBe(true);
    const texts = log.events.map((event) => event.text);
    expect(texts).toContain('iteration 1 complete: 12 passed, 3 failed');
    expect(texts).toContain('iteration 2 complete: 14 passed, 1 failed');
    expect(texts).toContain('iteration 3 complete: 15 passed, 0 failed');
    expect(texts[0]).toBe(
      'phase_change: Scout (researching) — Reading the task and researching weather APIs',
    );
    expect(log.events.at(-1)).toMatchObject({
      type: 'completion',
      level: 'info',
      text: 'completion: completed — Build complete: feedback written, ready to ship',
    });
    expect(log.events.filter((event) => event.level === 'error')).toEqual([]);
  });

  it('reads a build whose tests never pass: the failing test in every iteration, and an error event', async () => {
    await simulate({ failAt: 'Test', project: 'stuck-app' });
    const failing: string[][] = [];
    for (const n of [1, 2, 3]) {
      const name = `test-results-iteration-${n}.md`;
      const parsed = parseTestResultsFile(name, await read('.context-foundry', name));
      if (!parsed.ok) throw new Error(parsed.problem.message);
      failing.push(parsed.value.failing);
    }
    const timeZone = "parseForecast keeps the city's time zone";
    expect(failing.every((names) => names.includes(timeZone))).toBe(true);

    const log = parseEventLog(await read('logs', 'events', 'stuck-app', 'events.jsonl'));
    const errors = log.events.filter((event) => event.level === 'error');
    expect(errors.map((event) => event.text)).toEqual([
      'error: Tests still failing after 3 iterations: 14 passed, 1 failed',
    ]);
  });

  it('reads the results the simulator renders for each iteration, including the reasons it strips', () => {
    for (const n of [1, 2, 3]) {
      const run = testRunFor(n, true);
      const text = renderTestResults('weather-app', run, '2026-11-20T14:10:00Z');
      expect(parseTestResultsFile(`test-results-iteration-${n}.md`, text)).toMatchObject({
        ok: true,
        value: { passed: run.passed, failed: run.failed },
      });
    }
  });
});

describe('side files: hostile content', () => {
  it('keeps summary fields named like Object.prototype members as plain fields', () => {
    const parsed = parseSessionSummary('{"status": "completed", "constructor": 1, "__proto__": {"x": 1}}');
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(Object.getPrototypeOf(parsed.value.fields)).toBe(Object.prototype);
    expect(Object.keys(parsed.value.fields)).toEqual(['status', 'constructor', '__proto__']);
    expect(parsed.value.completed).toBe(true);
  });

  it('drops a count beyond 2^53 rather than show it', () => {
    const parsed = parseSessionSummary(JSON.stringify({ status: 'completed', tests_passing: 2 ** 60 }));
    expect(parsed.ok && parsed.value.fields['tests_passing']).toBeNull();
  });

  it('reads a task status such as "constructor" as queued', () => {
    const parsed = parseBuildTasks(
      JSON.stringify([
        { id: 'a', status: 'constructor' },
        { id: 'b', status: 'done' },
      ]),
    );
    expect(parsed.ok && parsed.value.map((task) => task.status)).toEqual(['queued', 'completed']);
  });

  it('refuses a tasks file nested 10,000 levels deep', () => {
    expect(parseBuildTasks(`[${'['.repeat(10_000)}${']'.repeat(10_000)}]`)).toMatchObject({
      ok: false,
      problem: { code: 'too-deep' },
    });
  });

  it(`reads at most ${MAX_BUILD_TASKS} tasks keyed by id, and each task's dependencies once`, () => {
    const tasks = Object.fromEntries(
      Array.from({ length: 1_000 }, (_, i) => [
        `t${i}`,
        { dependencies: Array.from({ length: 500 }, () => 't0') },
      ]),
    );
    const parsed = parseBuildTasks(JSON.stringify({ tasks }));
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(parsed.value).toHaveLength(MAX_BUILD_TASKS);
    expect(parsed.value[1]?.dependsOn).toEqual(['t0']);
  });
});

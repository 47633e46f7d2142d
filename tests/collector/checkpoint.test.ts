import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LIST_ENTRIES, TRUNCATED } from '../../src/collector/limits.js';
import {
  parseCheckpoint,
  parseCheckpointFolderName,
  type CheckpointInput,
} from '../../src/collector/checkpoint.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/checkpoints/', import.meta.url));

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Reads a fixture folder the way the collector's disk side does. */
async function readFolder(name: string): Promise<CheckpointInput> {
  const folder = path.join(FIXTURES, name);
  const complete = await access(path.join(folder, 'COMPLETE')).then(
    () => true,
    () => false,
  );
  return {
    folderName: name,
    stateText: await readOptional(path.join(folder, 'state.json')),
    progressText: await readOptional(path.join(folder, 'progress.json')),
    complete,
  };
}

async function parseFolder(name: string) {
  const result = parseCheckpoint(await readFolder(name));
  if (!result.ok) throw new Error(`${name}: ${result.problem.message}`);
  return result.value;
}

describe('parseCheckpoint', () => {
  it('reads a running checkpoint: task, iterations, progress and failed attempts', async () => {
    const { record, complete, dataTime, warnings } = await parseFolder('weather-app_20261120_140211');
    expect(complete).toBe(false);
    expect(warnings).toEqual([]);
    expect(dataTime).toBe('2026-11-20T14:40:55.901Z');
    expect(record).toMatchObject({
      project: 'weather-app',
      currentPhase: 'implementing',
      status: 'in-progress',
      progressDetail: 'Build a weather dashboard with a 5-day forecast',
      testIteration: 4,
      phasesCompleted: [],
      startedAt: '2026-11-20T14:02:11.482Z',
      lastUpdated: '2026-11-20T14:40:55.901Z',
      completionPercent: 40,
      isComplete: false,
      phaseNumber: null,
    });
    expect(record.extra).toMatchObject({
      session_id: 'ralph-7f3c2a',
      last_phase: 'testing',
      completed_tasks: ['scaffold project', 'fetch forecast API'],
      artifacts: { 'src/api/forecast.ts': 'created' },
      failed_attempts: [
        {
          iteration: 3,
          error: "TypeError: Cannot read properties of undefined (reading 'temp')",
          time: '2026-11-20T14:31:02.117201',
        },
      ],
      'progress.json': { remaining: ['render chart', 'add tests', 'write README'] },
    });
    for (const mapped of ['project_name', 'task_description', 'start_time', 'iterations', 'current_phase']) {
      expect(record.extra).not.toHaveProperty(mapped);
    }
  });

  it('reads a checkpoint with its COMPLETE flag as completed', async () => {
    const { record, complete, dataTime } = await parseFolder('todo-api_20261119_090000');
    expect(complete).toBe(true);
    expect(dataTime).toBe('2026-11-19T10:12:44.000Z');
    expect(record).toMatchObject({
      project: 'todo-api',
      status: 'completed',
      isComplete: true,
      completionPercent: 100,
      testIteration: 9,
      currentPhase: 'documenting',
      startedAt: '2026-11-19T09:00:00.000Z',
    });
  });

  it('reports a half-written state.json as a problem naming the file', async () => {
    const result = parseCheckpoint(await readFolder('broken-state_20261118_120000'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe('invalid-json');
    expect(result.problem.message).toMatch(/^state\.json: invalid JSON: /);
  });

  it('reads a checkpoint without progress.json, falling back to the folder name', async () => {
    const { record, dataTime, warnings } = await parseFolder('my_cli_tool_20261117_080000');
    expect(record).toMatchObject({
      project: 'my_cli_tool',
      startedAt: '2026-11-17T08:00:00.000Z',
      currentPhase: 'planning',
      testIteration: 2,
      progressDetail: null,
      completionPercent: null,
      lastUpdated: null,
      status: 'in-progress',
    });
    expect(dataTime).toBe('2026-11-17T08:00:00.000Z');
    expect(record.extra).toMatchObject({ last_iteration_time: 'not a time' });
    expect(warnings).toEqual(['state.json: could not read last_iteration_time "not a time"']);
  });

  it('reports a missing state.json but shrugs off a broken progress.json', () => {
    const missing = parseCheckpoint({
      folderName: 'x_20261120_140211',
      stateText: null,
      progressText: '{}',
      complete: false,
    });
    expect(!missing.ok && missing.problem).toEqual({
      code: 'unreadable',
      message: 'state.json: missing or unreadable',
    });

    const result = parseCheckpoint({
      folderName: 'x_20261120_140211',
      stateText: '\uFEFF{"iterations": "3"}',
      progressText: '{"completed": ["a"], "remai',
      complete: false,
    });
    expect(result.ok && result.value.record).toMatchObject({
      project: 'x',
      testIteration: 3,
      completionPercent: null,
    });
    expect(result.ok && result.value.warnings[0]).toMatch(/^progress\.json: invalid JSON: /);
  });

  it('uses the last note when there is no task description', () => {
    const result = parseCheckpoint({
      folderName: 'notes_20261120_140211',
      stateText: '{"project_name": "notes"}',
      progressText: JSON.stringify({
        completed: ['a'],
        remaining: ['b', 'c'],
        notes: ['first', 'second', 7],
      }),
      complete: false,
    });
    expect(result.ok && result.value.record).toMatchObject({
      progressDetail: 'second',
      completionPercent: 33,
    });
  });

  it.each([
    ['[]', 'not-object'],
    ['', 'empty'],
  ])('refuses state.json %j', (stateText, code) => {
    const result = parseCheckpoint({ folderName: 'x', stateText, progressText: null, complete: false });
    expect(!result.ok && result.problem.code).toBe(code);
  });
});

describe('parseCheckpointFolderName', () => {
  it.each([
    ['weather-app_20261120_140211', { project: 'weather-app', startedAt: '2026-11-20T14:02:11.000Z' }],
    ['my_cli_tool_20261117_080000', { project: 'my_cli_tool', startedAt: '2026-11-17T08:00:00.000Z' }],
    ['weather-app_20261320_140211', null],
    ['weather-app_20261120_246000', null],
    ['_20261120_140211', null],
    ['weather-app', null],
    ['weather-app_2026112_140211', null],
  ])('%j → %j', (name, expected) => {
    expect(parseCheckpointFolderName(name)).toEqual(expected);
  });
});

describe('parseCheckpoint: hostile state files', () => {
  const parse = (state: Record<string, unknown>, progress: unknown = null) => {
    const result = parseCheckpoint({
      folderName: 'hostile_20261120_140211',
      stateText: JSON.stringify(state),
      progressText: progress === null ? null : JSON.stringify(progress),
      complete: false,
    });
    if (!result.ok) throw new Error(result.problem.message);
    return result.value;
  };

  it('refuses an iteration count beyond 2^53 and shows why on the record', () => {
    const { record } = parse({ project_name: 'hostile', iterations: 2 ** 60 });
    expect(record.testIteration).toBeNull();
    expect(record.warnings).toEqual([`state.json: could not read iterations ${2 ** 60}`]);
  });

  it('keeps the first failed attempts of a runaway list, and its last note from the end', () => {
    const attempts = Array.from({ length: 50_000 }, (_, i) => ({ iteration: i, error: 'boom' }));
    const notes = [...Array.from({ length: 50_000 }, () => ''), 'last words'];
    const { record } = parse({ project_name: 'hostile', failed_attempts: attempts }, { notes });
    const kept = record.extra['failed_attempts'] as unknown[];
    expect(kept).toHaveLength(MAX_LIST_ENTRIES + 1);
    expect(kept.at(-1)).toBe(`${TRUNCATED} ${50_000 - MAX_LIST_ENTRIES} more entries`);
    expect(record.progressDetail).toBe('last words');
  });

  it('refuses a state.json nested 10,000 levels deep', () => {
    const result = parseCheckpoint({
      folderName: 'hostile_20261120_140211',
      stateText: `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      progressText: null,
      complete: false,
    });
    expect(result).toMatchObject({ ok: false, problem: { code: 'too-deep' } });
  });
});

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { demoClaudeDir, prepareDemoTranscripts, runDemo } from '../../src/demo/demo.js';
import type { SimulationStep } from '../../src/demo/simulate.js';
import { transcriptFolder } from '../../src/demo/transcripts.js';
import { playOn, startRecorder } from './push-recorder.js';
import type { Recorder } from './push-recorder.js';

let root: string;
let recorder: Recorder | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'buildcast-demo-'));
});

afterEach(async () => {
  await recorder?.close();
  recorder = undefined;
  await rm(root, { recursive: true, force: true });
});

const readJson = async (...parts: string[]): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(join(root, ...parts), 'utf8')) as Record<string, unknown>;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('runDemo', () => {
  it('runs two builds at once: the weather app completes, the todo API fails at Deploy', async () => {
    recorder = await startRecorder();
    const clock = new FakeClock('2026-11-20T14:02:11Z');
    const steps: SimulationStep[] = [];
    const result = await playOn(
      clock,
      runDemo({ root, speed: 10, clock, push: { url: recorder.url }, onStep: (step) => steps.push(step) }),
    );

    expect(result.builds.map((build) => [build.project, build.dir, build.result.outcome])).toEqual([
      ['weather-app', join(root, 'weather-app'), 'completed'],
      ['todo-api', join(root, 'todo-api'), 'failed'],
    ]);
    expect(result.builds.map((build) => build.result.pushes?.failed)).toEqual([0, 0]);

    const weather = await readJson('weather-app', '.context-foundry', 'current-phase.json');
    const todo = await readJson('todo-api', '.context-foundry', 'current-phase.json');
    expect(weather).toMatchObject({
      session_id: 'weather-app',
      current_phase: 'Feedback',
      status: 'completed',
    });
    expect(todo).toMatchObject({
      session_id: 'todo-api',
      current_phase: 'Deploy',
      phase_number: '6/8',
      status: 'failed',
      progress_detail:
        'Deploy failed: health check GET /health returned 503 five times (DATABASE_URL is not set on Fly.io)',
    });
    // The second build starts 20 s later at speed 1 (2 s at speed 10) and fails before the first ends.
    const started = (phase: Record<string, unknown>): number => Date.parse(String(phase.started_at));
    expect(started(todo) - started(weather)).toBe(2_000);
    expect(Date.parse(String(todo.last_updated))).toBeLessThan(Date.parse(String(weather.last_updated)));
    expect(existsSync(join(root, 'todo-api', '.context-foundry', 'session-summary.json'))).toBe(false);
    expect(existsSync(join(root, 'todo-api', '.context-foundry', 'build-tasks.json'))).toBe(true);

    const events = (
      await readFile(join(root, 'todo-api', 'logs', 'events', 'todo-api', 'events.jsonl'), 'utf8')
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
    expect(events.filter((event) => event.type === 'error').map((event) => event.data['detail'])).toEqual([
      todo.progress_detail,
    ]);

    const paths = new Set(recorder.requests.map((request) => request.path));
    expect([...paths].sort()).toEqual([
      '/api/agent-update',
      '/api/broadcast/todo-api',
      '/api/broadcast/weather-app',
    ]);
    const sessions = recorder.requests
      .filter((request) => request.path === '/api/agent-update')
      .map((request) => (JSON.parse(request.body) as { session_id: string }).session_id);
    expect(new Set(sessions)).toEqual(new Set(['weather-app', 'todo-api']));
    const todoLines = recorder.requests
      .filter((request) => request.path === '/api/broadcast/todo-api')
      .map((request) => request.body);
    expect(todoLines).toContain('    at waitForHealthy (scripts/check-health.mjs:48:11)');
    expect(todoLines.at(-1)).toContain('\u001b[31m✗ Deploy failed');

    expect(new Set(steps.map((step) => step.project))).toEqual(new Set(['weather-app', 'todo-api']));
    expect(steps.filter((step) => step.project === 'todo-api').at(-1)).toMatchObject({
      phase: 'Deploy',
      status: 'failed',
    });
  });

  it("writes both builds' Claude Code transcripts into its own folder, clearing what an earlier demo left", async () => {
    const claudeDir = demoClaudeDir(root);
    const stale = join(transcriptFolder(claudeDir, join(root, 'todo-api')), 'earlier-run.jsonl');
    const foreign = join(claudeDir, 'projects', '-home-dev-other-app', 'kept.jsonl');
    for (const file of [stale, foreign]) {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, '{"type":"summary"}\n');
    }
    expect(await prepareDemoTranscripts(root)).toBe(claudeDir);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(foreign)).toBe(true);

    const clock = new FakeClock('2026-11-20T14:02:11Z');
    const result = await playOn(clock, runDemo({ root, speed: 10, clock }));
    for (const build of result.builds) {
      const sessionId = build.result.claudeSessionId;
      expect(sessionId, build.project).toMatch(/^[0-9a-f-]{36}$/);
      const main = join(transcriptFolder(claudeDir, build.dir), `${sessionId}.jsonl`);
      const lines = (await readFile(main, 'utf8')).trim().split('\n');
      expect(lines.length, build.project).toBeGreaterThan(20);
    }
    expect(new Set(result.builds.map((build) => build.result.claudeSessionId)).size).toBe(2);
  });

  it('stops both builds promptly when aborted, leaving no timer behind', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const demo = runDemo({ root, clock, signal: controller.signal });
    // Forty seconds in: the weather app is in Architect, the todo API has started.
    const end = clock.now() + 40_000;
    while (clock.now() < end) {
      if (clock.pending > 0) clock.advance(100);
      await tick();
    }
    controller.abort();
    const result = await demo;
    expect(result.builds.map((build) => build.result.outcome)).toEqual(['aborted', 'aborted']);
    expect(result.builds.every((build) => build.result.steps > 0)).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('does not start the second build when aborted before it is due', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const demo = runDemo({ root, clock, signal: controller.signal, project: 'todo-api' });
    await tick();
    controller.abort();
    const result = await demo;
    // A main build named like the second one pushes the second aside rather than sharing its folder.
    expect(result.builds.map((build) => build.project)).toEqual(['todo-api', 'todo-api-2']);
    expect(result.builds[1]?.result).toEqual({ steps: 0, completed: false, outcome: 'aborted' });
    expect(existsSync(join(root, 'todo-api-2'))).toBe(false);
  });

  it('refuses options it cannot honour before writing anything', async () => {
    await expect(runDemo({ root, speed: 0 })).rejects.toThrow(RangeError);
    await expect(runDemo({ root, project: '../escape' })).rejects.toThrow(/project/);
    expect(existsSync(join(root, 'weather-app'))).toBe(false);
  });
});

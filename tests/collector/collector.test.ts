/**
 * The collector over real folders and the real watcher; the debounce runs on a fake clock so the
 * test decides when the window closes.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { Collector } from '../../src/collector/collector.js';
import type { PhaseObservation, SourceFault } from '../../src/collector/types.js';
import { eventually, phase, removeDir, sleep, tempDir, writePhaseFile } from '../helpers/server.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/checkpoints');

describe('collector', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function collect(options: { roots?: string[]; checkpoints?: string[]; clock?: FakeClock } = {}) {
    const observations: PhaseObservation[] = [];
    const faults: SourceFault[] = [];
    const problems = new Map<string, string>();
    const collector = new Collector({
      roots: options.roots ?? [],
      checkpoints: options.checkpoints ?? [],
      clock: options.clock ?? new FakeClock(),
      debounceMs: 100,
      sink: {
        observe: (o) => observations.push(o),
        fault: (f) => faults.push(f),
        problem: (where, reason) => problems.set(where, reason),
        resolved: (where) => problems.delete(where),
      },
    });
    cleanup.push(() => collector.close());
    await collector.start();
    return { collector, observations, faults, problems };
  }

  it('collapses a burst of writes within the debounce window into one read of the last content', async () => {
    const root = tempDir();
    cleanup.push(() => removeDir(root));
    const clock = new FakeClock();
    const workdir = path.join(root, 'weather');
    mkdirSync(path.join(workdir, '.context-foundry'), { recursive: true });
    const { collector, observations } = await collect({ roots: [root], clock });

    for (let i = 1; i <= 5; i++) {
      writePhaseFile(workdir, phase({ progress_detail: `write ${i}` }));
      await sleep(30);
    }
    await eventually(() => clock.pending > 0);
    await sleep(100);
    clock.advance(99);
    await collector.settle();
    expect(observations).toHaveLength(0);
    clock.advance(1);
    await collector.settle();
    expect(observations).toHaveLength(1);
    expect(observations[0]!.record.progressDetail).toBe('write 5');
    expect(observations[0]).toMatchObject({
      source: 'live',
      workdir,
      file: path.join(workdir, '.context-foundry', 'current-phase.json'),
    });
  });

  it('reads existing phase files on start, skipping heavy folders', async () => {
    const root = tempDir();
    cleanup.push(() => removeDir(root));
    writePhaseFile(path.join(root, 'a'), phase({ session_id: 'a' }));
    writePhaseFile(path.join(root, 'deep', 'er', 'b'), phase({ session_id: 'b' }));
    writePhaseFile(path.join(root, 'node_modules', 'pkg'), phase({ session_id: 'hidden' }));
    writePhaseFile(path.join(root, 'a', '.git', 'x'), phase({ session_id: 'hidden-too' }));
    const clock = new FakeClock();
    const { collector, observations } = await collect({ roots: [root], clock });
    clock.advance(100);
    await collector.settle();
    expect(observations.map((o) => o.record.project).sort()).toEqual(['a', 'b']);
  });

  it('reports a broken file as a fault after one retry, naming the file and the reason', async () => {
    const root = tempDir();
    cleanup.push(() => removeDir(root));
    const file = writePhaseFile(path.join(root, 'w'), '{"session_id": "w", "current_');
    const clock = new FakeClock();
    const { collector, observations, faults } = await collect({ roots: [root], clock });
    clock.advance(100);
    await collector.settle();
    expect(faults).toHaveLength(0);
    clock.advance(100);
    await collector.settle();
    expect(observations).toHaveLength(0);
    expect(faults).toEqual([expect.objectContaining({ file, reason: expect.stringMatching(/JSON/) })]);
  });

  it('is not trapped by a symbolic link loop and goes on watching', async () => {
    const root = tempDir();
    cleanup.push(() => removeDir(root));
    mkdirSync(path.join(root, 'loop'), { recursive: true });
    symlinkSync(root, path.join(root, 'loop', 'back'));
    symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling'));
    const clock = new FakeClock();
    const { collector, observations } = await collect({ roots: [root], clock });
    writePhaseFile(path.join(root, 'loop', 'w'), phase());
    await eventually(() => clock.pending > 0);
    clock.advance(100);
    await collector.settle();
    expect(observations).toHaveLength(1);
  });

  it('turns checkpoint folders into checkpoint observations, with COMPLETE marking the run done', async () => {
    const root = tempDir();
    cleanup.push(() => removeDir(root));
    cpSync(fixtures, path.join(root, 'ralph'), { recursive: true });
    const clock = new FakeClock('2026-11-21T00:00:00Z');
    const { collector, observations, faults } = await collect({ checkpoints: [root], clock });
    clock.advance(100);
    await collector.settle();
    const byProject = new Map(observations.map((o) => [o.record.project, o]));
    expect(byProject.get('todo-api')).toMatchObject({ source: 'checkpoint', complete: true });
    expect(byProject.get('weather-app')).toMatchObject({ source: 'checkpoint', complete: false });
    expect(faults.map((f) => path.basename(path.dirname(f.file)))).toEqual(['broken-state_20261118_120000']);

    writeFileSync(path.join(root, 'ralph', 'weather-app_20261120_140211', 'COMPLETE'), '');
    await eventually(() => clock.pending > 0);
    clock.advance(100);
    await collector.settle();
    expect(observations.at(-1)).toMatchObject({
      complete: true,
      record: expect.objectContaining({ project: 'weather-app' }),
    });
  });

  it('skips six FIFOs named current-phase.json as problems and still reads a good phase file', async () => {
    const root = tempDir();
    cleanup.push(() => removeDir(root));
    const fifos = Array.from({ length: 6 }, (_, i) => {
      const folder = path.join(root, `stuck-${i}`, '.context-foundry');
      mkdirSync(folder, { recursive: true });
      const fifo = path.join(folder, 'current-phase.json');
      execFileSync('mkfifo', [fifo]);
      return fifo;
    });
    const clock = new FakeClock();
    const { collector, observations, faults, problems } = await collect({ roots: [root], clock });
    writePhaseFile(path.join(root, 'good'), phase({ session_id: 'good', progress_detail: 'read me' }));
    await eventually(async () => {
      clock.advance(100);
      await collector.settle();
      return observations.length > 0;
    });
    expect(observations.map((o) => o.record.progressDetail)).toEqual(['read me']);
    expect(faults).toEqual([]);
    expect([...problems.keys()].sort()).toEqual(fifos.sort());
    expect(problems.get(fifos[0]!)).toMatch(/FIFO/);
  });

  it('reads the builds of a root that was removed and made again', async () => {
    const base = tempDir();
    cleanup.push(() => removeDir(base));
    const root = path.join(base, 'builds');
    writePhaseFile(path.join(root, 'first'), phase({ session_id: 'first' }));
    const clock = new FakeClock();
    const { collector, observations, problems } = await collect({ roots: [root], clock });
    await collector.flushPending();
    expect(observations.map((o) => o.record.project)).toEqual(['first']);

    rmSync(root, { recursive: true });
    await eventually(() => problems.has(root));
    writePhaseFile(path.join(root, 'second'), phase({ session_id: 'second' }));
    await eventually(async () => {
      clock.advance(1_000);
      await collector.settle();
      return observations.some((o) => o.record.project === 'second');
    });
    expect(problems.size).toBe(0);
  });
});

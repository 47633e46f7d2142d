/**
 * The transcript tailer over real folders and files and the real watcher; the debounce runs on a
 * fake clock, so each test decides when a live read happens.
 */
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { BackfillProgress } from '../../src/shared/protocol.js';
import {
  TranscriptTailer,
  type FileOffset,
  type OffsetStore,
} from '../../src/collector/transcript-tailer.js';
import type { TokenSample } from '../../src/collector/types.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/transcripts/session.jsonl');

/** An assistant line for request `n`, newline included. */
function line(n: number, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({
    type: 'assistant',
    cwd: '/home/dev/weather-app',
    sessionId: 'sess-1',
    isSidechain: false,
    requestId: `req_${n}`,
    timestamp: new Date(Date.parse('2026-11-20T14:00:00Z') + n * 1000).toISOString(),
    message: {
      id: `msg_${n}`,
      model: 'claude-opus-4-1-20250805',
      content: [{ type: 'text', text: `Answer ${n}: ${'é'.repeat(n % 7)}` }],
      usage: {
        input_tokens: n,
        output_tokens: 10 * n,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    },
    ...extra,
  })}\n`;
}

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => line(from + i)).join('');

class MapOffsets implements OffsetStore {
  readonly values = new Map<string, FileOffset>();
  readonly history: Array<{ file: string; offset: number }> = [];
  get(file: string): FileOffset | null {
    return this.values.get(file) ?? null;
  }
  set(file: string, value: FileOffset): void {
    this.values.set(file, value);
    this.history.push({ file, offset: value.offset });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('transcript tailer', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** A transcripts folder with one project folder; returns both. */
  function projects(): { dir: string; project: string } {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'buildcast-transcripts-')));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const project = path.join(dir, '-home-dev-weather-app');
    mkdirSync(project);
    return { dir, project };
  }

  async function tail(
    dir: string,
    options: {
      offsets?: MapOffsets;
      chunkBytes?: number;
      clock?: FakeClock;
      onSamples?: (batch: TokenSample[]) => void;
    } = {},
  ) {
    const samples: TokenSample[] = [];
    const batches: number[] = [];
    const problems: Array<{ file: string; reason: string; line: number | null }> = [];
    const progress: BackfillProgress[] = [];
    const clock = options.clock ?? new FakeClock();
    const offsets = options.offsets ?? new MapOffsets();
    const tailer = new TranscriptTailer({
      dirs: [dir],
      clock,
      offsets,
      debounceMs: 100,
      ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
      sink: {
        samples: (batch) => {
          samples.push(...batch);
          batches.push(batch.length);
          options.onSamples?.(batch);
        },
        problem: (file, reason, at) => problems.push({ file, reason, line: at }),
        progress: (p) => progress.push(p),
      },
    });
    cleanup.push(() => tailer.close());
    await tailer.start();
    /** Waits for the watcher to see a change, closes the debounce window and waits for the read. */
    const live = async () => {
      await eventually(() => clock.pending > 0);
      clock.advance(100);
      await tailer.settle();
    };
    return { tailer, samples, batches, problems, progress, offsets, clock, live };
  }

  it('backfills every transcript, each streamed response once, and reports progress to the end', async () => {
    const { dir, project } = projects();
    copyFileSync(fixture, path.join(project, 'session.jsonl'));
    mkdirSync(path.join(project, 'session', 'subagents'), { recursive: true });
    writeFileSync(path.join(project, 'session', 'subagents', 'agent-1.jsonl'), lines(1, 3));
    const { tailer, samples, progress, problems, offsets } = await tail(dir);
    await tailer.backfillDone;

    expect(problems).toEqual([]);
    expect(samples.map((s) => s.key)).toEqual([
      'req:req_011A',
      'req:req_011B',
      'req:req_011D',
      'req:req_011E',
      'msg:msg_01Ny',
      'req:req_1',
      'req:req_2',
      'req:req_3',
    ]);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ done: true, filesDone: 2, filesTotal: 2 });
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBe(statSync(fixture).size + Buffer.byteLength(lines(1, 3)));
    expect(offsets.get(path.join(project, 'session.jsonl'))?.offset).toBe(statSync(fixture).size);
    expect(tailer.stats()).toEqual({ files: 2, bytes: last.bytesTotal, samples: 8, problems: 0 });
  });

  it('reports a broken line with its line number and reads the rest', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    const negative = line(3).replace('"output_tokens":30', '"output_tokens":-30');
    writeFileSync(file, `${line(1)}{"type":"assistant","message":{"id"\n${negative}${line(4)}`);
    const { tailer, samples, problems } = await tail(dir);
    await tailer.backfillDone;
    expect(problems).toEqual([
      { file, reason: 'malformed JSON', line: 2 },
      { file, reason: 'usage.output_tokens is negative', line: 3 },
    ]);
    expect(samples.map((s) => s.key)).toEqual(['req:req_1', 'req:req_4']);
    expect(tailer.stats().problems).toBe(2);
  });

  it('yields exactly the one new sample when a line is appended while running', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    writeFileSync(file, lines(1, 3));
    const { tailer, samples, live } = await tail(dir);
    await tailer.backfillDone;
    expect(samples).toHaveLength(3);

    appendFileSync(file, line(4));
    await live();
    expect(samples.map((s) => s.key)).toEqual(['req:req_1', 'req:req_2', 'req:req_3', 'req:req_4']);
    expect(samples[3]).toMatchObject({ input: 4, output: 40, model: 'claude-opus-4-1-20250805' });
  });

  it('reads a transcript appended to every 10 ms within one window of its first append', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    writeFileSync(file, line(1));
    const { tailer, samples, clock } = await tail(dir);
    await tailer.backfillDone;
    appendFileSync(file, line(2));
    await eventually(() => clock.pending > 0);
    // Appends keep coming while the window runs out: they must not push the read back.
    for (let n = 3; n <= 13; n++) {
      appendFileSync(file, line(n));
      await sleep(10);
      clock.advance(10);
    }
    await tailer.settle();
    expect(samples.map((s) => s.key).slice(0, 2)).toEqual(['req:req_1', 'req:req_2']);
  });

  it('reads new transcript files as they appear', async () => {
    const { dir, project } = projects();
    const { tailer, samples, live } = await tail(dir);
    await tailer.backfillDone;
    writeFileSync(path.join(project, 'b.jsonl'), line(7));
    await live();
    expect(samples.map((s) => s.key)).toEqual(['req:req_7']);
  });

  it('resumes after a restart without reading anything twice', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    writeFileSync(file, lines(1, 5));
    const offsets = new MapOffsets();
    const first = await tail(dir, { offsets });
    await first.tailer.backfillDone;
    await first.tailer.close();
    expect(first.samples).toHaveLength(5);

    const second = await tail(dir, { offsets });
    await second.tailer.backfillDone;
    expect(second.samples).toEqual([]);
    expect(second.progress.at(-1)).toMatchObject({ done: true, bytesDone: 0, bytesTotal: 0 });
    await second.tailer.close();

    appendFileSync(file, `${line(6)}not json\n`);
    const third = await tail(dir, { offsets });
    await third.tailer.backfillDone;
    expect(third.samples.map((s) => s.key)).toEqual(['req:req_6']);
    expect(third.progress.at(-1)?.bytesTotal).toBe(Buffer.byteLength(`${line(6)}not json\n`));
    // The line number is right even though lines 1-6 were read by an earlier run.
    expect(third.problems).toEqual([{ file, reason: 'malformed JSON', line: 7 }]);
  });

  it('leaves a half-written last line until its newline arrives', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    const second = line(2);
    writeFileSync(file, line(1) + second.slice(0, 100));
    const { tailer, samples, problems, offsets, live } = await tail(dir);
    await tailer.backfillDone;
    expect(samples.map((s) => s.key)).toEqual(['req:req_1']);
    expect(offsets.get(file)?.offset).toBe(Buffer.byteLength(line(1)));

    appendFileSync(file, second.slice(100, -1));
    await live();
    expect(samples).toHaveLength(1);

    // The watcher reports no change within 50 ms of the last one (real time, not the test clock).
    await sleep(60);
    appendFileSync(file, '\n');
    await live();
    expect(samples.map((s) => s.key)).toEqual(['req:req_1', 'req:req_2']);
    expect(problems).toEqual([]);
  });

  it('reads a truncated file again from the start', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    writeFileSync(file, lines(1, 3));
    const { tailer, samples, offsets, live } = await tail(dir);
    await tailer.backfillDone;

    writeFileSync(file, line(9));
    await live();
    expect(samples.map((s) => s.key)).toEqual(['req:req_1', 'req:req_2', 'req:req_3', 'req:req_9']);
    expect(offsets.get(file)?.offset).toBe(Buffer.byteLength(line(9)));
  });

  it('reads a file replaced by another (new inode) again from the start', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    writeFileSync(file, lines(1, 2));
    const { tailer, samples, live } = await tail(dir);
    await tailer.backfillDone;
    const before = statSync(file).ino;

    const replacement = path.join(dir, 'replacement.tmp');
    writeFileSync(replacement, lines(11, 14));
    renameSync(replacement, file);
    expect(statSync(file).ino).not.toBe(before);
    await live();
    expect(samples.map((s) => s.key).slice(2)).toEqual([
      'req:req_11',
      'req:req_12',
      'req:req_13',
      'req:req_14',
    ]);
  });

  it('stops quietly when a file is deleted mid-read, and reads it whole if it comes back', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    writeFileSync(file, lines(1, 40));
    let deleted = false;
    const { tailer, samples, problems, progress, offsets, live } = await tail(dir, {
      chunkBytes: 1024,
      onSamples: () => {
        if (!deleted) unlinkSync(file);
        deleted = true;
      },
    });
    await tailer.backfillDone;
    expect(problems).toEqual([]);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.length).toBeLessThan(40);
    const last = progress.at(-1)!;
    expect(last.done).toBe(true);
    expect(last.bytesDone).toBe(last.bytesTotal);
    await live();
    expect(offsets.get(file)?.offset).toBe(0);

    writeFileSync(file, lines(1, 2));
    await live();
    expect(samples.slice(-2).map((s) => s.key)).toEqual(['req:req_1', 'req:req_2']);
    expect(problems).toEqual([]);
  });

  it('reads lines longer than a chunk whole, one batch per chunk', async () => {
    const { dir, project } = projects();
    writeFileSync(path.join(project, 'a.jsonl'), lines(1, 30));
    const { tailer, samples, batches, problems } = await tail(dir, { chunkBytes: 256 });
    await tailer.backfillDone;
    expect(problems).toEqual([]);
    expect(samples.map((s) => s.input)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(samples[5]!.cwd).toBe('/home/dev/weather-app');
    expect(batches.every((n) => n <= 1)).toBe(true);
  });

  it('skips a line over 4 MiB with a problem and reads on', async () => {
    for (const chunkBytes of [1024 * 1024, 4 * 1024 * 1024]) {
      const { dir, project } = projects();
      const file = path.join(project, 'a.jsonl');
      const huge = line(2, { filler: 'x'.repeat(5 * 1024 * 1024) });
      writeFileSync(file, line(1) + huge + line(3));
      const { tailer, samples, problems, offsets } = await tail(dir, { chunkBytes });
      await tailer.backfillDone;
      expect(problems).toEqual([{ file, reason: 'line over 4 MiB', line: 2 }]);
      expect(samples.map((s) => s.key)).toEqual(['req:req_1', 'req:req_3']);
      expect(offsets.get(file)?.offset).toBe(statSync(file).size);
      await tailer.close();
    }
  });

  it('never reads one file twice at once, even when it changes during the backfill', async () => {
    const { dir, project } = projects();
    const file = path.join(project, 'a.jsonl');
    writeFileSync(file, lines(1, 400));
    const { tailer, samples, offsets, live } = await tail(dir, { chunkBytes: 512 });
    appendFileSync(file, line(401));
    await live();
    await tailer.backfillDone;
    await tailer.settle();
    const seen = offsets.history.filter((h) => h.file === file).map((h) => h.offset);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(samples).toHaveLength(401);
    expect(new Set(samples.map((s) => s.key)).size).toBe(401);
  });

  it('reports backfill progress at most every 250 ms of the clock, and once at the end', async () => {
    const { dir, project } = projects();
    writeFileSync(path.join(project, 'a.jsonl'), lines(1, 20));
    const still = await tail(dir, { chunkBytes: 512 });
    await still.tailer.backfillDone;
    expect(still.progress.map((p) => p.done)).toEqual([false, true]);
    await still.tailer.close();

    const clock = new FakeClock();
    const moving = await tail(dir, {
      chunkBytes: 512,
      clock,
      offsets: new MapOffsets(),
      onSamples: () => clock.advance(300),
    });
    await moving.tailer.backfillDone;
    expect(moving.progress.length).toBeGreaterThan(5);
    const done = moving.progress.map((p) => p.bytesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });
});

/**
 * Reading an append-only log a line at a time, from real files: each line once, and a log that
 * was replaced or started over read again from its start, even when it kept its inode.
 */
import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineTail, type LineOffset } from '../../src/collector/line-tail.js';
import { removeDir, tempDir } from '../helpers/server.js';

describe('LineTail', () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  function setup(): { file: string; tail: LineTail; offsets: Map<string, LineOffset> } {
    dir = tempDir();
    const offsets = new Map<string, LineOffset>();
    const tail = new LineTail({
      get: (file) => offsets.get(file) ?? null,
      set: (file, value) => void offsets.set(file, value),
    });
    return { file: path.join(dir, 'events.jsonl'), tail, offsets };
  }

  it('reads each complete line once and says when a read begins the file', async () => {
    const { file, tail } = setup();
    writeFileSync(file, '{"sequence":1}\n{"sequence":2}\n{"seq');
    expect(await tail.read(file)).toEqual({
      ok: true,
      lines: ['{"sequence":1}', '{"sequence":2}'],
      fromStart: true,
    });
    appendFileSync(file, 'uence":3}\n');
    expect(await tail.read(file)).toEqual({ ok: true, lines: ['{"sequence":3}'], fromStart: false });
    expect(await tail.read(file)).toEqual({ ok: true, lines: [], fromStart: false });
  });

  it('reads a log written over in place, same inode and longer than before, from its start', async () => {
    const { file, tail } = setup();
    writeFileSync(file, '{"run":"first","sequence":1}\n{"run":"first","sequence":2}\n');
    await tail.read(file);
    const inode = statSync(file).ino;
    // A new run's log in the same file: nothing but its first bytes tells it from the old one.
    writeFileSync(file, ['second 1', 'second 2', 'second 3', 'second 4', 'second 5'].join('\n') + '\n');
    expect(statSync(file).ino).toBe(inode);
    expect(await tail.read(file)).toEqual({
      ok: true,
      lines: ['second 1', 'second 2', 'second 3', 'second 4', 'second 5'],
      fromStart: true,
    });
  });

  it('trusts an offset kept before first bytes were remembered', async () => {
    const { file, tail, offsets } = setup();
    writeFileSync(file, 'old 1\nold 2\nnew 3\n');
    offsets.set(file, { offset: 12, ino: statSync(file).ino });
    expect(await tail.read(file)).toEqual({ ok: true, lines: ['new 3'], fromStart: false });
  });
});

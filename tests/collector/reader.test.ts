/**
 * The one module that reads the disk, over real files: what is not a regular file is refused
 * without being opened, so a FIFO cannot hold a file thread.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRange, readSourceFile } from '../../src/collector/reader.js';
import { removeDir, tempDir } from '../helpers/server.js';

describe('reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('refuses FIFOs, also through a link, more of them than there are file threads', async () => {
    const fifos = Array.from({ length: 6 }, (_, i) => path.join(dir, `fifo-${i}.json`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    symlinkSync(fifos[0]!, path.join(dir, 'link.json'));
    const good = path.join(dir, 'current-phase.json');
    writeFileSync(good, '{"status":"testing"}');

    const refused = await Promise.all(
      [...fifos, path.join(dir, 'link.json')].map((file) => readSourceFile(file)),
    );
    for (const result of refused) {
      expect(result).toEqual({ ok: false, reason: 'not a regular file (a FIFO)', missing: false });
    }
    expect(await readRange(fifos[1]!, 0, 1024)).toEqual({
      ok: false,
      reason: 'not a regular file (a FIFO)',
      missing: false,
    });
    expect(await readSourceFile(good)).toMatchObject({ ok: true, text: '{"status":"testing"}' });
  });

  it('refuses sockets, devices and folders with the reason in words', async () => {
    const socketPath = path.join(dir, 'events.jsonl');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      expect(await readSourceFile(socketPath)).toMatchObject({ reason: 'not a regular file (a socket)' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    mkdirSync(path.join(dir, 'state.json'));
    expect(await readSourceFile('/dev/zero')).toMatchObject({ reason: 'not a regular file (a device)' });
    expect(await readRange('/dev/zero', 0, 16)).toMatchObject({ reason: 'not a regular file (a device)' });
    expect(await readSourceFile(path.join(dir, 'state.json'))).toMatchObject({
      reason: 'is a folder, not a file',
    });
    expect(await readSourceFile(path.join(dir, 'gone.json'))).toMatchObject({ ok: false, missing: true });
  });
});

/** The backfill banner's sentence and bar, as the server draws them and the browser updates them. */
import { describe, expect, it } from 'vitest';
import { backfillBar, backfillText } from '../../src/shared/backfill.js';
import type { BackfillProgress } from '../../src/shared/protocol.js';

const GB = 1024 ** 3;
const reading: BackfillProgress = {
  filesDone: 120,
  filesTotal: 800,
  bytesDone: 1.2 * GB,
  bytesTotal: 3.4 * GB,
  done: false,
};

describe('backfillText', () => {
  it('says how many files and bytes of Claude Code history have been read', () => {
    expect(backfillText(reading)).toBe('Reading Claude Code history: 120 of 800 files, 1.2 GB of 3.4 GB');
  });

  it('counts only files when the sizes are not known', () => {
    expect(backfillText({ ...reading, bytesDone: 0, bytesTotal: 0 })).toBe(
      'Reading Claude Code history: 120 of 800 files',
    );
  });

  it('says "file" for a single file and rounds sizes to the next unit', () => {
    expect(backfillText({ filesDone: 0, filesTotal: 1, bytesDone: 0, bytesTotal: 512, done: false })).toBe(
      'Reading Claude Code history: 0 of 1 file, 0 B of 512 B',
    );
    expect(backfillText({ ...reading, bytesDone: 999.7 * 1024 ** 2, bytesTotal: 10 * GB })).toBe(
      'Reading Claude Code history: 120 of 800 files, 1 GB of 10 GB',
    );
  });
});

describe('backfillBar', () => {
  it('measures by bytes when the sizes are known', () => {
    expect(backfillBar(reading)).toEqual({ value: 1.2 * GB, max: 3.4 * GB });
  });

  it('measures by files otherwise, and never by an empty scale', () => {
    expect(backfillBar({ ...reading, bytesTotal: 0 })).toEqual({ value: 120, max: 800 });
    expect(backfillBar({ filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, done: false })).toEqual({
      value: 0,
      max: 1,
    });
  });

  it('never runs past the end when a count overshoots its total', () => {
    expect(backfillBar({ ...reading, bytesDone: 4 * GB })).toEqual({ value: 3.4 * GB, max: 3.4 * GB });
    expect(backfillBar({ ...reading, filesDone: 900, bytesTotal: 0 })).toEqual({ value: 800, max: 800 });
  });
});

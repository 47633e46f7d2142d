/**
 * Times and sizes as both the server's first render and the browser's every-second tick word
 * them (src/shared/format.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  FRESH_CLASSES,
  formatAge,
  formatBytes,
  formatClock,
  formatLocalTime,
  finishedLabel,
  updatedLabel,
  formatDuration,
  formatTimestamp,
  freshnessClass,
  parseTime,
} from '../../src/shared/format.js';

describe('durations and ages', () => {
  it('writes durations the way the dashboard shows them', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(4 * 60_000 + 12_000)).toBe('4m 12s');
    expect(formatDuration(4 * 60_000 + 5_000)).toBe('4m 05s');
    expect(formatDuration(3_600_000 + 3 * 60_000 + 59_000)).toBe('1h 03m');
  });

  it('reads a negative or impossible duration (clock skew, a bad date) as zero', () => {
    expect(formatDuration(-5_000)).toBe('0 ms');
    expect(formatDuration(Number.NaN)).toBe('0 ms');
  });

  it('writes relative ages, and a time just ahead of the clock as "just now"', () => {
    expect(formatAge(400)).toBe('just now');
    expect(formatAge(-2_000)).toBe('just now');
    expect(formatAge(3_200)).toBe('3s ago');
    expect(formatAge(4 * 60_000)).toBe('4m ago');
    expect(formatAge(2 * 3_600_000)).toBe('2h ago');
    expect(formatAge(3 * 86_400_000)).toBe('3d ago');
  });
});

describe('freshness', () => {
  it('colours freshness green under 5 s, yellow under 30 s, red beyond', () => {
    expect(freshnessClass(4_999)).toBe('fresh-green');
    expect(freshnessClass(5_000)).toBe('fresh-yellow');
    expect(freshnessClass(29_999)).toBe('fresh-yellow');
    expect(freshnessClass(30_000)).toBe('fresh-red');
  });

  it('lists every class a stamp can carry, so the page can swap one for another', () => {
    const seen = new Set([0, 10_000, 60_000].map(freshnessClass));
    expect(new Set(FRESH_CLASSES)).toEqual(seen);
  });
});

describe('times of day', () => {
  it('writes UTC timestamps and clock times, whatever the offset they were written with', () => {
    expect(formatTimestamp('2026-11-20T14:02:11Z')).toBe('2026-11-20 14:02:11 UTC');
    expect(formatTimestamp('2026-11-20T15:02:11+01:00')).toBe('2026-11-20 14:02:11 UTC');
    expect(formatClock('2026-11-20T14:02:11.950Z')).toBe('14:02:11');
  });

  it('shows a dash for a time that is missing or does not parse', () => {
    expect(formatClock('not a time')).toBe('—');
    expect(formatClock(null)).toBe('—');
    expect(formatTimestamp('')).toBe('—');
    expect(parseTime('yesterday')).toBeNull();
    expect(parseTime('2026-11-20T14:02:11Z')).toBe(Date.UTC(2026, 10, 20, 14, 2, 11));
  });
});

describe('sizes', () => {
  it('writes sizes in binary units, as file sizes elsewhere on the pages', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12 * 1024)).toBe('12 KB');
    expect(formatBytes(340 * 1024 ** 2)).toBe('340 MB');
    expect(formatBytes(1.2 * 1024 ** 3)).toBe('1.2 GB');
    expect(formatBytes(1023.9 * 1024)).toBe('1 MB');
    expect(formatBytes(-1)).toBe('0 B');
  });
});

describe('times in the viewer’s zone', () => {
  it('reads like the UTC stamps without their "UTC", in any zone', () => {
    expect(formatLocalTime('2026-11-20T13:00:00Z', 'datetime', 'Asia/Kolkata')).toBe('2026-11-20 18:30:00');
    expect(formatLocalTime('2026-11-20T13:00:00Z', 'clock', 'America/New_York')).toBe('08:00:00');
    expect(formatLocalTime('2026-11-20T23:30:05Z', 'datetime', 'Europe/Berlin')).toBe('2026-11-21 00:30:05');
    expect(formatLocalTime('2026-11-20T13:00:00Z', 'datetime', 'UTC')).toBe('2026-11-20 13:00:00');
    expect(formatLocalTime('2026-11-20T13:05:59Z', 'minutes', 'Asia/Kolkata')).toBe('18:35');
    expect(formatLocalTime('not a time', 'clock')).toBe('—');
    expect(formatLocalTime(null, 'datetime')).toBe('—');
  });

  it('words running and finished stamps alike on both sides', () => {
    expect(updatedLabel(3_000)).toBe('Updated 3s ago');
    expect(finishedLabel(3 * 60_000)).toBe('Finished 3m ago');
  });
});

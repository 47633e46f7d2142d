import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatClock,
  formatDuration,
  formatPercent,
  formatTimestamp,
  formatTokens,
  formatUsd,
  freshnessClass,
} from '../../../src/server/render/format.js';

describe('format helpers', () => {
  it('writes durations the way the dashboard shows them', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(4 * 60_000 + 12_000)).toBe('4m 12s');
    expect(formatDuration(4 * 60_000 + 5_000)).toBe('4m 05s');
    expect(formatDuration(3_600_000 + 3 * 60_000 + 59_000)).toBe('1h 03m');
    expect(formatDuration(-5_000)).toBe('0 ms');
  });

  it('writes relative ages', () => {
    expect(formatAge(400)).toBe('just now');
    expect(formatAge(3_200)).toBe('3s ago');
    expect(formatAge(4 * 60_000)).toBe('4m ago');
    expect(formatAge(2 * 3_600_000)).toBe('2h ago');
    expect(formatAge(3 * 86_400_000)).toBe('3d ago');
  });

  it('colours freshness green under 5 s, yellow under 30 s, red beyond', () => {
    expect(freshnessClass(4_999)).toBe('fresh-green');
    expect(freshnessClass(5_000)).toBe('fresh-yellow');
    expect(freshnessClass(29_999)).toBe('fresh-yellow');
    expect(freshnessClass(30_000)).toBe('fresh-red');
  });

  it('shortens token counts', () => {
    expect(formatTokens(950)).toBe('950');
    expect(formatTokens(12_345)).toBe('12.3k');
    expect(formatTokens(12_000)).toBe('12k');
    expect(formatTokens(123_456)).toBe('123k');
    expect(formatTokens(999_999)).toBe('1M');
    expect(formatTokens(1_234_567)).toBe('1.2M');
    expect(formatTokens(null)).toBe('—');
  });

  it('writes dollars and percentages, with a dash for unknown values', () => {
    expect(formatUsd(0.42)).toBe('$0.42');
    expect(formatUsd(12.3)).toBe('$12.30');
    expect(formatUsd(0.001)).toBe('<$0.01');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1234.4)).toBe('$1,234');
    expect(formatUsd(null)).toBe('—');
    expect(formatPercent(57.4)).toBe('57%');
    expect(formatPercent(140)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
  });

  it('writes UTC timestamps and clock times', () => {
    expect(formatTimestamp('2026-11-20T14:02:11Z')).toBe('2026-11-20 14:02:11 UTC');
    expect(formatClock('2026-11-20T14:02:11Z')).toBe('14:02:11');
    expect(formatClock('not a time')).toBe('—');
  });
});

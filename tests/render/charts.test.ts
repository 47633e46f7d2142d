import { describe, expect, it } from 'vitest';
import { clip, halfArcPath, niceTicks, timeTicks } from '../../src/render/charts.js';
import { formatShare, formatTokens } from '../../src/render/format.js';

describe('chart axes', () => {
  it('puts round ticks from zero to just past the largest value', () => {
    expect(niceTicks(12_000).map(formatTokens)).toEqual(['0', '5k', '10k', '15k']);
    expect(niceTicks(10_000).map(formatTokens)).toEqual(['0', '5k', '10k']);
    expect(niceTicks(1_150_000).map(formatTokens)).toEqual(['0', '500k', '1M', '1.5M']);
    expect(niceTicks(7, 3)).toEqual([0, 5, 10]);
    expect(niceTicks(0)).toEqual([0, 0.5, 1]);
    // Counts of things step by whole numbers.
    expect(niceTicks(2, 3, 1)).toEqual([0, 1, 2]);
    // No float noise such as 0.30000000000000004 in a label.
    for (const tick of niceTicks(0.9)) expect(String(tick).length).toBeLessThan(6);
  });

  it('puts time ticks on round UTC clock times', () => {
    const at = (iso: string) => Date.parse(iso);
    const labels = (from: string, to: string) => timeTicks(at(from), at(to)).map((tick) => tick.label);
    expect(labels('2026-11-20T13:40:00Z', '2026-11-20T14:00:00Z')).toEqual([
      '13:40',
      '13:45',
      '13:50',
      '13:55',
      '14:00',
    ]);
    expect(labels('2026-11-20T13:41:10Z', '2026-11-20T15:52:00Z')).toEqual([
      '14:00',
      '14:30',
      '15:00',
      '15:30',
    ]);
    expect(labels('2026-11-20T13:40:05Z', '2026-11-20T13:41:00Z')).toEqual([
      '13:40:10',
      '13:40:20',
      '13:40:30',
      '13:40:40',
      '13:40:50',
      '13:41:00',
    ]);
  });

  it('draws gauge arcs over the top from the left end', () => {
    expect(halfArcPath(100, 100, 80, 0, 1)).toBe('M 20 100 A 80 80 0 0 1 180 100');
    expect(halfArcPath(100, 100, 80, 0, 0.5)).toBe('M 20 100 A 80 80 0 0 1 100 20');
    expect(halfArcPath(100, 100, 80, 0, 7)).toBe('M 20 100 A 80 80 0 0 1 180 100');
  });

  it('cuts long labels with an ellipsis', () => {
    expect(clip('GitHub Integration', 22)).toBe('GitHub Integration');
    expect(clip('A very long phase name from a build', 12)).toBe('A very long…');
  });
});

describe('metrics number formats', () => {
  it('writes shares as whole percentages, slivers as "<1%", and an empty whole as unknown', () => {
    expect(formatShare(1, 3)).toBe('33%');
    expect(formatShare(1, 1000)).toBe('<1%');
    expect(formatShare(0, 1000)).toBe('0%');
    expect(formatShare(5, 0)).toBe('—');
  });
});

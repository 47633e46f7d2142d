import { describe, expect, it } from 'vitest';
import { clampPercent, formatPercent, formatTokens, formatUsd } from '../../src/render/format.js';

describe('format helpers', () => {
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
    expect(clampPercent(-3)).toBe(0);
  });
});

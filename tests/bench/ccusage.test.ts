import { describe, expect, it } from 'vitest';
import { parseCcusageJson } from '../../bench/ccusage.js';

describe('parseCcusageJson', () => {
  it('reads the totals and the session count of `ccusage session --json`', () => {
    const text = JSON.stringify({
      session: [
        { agent: 'claude', inputTokens: 224, outputTokens: 13_525, period: 'e8ca8a04' },
        { agent: 'claude', inputTokens: 87, outputTokens: 7_290, period: 'fd71b3ef' },
      ],
      totals: {
        cacheCreationTokens: 145_889,
        cacheReadTokens: 2_329_043,
        inputTokens: 2_757,
        outputTokens: 174_876,
        totalCost: 6.09,
        totalTokens: 2_652_565,
      },
    });
    expect(parseCcusageJson(text)).toEqual({
      tokens: { input: 2_757, output: 174_876, cacheRead: 2_329_043, cacheWrite: 145_889 },
      totalTokens: 2_652_565,
      sessions: 2,
    });
  });

  it('reads older releases, which list `sessions`, and refuses what is not its report', () => {
    const older = parseCcusageJson(
      JSON.stringify({ sessions: [{}], totals: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }),
    );
    expect(older).toEqual({
      tokens: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
      totalTokens: 3,
      sessions: 1,
    });
    expect(parseCcusageJson('No usage data found.')).toBeNull();
    expect(parseCcusageJson('[]')).toBeNull();
  });
});

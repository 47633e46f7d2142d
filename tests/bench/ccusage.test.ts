import { describe, expect, it } from 'vitest';
import { failureOf, parseCcusageJson, type CommandRun } from '../../bench/ccusage.js';

describe('parseCcusageJson', () => {
  it('reads the totals and the session count of `ccusage session --json`', () => {
    const text = JSON.stringify({
      session: [
        { agent: 'claude', inputTokens: 224, outputTokens: 13_525, period: 'e8ca8a04', totalCost: 4.1 },
        { agent: 'claude', inputTokens: 87, outputTokens: 7_290, period: 'fd71b3ef', totalCost: 1.99 },
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
      costUsd: 6.09,
      sessions: 2,
      bySession: [
        { id: 'e8ca8a04', costUsd: 4.1 },
        { id: 'fd71b3ef', costUsd: 1.99 },
      ],
    });
  });

  it('reads older releases, which list `sessions`, and refuses what is not its report', () => {
    const older = parseCcusageJson(
      JSON.stringify({
        sessions: [{ sessionId: 'a1', totalCost: 0.5 }, {}],
        totals: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
      }),
    );
    expect(older).toEqual({
      tokens: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
      totalTokens: 3,
      costUsd: null,
      sessions: 2,
      bySession: [{ id: 'a1', costUsd: 0.5 }],
    });
    expect(parseCcusageJson('No usage data found.')).toBeNull();
    expect(parseCcusageJson('[]')).toBeNull();
  });
});

describe('failureOf', () => {
  const run = (stderr: string, timedOut = false): CommandRun => ({
    code: 1,
    stdout: '',
    stderr,
    seconds: 12.4,
    cpuSeconds: null,
    peakRssBytes: null,
    timedOut,
  });

  it('says a registry that cannot be reached is unreachable, so no older release is tried', () => {
    const refused = run(
      [
        'npm warn Unknown user config "nodedir".',
        'npm error code ECONNREFUSED',
        'npm error FetchError: request to http://127.0.0.1:9/ccusage failed, reason: connect ECONNREFUSED 127.0.0.1:9',
        'npm error A complete log of this run can be found in: /root/.npm/_logs/x.log',
      ].join('\n'),
    );
    expect(failureOf(refused)).toEqual({
      reason: 'npm error ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)',
      unreachable: true,
    });
    expect(failureOf(run('', true))).toEqual({ reason: 'timed out after 12 s', unreachable: true });
  });

  it("gives ccusage's own last words when it installed but does not run", () => {
    const broken = run(
      'npm warn Unknown user config "nodedir".\nccusage native binary is not available for linux-x64.\n',
    );
    expect(failureOf(broken)).toEqual({
      reason: 'ccusage native binary is not available for linux-x64.',
      unreachable: false,
    });
  });
});

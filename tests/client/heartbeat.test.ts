import { describe, expect, it } from 'vitest';
import { deadAfterMs, MIN_DEAD_AFTER_MS } from '../../src/client/heartbeat.js';

describe('when a silent socket counts as dead', () => {
  it('waits three of the heartbeats hello announced', () => {
    expect(deadAfterMs(5_000)).toBe(15_000);
    // `--heartbeat 20`: an idle page must not give up on a healthy socket after 15 s.
    expect(deadAfterMs(20_000)).toBe(60_000);
    expect(deadAfterMs(3_600_000)).toBe(10_800_000);
  });

  it('never calls a socket dead within a few seconds, however fast the server beats', () => {
    expect(deadAfterMs(50)).toBe(MIN_DEAD_AFTER_MS);
    expect(deadAfterMs(1_000)).toBe(MIN_DEAD_AFTER_MS);
    expect(MIN_DEAD_AFTER_MS).toBeGreaterThanOrEqual(2_000);
  });

  it('assumes the default heartbeat when hello does not say, or says nonsense', () => {
    for (const value of [undefined, null, '20000', 0, -5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(deadAfterMs(value)).toBe(15_000);
  });
});

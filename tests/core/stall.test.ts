import { describe, expect, it } from 'vitest';
import { isSilent, stallWatchInterval } from '../../src/core/stall.js';

describe('isSilent', () => {
  it('is true once the whole stall window has passed without news', () => {
    expect(isSilent(1_000, 1_000 + 599_999, 600_000)).toBe(false);
    expect(isSilent(1_000, 1_000 + 600_000, 600_000)).toBe(true);
  });
});

describe('stallWatchInterval', () => {
  it('looks four times per window, between every 250 ms and every 5 s', () => {
    expect(stallWatchInterval(600_000)).toBe(5_000);
    expect(stallWatchInterval(8_000)).toBe(2_000);
    expect(stallWatchInterval(400)).toBe(250);
  });
});

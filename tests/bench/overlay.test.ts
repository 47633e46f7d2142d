import { describe, expect, it } from 'vitest';
import { parseOptions, type BenchOptions } from '../../bench/options.js';
import { overlaySeconds, overlayTimeoutMs } from '../../bench/overlay.js';

function options(...argv: string[]): BenchOptions {
  const parsed = parseOptions(argv);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.options;
}

describe('overlay scenario length', () => {
  it('writes for a short while, or for the whole soak with --soak, and gives itself time to stop', () => {
    expect(overlaySeconds(options('--quick'))).toBe(20);
    expect(overlaySeconds(options())).toBe(60);
    expect(overlaySeconds(options('overlay', '--soak', '900'))).toBe(900);
    expect(overlayTimeoutMs(options('overlay', '--soak', '900'))).toBeGreaterThan(900_000);
  });
});

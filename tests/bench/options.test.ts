import { describe, expect, it } from 'vitest';
import { parseOptions, type BenchOptions } from '../../bench/options.js';

function options(...argv: string[]): BenchOptions {
  const parsed = parseOptions(argv);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.options;
}

describe('parseOptions', () => {
  it('runs latency, push, phases-completed, storage, transcripts, overlay and history by default at the SPEC 8 sizes', () => {
    const resolved = options();
    expect(resolved.scenarios).toEqual([
      'latency',
      'push',
      'phases-completed',
      'storage',
      'transcripts',
      'overlay',
      'history',
    ]);
    expect(resolved).toMatchObject({
      quick: false,
      sessions: 200,
      clients: 50,
      debounceMs: 100,
      storedSessions: 10_000,
    });
  });

  it('keeps the sizes but shortens the runs with --quick', () => {
    const full = options();
    const quick = options('--quick');
    expect(quick.sessions).toBe(full.sessions);
    expect(quick.clients).toBe(full.clients);
    expect(quick.latencySeconds).toBeLessThan(full.latencySeconds);
    expect(quick.pushSeconds).toBeLessThan(full.pushSeconds);
  });

  it('runs only the named scenarios, in their fixed order', () => {
    expect(options('storage', 'latency').scenarios).toEqual(['latency', 'storage']);
  });

  it('adds the soak only when asked, for the given seconds', () => {
    expect(options().scenarios).not.toContain('soak');
    const soak = options('--soak', '3600');
    expect(soak.scenarios).toEqual([
      'latency',
      'push',
      'phases-completed',
      'storage',
      'transcripts',
      'overlay',
      'history',
      'soak',
    ]);
    expect(soak.soakSeconds).toBe(3600);
    expect(soak.soakGiven).toBe(true);
    expect(options().soakGiven).toBe(false);
    expect(options('soak', '--quick').soakSeconds).toBe(60);
    expect(options('--soak=120', 'soak').scenarios).toEqual(['soak']);
    // Named scenarios run alone, the overlay for the soak's length.
    expect(options('overlay', '--soak', '600')).toMatchObject({
      scenarios: ['overlay'],
      soakSeconds: 600,
      soakGiven: true,
    });
  });

  it('takes sizes as --flag N or --flag=N', () => {
    expect(options('--sessions', '20', '--clients=5').sessions).toBe(20);
    expect(options('--sessions', '20', '--clients=5').clients).toBe(5);
  });

  it('refuses unknown arguments and out-of-range numbers with a reason', () => {
    const unknown = parseOptions(['latncy']);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.message).toContain('unknown argument "latncy"');
    const bad = parseOptions(['--clients', 'many']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain('--clients takes a whole number');
    expect(parseOptions(['--soak']).ok).toBe(false);
  });
});

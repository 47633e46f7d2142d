import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/server/config.js';

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseConfig(argv, env, '/home/me/project', '/home/me/.local/share/buildcast/buildcast.db');

describe('configuration', () => {
  it('has the documented defaults', () => {
    const result = parse([]);
    expect(result).toMatchObject({
      ok: true,
      config: {
        command: 'serve',
        roots: ['/home/me/project'],
        port: 8080,
        host: '127.0.0.1',
        db: '/home/me/.local/share/buildcast/buildcast.db',
        debounceMs: 100,
        freshMs: 10_000,
        stallMs: 600_000,
        maxBodyBytes: 262_144,
      },
    });
  });

  it('reads the start interface exactly, flags beating BUILDCAST_* variables', () => {
    const result = parse(
      ['--root', 'builds', '--port', '0', '--db', 'x.db', '--checkpoints', 'cp', '--root=other'],
      {
        BUILDCAST_PORT: '9999',
        BUILDCAST_DEBOUNCE: '50',
        BUILDCAST_ROOT: '/ignored',
      },
    );
    expect(result.ok && result.config).toMatchObject({
      roots: ['/home/me/project/builds', '/home/me/project/other'],
      port: 0,
      db: '/home/me/project/x.db',
      checkpoints: ['/home/me/project/cp'],
      debounceMs: 50,
    });
    expect(parse([], { BUILDCAST_ROOT: '/a:/b', BUILDCAST_DB: ':memory:' })).toMatchObject({
      config: { roots: ['/a', '/b'], db: ':memory:' },
    });
  });

  it('fails fast with a message naming the flag', () => {
    expect(parse(['--port', 'eighty'])).toEqual({
      ok: false,
      message: '--port takes a whole number, not "eighty"',
    });
    expect(parse(['--port', '70000'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('between 0 and 65535'),
    });
    expect(parse(['--colour'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown option --colour'),
    });
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(parse([`--${name}=1`])).toEqual({ ok: false, message: `unknown option --${name} (try --help)` });
    }
    expect(parse(['--root'])).toMatchObject({ ok: false, message: '--root needs a value' });
    expect(parse([], { BUILDCAST_FRESH: 'soon' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('BUILDCAST_FRESH'),
    });
    expect(parse(['--host', '0.0.0.0'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--token'),
    });
    expect(parse(['--host', '0.0.0.0', '--token', 's3cret']).ok).toBe(true);
  });

  it('knows its commands', () => {
    expect(parse(['demo', '--speed', '10'])).toMatchObject({ config: { command: 'demo', speed: 10 } });
    expect(parse(['simulate', '--dir', 'out'])).toMatchObject({
      config: { command: 'simulate', dir: '/home/me/project/out' },
    });
    expect(parse(['--help'])).toMatchObject({ config: { command: 'help' } });
    expect(parse(['launch'])).toMatchObject({ ok: false });
  });
});

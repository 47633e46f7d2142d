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
        heartbeatMs: 5_000,
        maxClientBufferBytes: 1_048_576,
        retainDays: null,
        allowedHosts: [],
        rate: 10_000,
      },
    });
  });

  it('takes --allowed-host names, repeated or as a comma list, and refuses what is not a name', () => {
    expect(parse(['--allowed-host', 'Dash.Example.com', '--allowed-host=studio.lan.'])).toMatchObject({
      config: { allowedHosts: ['dash.example.com', 'studio.lan'] },
    });
    expect(parse([], { BUILDCAST_ALLOWED_HOST: 'dash.example.com, fd00::1,192.168.1.5' })).toMatchObject({
      config: { allowedHosts: ['dash.example.com', '[fd00::1]', '192.168.1.5'] },
    });
    expect(parse(['--allowed-host', 'a.example'], { BUILDCAST_ALLOWED_HOST: 'b.example' })).toMatchObject({
      config: { allowedHosts: ['a.example'] },
    });
    for (const bad of [
      'https://dash.example.com',
      'dash.example.com:8443',
      'dash.example.com/x',
      '-dash',
      '',
    ]) {
      expect(parse(['--allowed-host', bad])).toMatchObject({
        ok: false,
        message: expect.stringContaining('--allowed-host takes a host name'),
      });
    }
  });

  it('takes --retain-days as whole days, from its variable too, and refuses less than a day', () => {
    expect(parse(['--retain-days', '30'])).toMatchObject({ config: { retainDays: 30 } });
    expect(parse([], { BUILDCAST_RETAIN_DAYS: '7' })).toMatchObject({ config: { retainDays: 7 } });
    expect(parse(['--retain-days=90'], { BUILDCAST_RETAIN_DAYS: '7' })).toMatchObject({
      config: { retainDays: 90 },
    });
    for (const bad of ['0', '1.5', 'forever', '-3']) {
      expect(parse(['--retain-days', bad])).toMatchObject({
        ok: false,
        message: expect.stringContaining('--retain-days'),
      });
    }
  });

  it('takes --rate as requests per second, 0 for no limit', () => {
    expect(parse(['--rate', '50'])).toMatchObject({ config: { rate: 50 } });
    expect(parse(['--rate', '0'])).toMatchObject({ config: { rate: 0 } });
    expect(parse([], { BUILDCAST_RATE: '2.5' })).toMatchObject({ config: { rate: 2.5 } });
    expect(parse(['--rate', '-1'])).toMatchObject({ ok: false, message: expect.stringContaining('--rate') });
    expect(parse(['--rate', 'lots'])).toMatchObject({
      ok: false,
      message: '--rate takes a number, not "lots"',
    });
  });

  it('treats names of built-in object properties as unknown options', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(parse([`--${name}`, 'x'])).toEqual({
        ok: false,
        message: `unknown option --${name} (try --help)`,
      });
    }
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

  it('takes the unsent bytes past which a live client is cut off', () => {
    expect(parse(['--max-client-buffer', '262144'])).toMatchObject({
      config: { maxClientBufferBytes: 262_144 },
    });
    expect(parse([], { BUILDCAST_MAX_CLIENT_BUFFER: '4194304' })).toMatchObject({
      config: { maxClientBufferBytes: 4_194_304 },
    });
    expect(parse(['--max-client-buffer', '1.5'])).toEqual({
      ok: false,
      message: '--max-client-buffer takes a whole number, not "1.5"',
    });
    expect(parse(['--max-client-buffer', '100'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('between 65536 and'),
    });
  });

  it('takes an overlay token as a flag or from BUILDCAST_OVERLAY_TOKEN, never the token itself', () => {
    expect(parse([])).toMatchObject({ config: { overlayToken: null } });
    expect(parse(['--overlay-token', 'stream'])).toMatchObject({ config: { overlayToken: 'stream' } });
    expect(parse([], { BUILDCAST_OVERLAY_TOKEN: 'from-env' })).toMatchObject({
      config: { overlayToken: 'from-env' },
    });
    expect(parse(['--token', 'same', '--overlay-token', 'same'])).toEqual({
      ok: false,
      message: '--overlay-token must differ from --token: it is meant to be shown on a stream',
    });
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

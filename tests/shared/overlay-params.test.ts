/**
 * The overlay's URL: read leniently (a typo in OBS still shows the build), written back by the
 * setup page so that reading it again gives the same overlay.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PANELS,
  LAYOUTS,
  PANELS,
  overlayQuery,
  overlaySize,
  parseOverlayParams,
  scaleClass,
  type OverlayParams,
} from '../../src/shared/overlay-params.js';

const parse = (query: string): OverlayParams => {
  const search = new URLSearchParams(query);
  return parseOverlayParams((name) => search.get(name));
};

describe('overlay parameters', () => {
  it('default to the newest build in the dark corner at its own size', () => {
    expect(parse('')).toEqual({
      session: { kind: 'latest' },
      layout: 'corner',
      theme: 'dark',
      scale: 1,
      panels: DEFAULT_PANELS.corner,
      redact: false,
    });
    expect(overlaySize(parse(''))).toEqual({ width: 480, height: 270 });
  });

  it('read every layout at its size, scaled', () => {
    expect(overlaySize(parse('layout=lower-third'))).toEqual({ width: 1920, height: 160 });
    expect(overlaySize(parse('layout=ticker'))).toEqual({ width: 1920, height: 48 });
    expect(overlaySize(parse('layout=full&scale=0.5'))).toEqual({ width: 960, height: 540 });
    expect(overlaySize(parse('layout=corner&scale=1.5'))).toEqual({ width: 720, height: 405 });
  });

  it('read sessions by id, by project or the newest', () => {
    expect(parse('session=latest').session).toEqual({ kind: 'latest' });
    expect(parse('session=project:weather-app').session).toEqual({ kind: 'project', project: 'weather-app' });
    expect(parse('session=project:').session).toEqual({ kind: 'latest' });
    expect(parse('session=weather-app-20261120T140211Z').session).toEqual({
      kind: 'id',
      id: 'weather-app-20261120T140211Z',
    });
  });

  it('fall back to defaults for what they do not know', () => {
    const odd = parse('layout=sideways&theme=neon&scale=huge&panels=nothing,else&redact=yes');
    expect(odd).toMatchObject({ layout: 'corner', theme: 'dark', scale: 1, redact: false });
    expect(odd.panels).toEqual(DEFAULT_PANELS.corner);
    expect(parse('scale=9').scale).toBe(3);
    expect(parse('scale=0.1').scale).toBe(0.5);
    expect(parse('scale=1.3').scale).toBe(1.25);
    expect(scaleClass(parse('scale=1.3').scale)).toBe('scale-125');
  });

  it('keep the panels named, in their own order', () => {
    expect(parse('panels=log, Tests,phase,bogus').panels).toEqual(['phase', 'tests', 'log']);
  });

  it('write a URL that reads back as the same overlay, readable and with the token last', () => {
    expect(overlayQuery(parse('session=project:weather-app&panels=tests,phase&redact=1'), 'T0k')).toBe(
      'session=project:weather-app&layout=corner&panels=phase,tests&redact=1&token=T0k',
    );
    const params = fc.record({
      session: fc.oneof(
        fc.constant({ kind: 'latest' as const }),
        fc
          .string({ minLength: 1 })
          .map((project) => ({ kind: 'project' as const, project: project.trim() || 'p' })),
        fc.stringMatching(/^[a-z0-9-]{0,30}$/).map((id) => ({ kind: 'id' as const, id: `run-${id}` })),
      ),
      layout: fc.constantFrom(...LAYOUTS),
      theme: fc.constantFrom('dark' as const, 'light' as const),
      scale: fc.integer({ min: 2, max: 12 }).map((quarters) => quarters / 4),
      panels: fc.subarray([...PANELS], { minLength: 1 }),
      redact: fc.boolean(),
    });
    fc.assert(
      fc.property(params, (written) => {
        expect(parse(overlayQuery(written))).toEqual(written);
      }),
    );
  });
});

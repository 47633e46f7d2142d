/**
 * The JSON reading every build file shares: depth-bounded parsing, text cut with a visible
 * marker, bounded previews and copies of hostile values.
 */
import { describe, expect, it } from 'vitest';
import {
  nestsDeeperThan,
  parseJson,
  parseJsonObject,
  pickField,
  previewJson,
  truncateDeep,
  truncateText,
} from '../../src/collector/json-text.js';
import { MAX_JSON_DEPTH, MAX_LIST_ENTRIES, TRUNCATED } from '../../src/collector/limits.js';

const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);

describe('parseJson: depth', () => {
  it('reads JSON nested exactly to the limit and refuses one level more', () => {
    expect(parseJson(nested(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseJson(nested(MAX_JSON_DEPTH + 1))).toEqual({
      ok: false,
      problem: { code: 'too-deep', message: `nested more than ${MAX_JSON_DEPTH} levels deep` },
    });
  });

  it('refuses a phase file nested 10,000 levels deep as a problem, not a crash', () => {
    const text = `{"session_id":"deep","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    expect(parseJsonObject(text)).toMatchObject({ ok: false, problem: { code: 'too-deep' } });
  });

  it('counts only brackets outside strings, escaped quotes included', () => {
    const brackets = JSON.stringify({ text: `${'['.repeat(500)}\\"${'{'.repeat(500)}` });
    expect(nestsDeeperThan(brackets)).toBe(false);
    expect(parseJson(brackets)).toMatchObject({ ok: true });
  });
});

describe('truncateText', () => {
  it('cuts long text to its limit, ending in the marker, and leaves short text alone', () => {
    expect(truncateText('short', 40)).toBe('short');
    const cut = truncateText('x'.repeat(100), 40);
    expect(cut).toHaveLength(40);
    expect(cut.endsWith(TRUNCATED)).toBe(true);
  });

  it('never halves a surrogate pair', () => {
    const cut = truncateText('😀'.repeat(50), 41);
    expect(cut.endsWith(TRUNCATED)).toBe(true);
    expect(cut.slice(0, -TRUNCATED.length)).toBe('😀'.repeat(14));
  });
});

describe('truncateDeep', () => {
  it('keeps the first entries of a long list and says how many more there were', () => {
    const copy = truncateDeep(Array.from({ length: MAX_LIST_ENTRIES + 5 }, (_, i) => i)) as unknown[];
    expect(copy).toHaveLength(MAX_LIST_ENTRIES + 1);
    expect(copy.at(-1)).toBe(`${TRUNCATED} 5 more entries`);
  });

  it('replaces what is nested past the depth limit with a marker', () => {
    let value: unknown = 'bottom';
    for (let i = 0; i < 200; i++) value = { a: value };
    let copy = truncateDeep(value);
    let depth = 0;
    while (typeof copy === 'object' && copy !== null) {
      copy = (copy as { a: unknown }).a;
      depth += 1;
    }
    expect(depth).toBe(MAX_JSON_DEPTH);
    expect(copy).toBe(`${TRUNCATED} nested too deep`);
  });

  it('keeps a "__proto__" key as plain data', () => {
    const copy = truncateDeep(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('previewJson', () => {
  it('quotes small values exactly as JSON', () => {
    expect(previewJson({ a: [1, 'x', null] })).toBe('{"a":[1,"x",null]}');
    expect(previewJson('abc')).toBe('"abc"');
    expect(previewJson(undefined)).toBe('undefined');
  });

  it('reads only as much of a huge or deep value as it shows', () => {
    const huge = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(previewJson(huge, 20)).toHaveLength(20);
    expect(previewJson(huge, 20).endsWith('…')).toBe(true);
    const deep = JSON.parse(nested(100_000)) as unknown;
    expect(previewJson(deep, 30).length).toBeLessThanOrEqual(30);
  });
});

describe('pickField', () => {
  it('finds a field whatever its spelling, and never what an object inherits', () => {
    const object = JSON.parse('{"Session_ID": "a", "status": null, "STATUS": "ok"}') as Record<
      string,
      unknown
    >;
    expect(pickField(object, ['sessionid'])).toBe('a');
    expect(pickField(object, ['status'])).toBe('ok');
    expect(pickField(object, ['constructor', 'tostring', 'proto'])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { chooseCoding, etagOf, matchesEtag } from '../../src/server/encoding.js';

describe('choosing a coding', () => {
  it('prefers brotli, then gzip, and honours q=0 and *', () => {
    expect(chooseCoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseCoding('gzip, deflate')).toBe('gzip');
    expect(chooseCoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseCoding('*')).toBe('br');
    expect(chooseCoding('*;q=0, gzip')).toBe('gzip');
    expect(chooseCoding('identity')).toBe('identity');
    expect(chooseCoding(undefined)).toBe('identity');
    expect(chooseCoding(' , ;;, br;q=nonsense')).toBe('identity');
  });
});

describe('ETags', () => {
  const bytes = new TextEncoder().encode('body { color: red }');

  it('differ per coding and per content, and match weakly or by *', () => {
    const tag = etagOf(bytes, 'identity');
    expect(etagOf(bytes, 'br')).not.toBe(tag);
    expect(etagOf(new TextEncoder().encode('other'), 'identity')).not.toBe(tag);
    expect(matchesEtag(tag, tag)).toBe(true);
    expect(matchesEtag(`"x", W/${tag}`, tag)).toBe(true);
    expect(matchesEtag('*', tag)).toBe(true);
    expect(matchesEtag('"x"', tag)).toBe(false);
    expect(matchesEtag(null, tag)).toBe(false);
  });
});

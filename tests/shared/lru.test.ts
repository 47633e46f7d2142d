import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/shared/lru.js';

describe('Lru', () => {
  it('lets the least recently used entry go when full, counting a read as a use', () => {
    const cache = new Lru<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces a value without growing, and deletes', () => {
    const cache = new Lru<string, string>(3);
    cache.set('k', 'one');
    cache.set('k', 'two');
    expect(cache.size).toBe(1);
    expect(cache.get('k')).toBe('two');
    expect(cache.delete('k')).toBe(true);
    expect(cache.get('k')).toBeUndefined();
  });

  it('treats names of Object.prototype as ordinary keys', () => {
    const cache = new Lru<string, number>(4);
    expect(cache.get('constructor')).toBeUndefined();
    expect(cache.has('__proto__')).toBe(false);
    cache.set('__proto__', 1);
    cache.set('toString', 2);
    expect(cache.get('__proto__')).toBe(1);
    expect(cache.get('toString')).toBe(2);
  });
});

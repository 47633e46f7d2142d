import { describe, expect, it } from 'vitest';
import { WaitingQueue } from '../../src/core/waiting-queue.js';

describe('WaitingQueue', () => {
  it('keeps items per key in arrival order and hands them over whole', () => {
    const queue = new WaitingQueue<number>({ maxKeys: 10, maxPerKey: 10 });
    expect(queue.keep('/w/a', 1)).toBe(1);
    expect(queue.keep('/w/b', 2)).toBe(1);
    expect(queue.keep('/w/a', 3)).toBe(2);
    expect(queue.size).toBe(3);
    expect(queue.take('/w/a')).toEqual([1, 3]);
    expect(queue.take('/w/a')).toEqual([]);
    expect(queue.has('/w/b')).toBe(true);
    expect(queue.takeAll()).toEqual([2]);
    expect(queue.size).toBe(0);
  });

  it('lets the oldest item of a key go past the per-key limit, and tells the owner', () => {
    const evicted: Array<[string, number[]]> = [];
    const queue = new WaitingQueue<number>({
      maxKeys: 10,
      maxPerKey: 2,
      onEvict: (key, items) => evicted.push([key, items]),
    });
    for (const n of [1, 2, 3]) queue.keep('k', n);
    expect(queue.take('k')).toEqual([2, 3]);
    expect(evicted).toEqual([['k', [1]]]);
    expect(queue.size).toBe(0);
  });

  it('lets the key waiting longest go past the key limit', () => {
    const evicted: string[] = [];
    const queue = new WaitingQueue<string>({ maxKeys: 2, maxPerKey: 5, onEvict: (key) => evicted.push(key) });
    queue.keep('first', 'a');
    queue.keep('first', 'b');
    queue.keep('second', 'c');
    queue.keep('third', 'd');
    expect(evicted).toEqual(['first']);
    expect(queue.size).toBe(2);
    expect(queue.takeAll()).toEqual(['c', 'd']);
  });

  it('takes build text such as "constructor" as an ordinary key', () => {
    const queue = new WaitingQueue<number>({ maxKeys: 4, maxPerKey: 4 });
    expect(queue.has('constructor')).toBe(false);
    queue.keep('__proto__', 1);
    expect(queue.take('__proto__')).toEqual([1]);
  });
});

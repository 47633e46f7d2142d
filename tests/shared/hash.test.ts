import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/shared/hash.js';

describe('contentHash', () => {
  it('is equal for equal content and differs when any field differs', () => {
    const a = { id: 'x', phase: 'Test', iteration: 2 };
    expect(contentHash(a)).toBe(contentHash({ ...a }));
    expect(contentHash(a)).not.toBe(contentHash({ ...a, iteration: 3 }));
    expect(contentHash(a)).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });
});

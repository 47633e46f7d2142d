/**
 * The end of a test result line, read the way runners and language models write it, and
 * without the backtracking that made long runs of spaces or dots quadratic.
 */
import { describe, expect, it } from 'vitest';
import { stripTrailingNoise, trailingResult, trimEmphasis } from '../../src/collector/result-line.js';

describe('trailingResult', () => {
  it.each([
    ['adds two numbers ... passed', { name: 'adds two numbers', word: 'passed' }],
    ['adds two numbers: FAIL', { name: 'adds two numbers', word: 'FAIL' }],
    ['adds two numbers — ok', { name: 'adds two numbers', word: 'ok' }],
    ['adds two numbers PASSED', { name: 'adds two numbers', word: 'PASSED' }],
    ['a.. ..passed', { name: 'a..', word: 'passed' }],
    ['x:.. passed', { name: 'x:', word: 'passed' }],
  ])('reads %j', (line, expected) => {
    expect(trailingResult(line)).toEqual(expected);
  });

  it.each(['bypass', 'adds two numbers passed', 'the build failed', 'passed', ': passed'])(
    'finds no result in %j',
    (line) => {
      expect(trailingResult(line)).toBeNull();
    },
  );

  it('reads a line of 100,000 spaces or dots', () => {
    expect(trailingResult(`a${' '.repeat(100_000)}PASS`)).toEqual({ name: 'a', word: 'PASS' });
    expect(trailingResult(`a${'.'.repeat(100_000)}passed`)).toEqual({ name: 'a', word: 'passed' });
    expect(trailingResult(`${'.'.repeat(100_000)}x`)).toBeNull();
  });
});

describe('stripTrailingNoise and trimEmphasis', () => {
  it('drops durations and counts from the end', () => {
    expect(stripTrailingNoise('adds (12 ms)')).toBe('adds');
    expect(stripTrailingNoise('adds 3.5ms 4ms')).toBe('adds');
    expect(stripTrailingNoise('adds [3 tests, 2 skipped]')).toBe('adds');
    expect(stripTrailingNoise(`adds${' 1ms'.repeat(10_000)}`)).toBe('adds');
  });

  it('drops emphasis and quotes around a name', () => {
    expect(trimEmphasis('**adds**')).toBe('adds');
    expect(trimEmphasis('`adds`')).toBe('adds');
    expect(trimEmphasis(`${'"'.repeat(100_000)}x`)).toBe('x');
  });
});

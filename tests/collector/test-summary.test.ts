import { describe, expect, it } from 'vitest';
import { readSummaryCounts } from '../../src/collector/test-summary.js';
import type { TestCounts } from '../../src/collector/test-summary.js';

describe('readSummaryCounts: the summary lines of every common runner', () => {
  it.each<[string, TestCounts]>([
    ['12 passed, 2 failed', { passed: 12, failed: 2 }],
    ['Tests:       2 failed, 12 passed, 14 total', { passed: 12, failed: 2 }],
    ['=== 2 failed, 12 passed in 3.2s ===', { passed: 12, failed: 2 }],
    ['===== 12 passed, 1 skipped, 2 warnings in 0.51s =====', { passed: 12, failed: 0 }],
    ['== 1 failed, 12 passed, 1 error in 3.20s ==', { passed: 12, failed: 2 }],
    ['14 tests, 12 passed, 2 failed', { passed: 12, failed: 2 }],
    ['Passed: 12 / Failed: 2', { passed: 12, failed: 2 }],
    ['**Passed:** 12, **Failed:** 2', { passed: 12, failed: 2 }],
    ['      Tests  1 failed | 7 passed (8)', { passed: 7, failed: 1 }],
    ['  12 passing (3s)', { passed: 12, failed: 0 }],
    ['  2 failing', { passed: null, failed: 2 }],
    ['test result: FAILED. 12 passed; 2 failed; 0 ignored', { passed: 12, failed: 2 }],
    ['Tests run: 14, Failures: 1, Errors: 1, Skipped: 2', { passed: 10, failed: 2 }],
    ['14/15 tests passed', { passed: 14, failed: 1 }],
    ['13 of 15 passed', { passed: 13, failed: 2 }],
    ['All 15 tests passed', { passed: 15, failed: 0 }],
    ['| Passed | 12 |', { passed: 12, failed: 0 }],
    ['Total: 14, failed: 3', { passed: 11, failed: 3 }],
  ])('%j', (line, expected) => {
    expect(readSummaryCounts(line)).toEqual(expected);
  });

  it.each([
    'Test Suites: 1 failed, 3 passed, 4 total',
    ' Test Files  1 failed | 2 passed (3)',
    'Snapshots:   0 total',
    '14 tests',
    'Time: 3.2 s',
    'Run at: 2026-11-20T14:02:11Z',
    'Version 2.0.1, built on 2026-11-20',
    'Fixed the failing parser',
    '99999999999999999999 passed',
    '',
  ])('%j states no test counts', (line) => {
    expect(readSummaryCounts(line)).toBeNull();
  });
});

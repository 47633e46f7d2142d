import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  MAX_FAILING_NAMES,
  MAX_TEST_NAME_LENGTH,
  parseTestIterationCount,
  parseTestResultsFile,
  testIterationFromFileName,
} from '../../src/collector/test-results.js';
import { TRUNCATED } from '../../src/collector/limits.js';
import type { TestIteration } from '../../src/shared/metrics.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../fixtures/side-files/${name}`, import.meta.url), 'utf8');

function results(text: string, fileName = 'test-results-iteration-2.md'): TestIteration {
  const parsed = parseTestResultsFile(fileName, text);
  if (!parsed.ok) throw new Error(`${parsed.problem.code}: ${parsed.problem.message}`);
  return parsed.value;
}

/** Bytes that look like a compiled file read as text. */
function garbage(length: number): string {
  let seed = 12345;
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = seed % 256;
  }
  return bytes.toString('utf8');
}

describe('parseTestIterationCount', () => {
  it.each([
    ['3\n', 3],
    ['  12  ', 12],
    ['\ufeff2\r\n', 2],
    ['Iteration: 3', 3],
    ['iteration 2 of 5', 2],
    ['test_iteration=4', 4],
    ['3/5', 3],
    ['{"iteration": 7}', 7],
    ['0', 0],
  ])('reads %j as %d', (text, expected) => {
    expect(parseTestIterationCount(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['   \n', 'empty'],
    ['three', 'invalid-fields'],
    ['-1', 'invalid-fields'],
    ['2.5', 'invalid-fields'],
    ['iteration 2, then 3', 'invalid-fields'],
    ['99999999999999999999', 'invalid-fields'],
  ])('refuses %j with a reason', (text, code) => {
    const parsed = parseTestIterationCount(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem.code).toBe(code);
      expect(parsed.problem.message.length).toBeLessThan(120);
    }
  });

  it('refuses binary garbage and a huge file', () => {
    expect(parseTestIterationCount(garbage(300))).toMatchObject({
      ok: false,
      problem: { code: 'invalid-fields' },
    });
    expect(parseTestIterationCount('1'.repeat(70_000))).toMatchObject({
      ok: false,
      problem: { code: 'too-large' },
    });
  });
});

describe('testIterationFromFileName', () => {
  it.each([
    ['test-results-iteration-1.md', 1],
    ['test-results-iteration-12.md', 12],
    ['/work/app/.context-foundry/test-results-iteration-3.md', 3],
    ['C:\\app\\.context-foundry\\test-results-iteration-4.md', 4],
    ['Test_Results_Iteration_5.MD', 5],
    ['test-results-iteration-2.txt', 2],
  ])('%s is iteration %d', (name, expected) => {
    expect(testIterationFromFileName(name)).toBe(expected);
  });

  it.each([
    'test-results-iteration-.md',
    'test-results-iteration-3.md.tmp',
    'test-results-iteration-3.json',
    'current-phase.json',
    'old-test-results-iteration-3.md',
    '',
  ])('%j is not a results file', (name) => {
    expect(testIterationFromFileName(name)).toBeNull();
  });
});

describe('parseTestResultsFile: every runner style reads as the same counts', () => {
  it.each<[string, number, Partial<TestIteration>]>([
    [
      'jest-verbose.md',
      2,
      { passed: 12, failed: 2, failing: ['rejects an empty query', 'caches results for 10 minutes'] },
    ],
    ['vitest-ansi.md', 3, { passed: 7, failed: 1, failing: ['geocode > rejects an empty query'] }],
    [
      'pytest.md',
      1,
      { passed: 3, failed: 2, failing: ['tests/test_api.py::test_kelvin', 'tests/test_geo.py::test_empty'] },
    ],
    [
      'pytest-no-summary.md',
      1,
      { passed: 2, failed: 2, failing: ['tests/test_api.py::test_kelvin', 'tests/test_geo.py::test_empty'] },
    ],
    ['mocha.md', 2, { passed: 3, failed: 1, failing: [] }],
    ['markdown-table.md', 2, { passed: 3, failed: 1, failing: ['parseForecast keeps the time zone'] }],
    ['summary-table.md', 4, { passed: 13, failed: 1, failing: ['cache expires entries after 10 minutes'] }],
    [
      'sections.md',
      2,
      {
        passed: 3,
        failed: 2,
        failing: ["parseForecast keeps the city's time zone", 'cache expires entries after 10 minutes'],
      },
    ],
    ['labelled-summary.md', 2, { passed: 40, failed: 2, failing: ['logout clears the session'] }],
    ['go-test.md', 1, { passed: 2, failed: 1, failing: ['TestGeocode'] }],
    ['emoji-summary.md', 3, { passed: 15, failed: 0, failing: [] }],
    ['junit.md', 1, { passed: 10, failed: 2, failing: [] }],
  ])('%s', async (name, iteration, expected) => {
    const parsed = results(await fixture(name), `test-results-iteration-${iteration}.md`);
    expect(parsed).toEqual({ iteration, ...expected });
  });

  it('counts single ✓/✗ lines when there is no summary line', () => {
    const text = [
      '- ✓ login works',
      '- ✔ logout works (3 ms)',
      '* ✗ reset sends mail',
      '  ✘ reset expires',
    ].join('\n');
    expect(results(text)).toEqual({
      iteration: 2,
      passed: 2,
      failed: 2,
      failing: ['reset sends mail', 'reset expires'],
    });
  });

  it('lets the summary line win over the lines it counts', () => {
    const text = '- ✓ a\n- ✗ b\n\n12 passed, 2 failed\n';
    expect(results(text)).toMatchObject({ passed: 12, failed: 2, failing: ['b'] });
  });

  it('reads an emoji summary as a summary, not as a test named "15 passed"', () => {
    expect(results('✅ 15 passed, 0 failed\n')).toEqual({ iteration: 2, passed: 15, failed: 0, failing: [] });
  });

  it('does not take prose or run-level status lines for tests', () => {
    const text = [
      '# Results',
      'All tests passed after the fix.',
      'Failed tests were retried.',
      'Status: FAILED',
      'Overall - passed',
    ].join('\n');
    expect(results(text)).toEqual({ iteration: 2, passed: null, failed: null, failing: [] });
  });
});

describe('parseTestResultsFile: empty, unrelated and hostile files', () => {
  it('gives null counts, not a problem, for an empty or unrelated file', async () => {
    for (const text of ['', '\n\n', await fixture('unrelated.md')]) {
      expect(parseTestResultsFile('test-results-iteration-1.md', text)).toEqual({
        ok: true,
        value: { iteration: 1, passed: null, failed: null, failing: [] },
      });
    }
  });

  it('reads binary garbage as an unrelated file', () => {
    expect(results(garbage(64 * 1024))).toEqual({ iteration: 2, passed: null, failed: null, failing: [] });
  });

  it('reads a file with a 1 MB line, keeping the failing name short', () => {
    const huge = `- ✗ ${'x'.repeat(1024 * 1024)}`;
    const parsed = results(`${huge}\n- ✓ ok test\n3 passed, 1 failed\n`);
    expect(parsed.passed).toBe(3);
    expect(parsed.failed).toBe(1);
    expect(parsed.failing).toHaveLength(1);
    expect(parsed.failing[0]).toHaveLength(MAX_TEST_NAME_LENGTH);
    expect(parsed.failing[0]?.endsWith(TRUNCATED)).toBe(true);
  });

  it(`keeps at most ${MAX_FAILING_NAMES} failing names, without duplicates`, () => {
    const lines = Array.from({ length: 300 }, (_, i) => `- ✗ test ${i % 250}`);
    const parsed = results(lines.join('\n'));
    expect(parsed.failed).toBe(300);
    expect(parsed.failing).toHaveLength(MAX_FAILING_NAMES);
    expect(new Set(parsed.failing).size).toBe(MAX_FAILING_NAMES);
    expect(parsed.failing[0]).toBe('test 0');
  });

  it('refuses a file whose name carries no iteration', () => {
    const parsed = parseTestResultsFile('results.md', '12 passed');
    expect(parsed).toMatchObject({ ok: false, problem: { code: 'invalid-fields' } });
  });

  it('reads Windows line endings and a BOM', () => {
    const text = '\ufeff# Results\r\n- ✓ a\r\n- ✗ b: boom\r\n1 passed, 1 failed\r\n';
    expect(results(text)).toEqual({ iteration: 2, passed: 1, failed: 1, failing: ['b'] });
  });
});

/**
 * Property: any text as one of Context Foundry's side files (test iteration count, test results,
 * session summary, build tasks) reads as values within their caps, or a problem; and any task
 * list gives a plan.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MAX_BUILD_TASKS, parseBuildTasks, parseSessionSummary } from '../../src/collector/side-files.js';
import {
  MAX_FAILING_NAMES,
  MAX_TEST_NAME_LENGTH,
  parseTestIterationCount,
  parseTestResultsFile,
} from '../../src/collector/test-results.js';
import { MAX_LIST_ENTRIES, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../../src/collector/limits.js';
import { planTasks } from '../../src/core/plan.js';
import {
  boundedBy,
  check,
  fileText,
  jsonObject,
  jsonValue,
  longText,
  measure,
  number,
  runs,
  SIDE_FILE_FIELDS,
  text,
} from './arbitraries.js';

/** Lines a results file holds: runner output, markdown, summaries, and hostile text. */
const resultLine = fc.oneof(
  fc.constantFrom(
    '✓ adds two numbers',
    '✗ divides by zero (12 ms)',
    'PASS src/a.test.ts',
    'FAIL: login works',
    '| test | ✅ PASS | 3 ms |',
    '12 passed, 2 failed',
    'Tests: 2 failed, 12 passed, 14 total',
    '## Failed tests',
    '- login works',
    '```',
    'All 15 tests passed',
    'adds ... passed',
  ),
  text,
  longText,
  number.map(String),
);

/** The summary's counts and rates; other fields are kept as written. */
const COUNTS = [
  'test_iterations',
  'total_tests',
  'tests_passing',
  'tests_failing',
  'test_pass_rate',
  'duration_minutes',
];

const resultsText = fc.array(resultLine, { maxLength: 30 }).map((lines) => lines.join('\n'));

describe('side file parsers, for any text', () => {
  it('read a test iteration count as a safe whole number or a problem', () => {
    fc.assert(
      fc.property(
        fc.oneof(text, longText, number.map(String), fileText(jsonValue(['iteration']))),
        (input) => {
          const result = parseTestIterationCount(input);
          check(!result.ok || Number.isSafeInteger(result.value), 'unsafe count');
        },
      ),
      runs(2_000),
    );
  });

  it('read a test results file as bounded counts and names', () => {
    fc.assert(
      fc.property(fc.oneof(resultsText, fileText(jsonValue(['passed']))), (input) => {
        const result = parseTestResultsFile('test-results-iteration-3.md', input);
        check(result.ok, 'a results file is always read');
        if (!result.ok) return;
        const { passed, failed, failing } = result.value;
        check(passed === null || Number.isSafeInteger(passed), 'unsafe passed count');
        check(failed === null || Number.isSafeInteger(failed), 'unsafe failed count');
        check(failing.length <= MAX_FAILING_NAMES, 'too many failing names');
        check(
          failing.every((name) => name.length <= MAX_TEST_NAME_LENGTH),
          'failing name too long',
        );
        check(boundedBy(input.length, result), 'output larger than its input allows');
      }),
      runs(2_000),
    );
  });

  it('read a session summary with bounded fields, or a problem', () => {
    fc.assert(
      fc.property(fileText(jsonObject(SIDE_FILE_FIELDS)), (input) => {
        const result = parseSessionSummary(input);
        check(boundedBy(input.length, result), 'output larger than its input allows');
        if (!result.ok) return;
        const fields = measure(result.value.fields);
        check(fields.longestText <= MAX_TEXT_LENGTH, 'text too long');
        check(fields.longestList <= MAX_LIST_ENTRIES + 1, 'list too long');
        for (const name of COUNTS) {
          const value = result.value.fields[name];
          check(typeof value !== 'number' || Math.abs(value) <= Number.MAX_SAFE_INTEGER, `unsafe ${name}`);
        }
      }),
      runs(2_000),
    );
  });

  it('read build tasks within their caps, and plan them', () => {
    const taskList = fc.oneof(
      fc.array(jsonObject(SIDE_FILE_FIELDS, 6), { maxLength: 10 }),
      jsonObject(SIDE_FILE_FIELDS),
    );
    fc.assert(
      fc.property(fileText(taskList), (input) => {
        const result = parseBuildTasks(input);
        check(boundedBy(input.length, result), 'output larger than its input allows');
        if (!result.ok) return;
        check(result.value.length <= MAX_BUILD_TASKS, 'too many tasks');
        for (const task of result.value) {
          check(task.id.length <= MAX_NAME_LENGTH, 'task id too long');
          check(task.dependsOn.length <= MAX_LIST_ENTRIES, 'too many dependencies');
        }
        check(planTasks(result.value).length === result.value.length, 'a plan entry per task');
      }),
      runs(2_000),
    );
  });
});

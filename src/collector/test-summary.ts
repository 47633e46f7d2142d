/**
 * @module
 * Reads the pass and fail counts that a test runner's summary line states (SPEC 1.4): the
 * line that ends a `test-results-iteration-<N>.md`, or the detail of an `iteration_complete`
 * event. Every common runner's wording is read: jest, vitest, pytest, mocha, JUnit, cargo, and
 * the sentences a language model writes ("All 15 tests passed").
 */

/** Counts read from one summary line (or a few adjacent ones, as mocha prints them). */
export interface TestCounts {
  /** Null when the line states only failures ("2 failing") and no total. */
  passed: number | null;
  failed: number;
}

type CountKey = 'passed' | 'failed' | 'errors' | 'total' | 'skipped';
const WORD_KEY: Array<[RegExp, CountKey]> = [
  [/^(?:passed|passing|pass|succeeded|successful)$/, 'passed'],
  [/^(?:failed|failing|failures?|fail)$/, 'failed'],
  [/^errors?$/, 'errors'],
  [/^(?:total|tests?|tests run)$/, 'total'],
  [/^(?:skipped|pending|todo|ignored)$/, 'skipped'],
];
const keyOf = (word: string): CountKey | undefined => WORD_KEY.find(([pattern]) => pattern.test(word))?.[1];

/**
 * The pass and fail counts a summary line states ("12 passed, 2 failed", "Tests: 2 failed, 12
 * passed, 14 total", "=== 2 failed, 12 passed in 3.2s ===", "Passed: 12 / Failed: 2", "14/15
 * tests passed", "All 15 tests passed"), or null when it states neither. Errors count as
 * failures. Per-file counts (jest's "Test Suites:", vitest's "Test Files") give null.
 */
export function readSummaryCounts(line: string): TestCounts | null {
  const flat = line
    .toLowerCase()
    .replace(/[*_`#]+/g, ' ')
    .trim();
  // In a table row ("| Passed | 12 |") a bar sits between a label and its number; elsewhere
  // (vitest's "1 failed | 7 passed") it separates two counts.
  const text = flat.replace(/\|/g, flat.startsWith('|') ? ':' : ',');
  if (/^[:\s]*(?:test\s*files|test\s*suites|suites|snapshots?|files)\b/.test(text)) return null;
  const counts: Partial<Record<CountKey, number>> = {};
  const add = (key: CountKey | undefined, value: string | undefined): void => {
    const number = Number(value);
    // A run of digits too long to be a count is a hash or an id, not a summary.
    // The first count of a kind is the summary's; a later one is prose ("3 failed: fixing 3 failures").
    if (key !== undefined && counts[key] === undefined && Number.isSafeInteger(number)) counts[key] = number;
  };
  const all = /\ball\s+(\d+)\s+tests?\s+(?:passed|passing|pass)\b/.exec(text);
  const ratio = /(?<![\d.])(\d+)\s*(?:\/|of)\s*(\d+)\s+(?:tests?\s+)?(?:passed|passing)\b/.exec(text);
  const labelled = [
    ...text.matchAll(
      /(?<!\d\s*)\b(passed|passing|failed|failing|failures|errors|total|tests run|skipped)\s*[:=]\s*(\d+)(?![\w.%])/g,
    ),
  ];
  if (all) {
    add('passed', all[1]);
    add('failed', '0');
  } else if (ratio) {
    add('passed', ratio[1]);
    add('total', ratio[2]);
  } else if (labelled.length > 0) {
    // "Passed: 12 / Failed: 2"; a label followed by a number, never "12 failed" read across labels.
    for (const m of labelled) add(keyOf(m[1] ?? ''), m[2]);
  } else {
    for (const m of text.matchAll(/(?<![\d.])(\d+)\s+(?:tests?\s+)?([a-z]+)\b/g))
      add(keyOf(m[2] ?? ''), m[1]);
  }
  const { passed, total, skipped = 0, errors } = counts;
  if (passed === undefined && counts.failed === undefined) return null;
  const stated =
    counts.failed === undefined && errors === undefined ? undefined : (counts.failed ?? 0) + (errors ?? 0);
  if (passed !== undefined) {
    return { passed, failed: stated ?? (total === undefined ? 0 : Math.max(0, total - passed - skipped)) };
  }
  const failed = stated ?? 0;
  return { passed: total === undefined ? null : Math.max(0, total - failed - skipped), failed };
}

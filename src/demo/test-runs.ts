/**
 * @module
 * What each iteration of a simulated build's test-fix loop reports: for the default suite, three
 * failures, then one, then none (or still one, when the Test phase is made to fail).
 */
import { WEATHER_APP } from './story-weather-app.js';
import type { Story } from './story.js';

export type { TestCase } from './story.js';

/** One test in one iteration; `reason` says why it failed. */
export interface TestCaseResult {
  name: string;
  ok: boolean;
  reason?: string;
}

/** What one test iteration reports (`test-results-iteration-<N>.md`). */
export interface TestRun {
  iteration: number;
  results: readonly TestCaseResult[];
  passed: number;
  failed: number;
  /** What the self-healing step after this run works on; empty when nothing failed. */
  fixNote: string;
}

/**
 * The report of test iteration `iteration` of `story`'s suite. With `stuck`, the last bug
 * survives every fix, so the loop runs out of iterations.
 */
export function testRunFor(
  iteration: number,
  stuck = false,
  story: Pick<Story, 'suite' | 'fixNotes'> = WEATHER_APP,
): TestRun {
  const results = story.suite.map((test): TestCaseResult => {
    const fails =
      test.failsThrough !== undefined &&
      (iteration <= test.failsThrough || (stuck && test.failsThrough >= 2));
    return fails
      ? { name: test.name, ok: false, reason: test.reason ?? 'assertion did not hold' }
      : { name: test.name, ok: true };
  });
  const failed = results.filter((result) => !result.ok).length;
  return {
    iteration,
    results,
    passed: results.length - failed,
    failed,
    fixNote: failed === 0 ? '' : (story.fixNotes[iteration] ?? 'Fixing the remaining failures'),
  };
}

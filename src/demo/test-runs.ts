/**
 * @module
 * The test suite a simulated build runs and what each iteration of its test-fix loop reports:
 * three failures, then one, then none (or still one, when the Test phase is made to fail).
 */

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

interface TestCase {
  name: string;
  /** Why it fails while its bug is still there. */
  reason?: string;
  /** The last iteration in which it fails (always failing from iteration 1). */
  failsThrough?: number;
}

const SUITE: readonly TestCase[] = [
  { name: 'fetchForecast returns a 5-day forecast for a city' },
  { name: 'fetchForecast retries once on HTTP 503' },
  {
    name: 'parseForecast converts Kelvin to Celsius',
    reason: 'expected 21.4, received 294.55',
    failsThrough: 1,
  },
  {
    name: "parseForecast keeps the city's time zone",
    reason: 'expected "2026-11-20T09:00:00+01:00", received "2026-11-20T08:00:00Z"',
    failsThrough: 2,
  },
  { name: 'geocode resolves "Paris, FR" to coordinates' },
  { name: 'geocode rejects an empty query' },
  { name: 'cache answers a repeated query without a request' },
  { name: 'cache expires entries after 10 minutes' },
  { name: 'SearchBar submits on Enter' },
  {
    name: 'SearchBar shows a message for an unknown city',
    reason: 'no element with role "alert" was rendered',
    failsThrough: 1,
  },
  { name: 'ForecastCard renders the temperature and an icon' },
  { name: 'ForecastCard switches between °C and °F' },
  { name: 'App shows a spinner while loading' },
  { name: 'App remembers the last city searched' },
  { name: 'the API key is read from the environment, never bundled' },
];

/** Tests in the simulated suite. */
export const TEST_CASE_COUNT = SUITE.length;

const FIX_NOTES: Record<number, string> = {
  1: 'Fixing parseForecast unit conversion and the SearchBar error message',
  2: 'Fixing the time zone offset in parseForecast',
};

/**
 * The report of test iteration `iteration`. With `stuck`, the last bug survives every fix, so the
 * loop runs out of iterations.
 */
export function testRunFor(iteration: number, stuck = false): TestRun {
  const results = SUITE.map((test): TestCaseResult => {
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
    fixNote: failed === 0 ? '' : (FIX_NOTES[iteration] ?? 'Fixing the remaining failures'),
  };
}

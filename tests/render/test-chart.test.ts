import { describe, expect, it } from 'vitest';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import { MAX_ITERATIONS_DRAWN, stuckSentence } from '../../src/render/test-chart.js';
import { flat, makeMetrics, metricsFragment, svgWithClass, words } from './metrics-fixtures.js';

async function testsPanel(tests: SessionMetrics['tests']): Promise<{ panel: string; svg: string }> {
  const { body } = await metricsFragment(makeMetrics({ tests }));
  const folded = flat(body);
  const panel = folded.slice(folded.indexOf('id="metrics-tests"'));
  return { panel, svg: svgWithClass(panel, 'tests-chart') };
}

const values = (svg: string, kind: string): number[] =>
  [
    ...svg.matchAll(new RegExp(`<rect class="test-${kind}"[^>]*><title>Iteration \\d+: (\\d+) ${kind}`, 'g')),
  ].map((m) => Number(m[1]));

describe('test iterations chart', () => {
  it('draws a passed and a failed bar for every iteration, labelled with its number', async () => {
    const { svg } = await testsPanel(makeMetrics().tests);
    expect(svg).toContain('role="img"');
    expect(svg.match(/<g class="iteration[^"]*" data-iteration=/g)).toHaveLength(3);
    expect(values(svg, 'passed')).toEqual([9, 12, 13]);
    expect(values(svg, 'failed')).toEqual([6, 3, 2]);
    expect(words(svg)).toContain('#1 #2 #3');
    expect(svg).toContain('<g class="iteration current" data-iteration="3">');
    const desc = svg.match(/<desc id="tests-chart-desc">([^<]+)<\/desc>/)?.[1];
    expect(desc).toBe(
      'Tests per iteration. iteration 1: 9 passed, 6 failed; iteration 2: 12 passed, 3 failed; ' +
        'iteration 3: 13 passed, 2 failed.',
    );
  });

  it('says in plain words when the same tests keep failing', async () => {
    const { panel } = await testsPanel(makeMetrics().tests);
    expect(words(panel)).toContain(
      'The same 2 tests have failed for 3 iterations running: parseForecast converts units, cache expires.',
    );
    const iterations = [1, 2, 3, 4, 5].map((iteration) => ({
      iteration,
      passed: 10,
      failed: 1,
      failing: ['renders the forecast'],
    }));
    expect(stuckSentence({ iterations, current: 5, stuck: ['renders the forecast'] })).toBe(
      'The same test has failed for 5 iterations running: renders the forecast.',
    );
    const many = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(stuckSentence({ iterations: [], current: null, stuck: many })).toBe(
      'The same 6 tests have failed for 3 iterations running: a, b, c, d, and 2 more.',
    );
    expect(stuckSentence({ iterations, current: 5, stuck: [] })).toBeNull();
  });

  it('says nothing about stuck tests when none are stuck', async () => {
    const { panel } = await testsPanel({ ...makeMetrics().tests, stuck: [] });
    expect(panel).not.toContain('class="stuck"');
    expect(words(panel)).not.toContain('The same');
  });

  it('marks a count the results file did not give with a question mark, not a zero bar', async () => {
    const { svg } = await testsPanel({
      iterations: [{ iteration: 1, passed: 14, failed: null, failing: [] }],
      current: 1,
      stuck: [],
    });
    expect(values(svg, 'passed')).toEqual([14]);
    expect(values(svg, 'failed')).toEqual([]);
    expect(svg).toMatch(/<text class="bar-value unknown"[^>]*>\?<\/text>/);
    expect(svg).toContain('iteration 1: 14 passed, failed unknown');
  });

  it('draws only the latest iterations of a long loop, and says so', async () => {
    const iterations = Array.from({ length: 55 }, (_, i) => ({
      iteration: i + 1,
      passed: 40 + (i % 3),
      failed: 5,
      failing: [],
    }));
    const { panel, svg } = await testsPanel({ iterations, current: 55, stuck: [] });
    expect(svg.match(/<g class="iteration/g)).toHaveLength(MAX_ITERATIONS_DRAWN);
    expect(svg).toContain('data-iteration="55"');
    expect(svg).not.toContain('data-iteration="15"');
    expect(words(panel)).toContain(`Showing the last ${MAX_ITERATIONS_DRAWN} of 55 iterations.`);
  });

  it('has an honest empty state', async () => {
    const { panel, svg } = await testsPanel({ iterations: [], current: null, stuck: [] });
    expect(svg).toBe('');
    expect(words(panel)).toContain('No test results recorded for this build yet.');
  });
});

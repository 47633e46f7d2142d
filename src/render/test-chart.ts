/**
 * @module
 * Test-fix iterations (SPEC 5, session page): passed and failed tests per iteration as pairs of
 * bars, and a plain sentence when the same tests keep failing, the sign of a build going round
 * in circles.
 */
import type { SessionMetrics, TestIteration } from '../shared/metrics.js';
import { html, type SafeHtml } from './html.js';
import { bottomLabels, chartSvg, niceTicks, plotSize, px, valueAxis, type PlotArea } from './charts.js';

/** Only the latest iterations are drawn; a loop of hundreds would turn the bars into hairlines. */
export const MAX_ITERATIONS_DRAWN = 40;
/** Stuck tests named in the sentence before it says "and N more". */
const STUCK_NAMED = 4;
const AREA: PlotArea = { width: 560, height: 220, left: 44, right: 10, top: 18, bottom: 26 };
const count = (n: number): string => String(n);

/** The iterations in order, one per number (a later record of the same iteration wins). */
function orderedIterations(iterations: TestIteration[]): TestIteration[] {
  const byNumber = new Map<number, TestIteration>();
  for (const iteration of iterations) byNumber.set(iteration.iteration, iteration);
  return [...byNumber.values()].sort((a, b) => a.iteration - b.iteration);
}

/** The latest iteration with a known result, for the dashboard card. */
export function latestResult(metrics: SessionMetrics | null): TestIteration | null {
  if (metrics === null) return null;
  const known = orderedIterations(metrics.tests.iterations).filter(
    (iteration) => iteration.passed !== null || iteration.failed !== null,
  );
  return known[known.length - 1] ?? null;
}

/** How many iterations in a row, counting back from the latest, every stuck test has failed in. */
function stuckRun(iterations: TestIteration[], stuck: string[]): number {
  let run = 0;
  for (let i = iterations.length - 1; i >= 0; i--) {
    const failing = new Set(iterations[i]?.failing ?? []);
    if (!stuck.every((name) => failing.has(name))) break;
    run += 1;
  }
  // `stuck` means failing in at least the last three iterations, even when the lists are incomplete.
  return Math.max(3, run);
}

/** "The same 2 tests have failed for 3 iterations running: a, b." */
export function stuckSentence(tests: SessionMetrics['tests']): string | null {
  const stuck = [...new Set(tests.stuck)];
  if (stuck.length === 0) return null;
  const run = stuckRun(orderedIterations(tests.iterations), stuck);
  const named = stuck.slice(0, STUCK_NAMED).join(', ');
  const rest = stuck.length - STUCK_NAMED;
  const names = rest > 0 ? `${named}, and ${rest} more` : named;
  const subject = stuck.length === 1 ? 'The same test has' : `The same ${stuck.length} tests have`;
  return `${subject} failed for ${run} iterations running: ${names}.`;
}

function describe(iterations: TestIteration[]): string {
  const parts = iterations.map((it) => {
    const passed = it.passed === null ? 'passed unknown' : `${it.passed} passed`;
    const failed = it.failed === null ? 'failed unknown' : `${it.failed} failed`;
    return `iteration ${it.iteration}: ${passed}, ${failed}`;
  });
  return `Tests per iteration. ${parts.join('; ')}.`;
}

function chart(iterations: TestIteration[], current: number | null): SafeHtml {
  const { w, h } = plotSize(AREA);
  const max = Math.max(1, ...iterations.flatMap((it) => [it.passed ?? 0, it.failed ?? 0]));
  const ticks = niceTicks(max, 3, 1);
  const top = ticks[ticks.length - 1] ?? 1;
  const slot = w / iterations.length;
  const barWidth = Math.min(30, slot * 0.34);
  const base = AREA.top + h;
  const bar = (value: number | null, kind: 'passed' | 'failed', x: number, iteration: number): SafeHtml => {
    if (value === null) {
      return html`<text
        class="bar-value unknown"
        x="${px(x + barWidth / 2)}"
        y="${px(base - 4)}"
        text-anchor="middle"
        >?</text
      >`;
    }
    const height = (value / top) * h;
    return html`<rect
        class="test-${kind}"
        x="${px(x)}"
        y="${px(base - height)}"
        width="${px(barWidth)}"
        height="${px(height)}"
        ><title>Iteration ${iteration}: ${value} ${kind}</title></rect
      ><text class="bar-value" x="${px(x + barWidth / 2)}" y="${px(base - height - 4)}" text-anchor="middle"
        >${count(value)}</text
      >`;
  };
  const groups = iterations.map((it, i) => {
    const middle = AREA.left + slot * i + slot / 2;
    return html`<g
      class="${it.iteration === current ? 'iteration current' : 'iteration'}"
      data-iteration="${it.iteration}"
    >
      ${bar(it.passed, 'passed', middle - barWidth - 1, it.iteration)}
      ${bar(it.failed, 'failed', middle + 1, it.iteration)}
    </g>`;
  });
  const labels = iterations.map((it, i) => ({
    x: AREA.left + slot * i + slot / 2,
    text: iterations.length > 20 && i % 2 === 1 ? '' : `#${it.iteration}`,
    className: it.iteration === current ? 'current' : undefined,
  }));
  return chartSvg({
    id: 'tests-chart',
    className: 'tests-chart',
    width: AREA.width,
    height: AREA.height,
    title: 'Passed and failed tests per iteration',
    description: describe(iterations),
    body: html`${valueAxis(AREA, ticks, count)}${groups}${bottomLabels(AREA, labels)}`,
  });
}

/** The test iterations panel body: the chart and legend, the stuck-tests sentence, or an honest empty state. */
export function renderTestChart(tests: SessionMetrics['tests']): SafeHtml {
  const all = orderedIterations(tests.iterations);
  const shown = all.slice(-MAX_ITERATIONS_DRAWN);
  const sentence = stuckSentence(tests);
  const stuck =
    sentence !== null && html`<p class="stuck" data-stuck="${tests.stuck.length}">${sentence}</p>`;
  const currentLine =
    tests.current !== null && html`<p class="muted chart-note">Current iteration: ${tests.current}</p>`;
  if (shown.length === 0) {
    return html`${stuck}
      <p class="muted chart-empty">No test results recorded for this build yet.</p>
      ${currentLine}`;
  }
  const cut =
    all.length > shown.length &&
    html`<p class="muted chart-note">Showing the last ${shown.length} of ${all.length} iterations.</p>`;
  return html`${stuck}${chart(shown, tests.current)}
    <ul class="legend" aria-label="Test results">
      <li><span class="swatch test-passed" aria-hidden="true"></span>Passed</li>
      <li><span class="swatch test-failed" aria-hidden="true"></span>Failed</li>
    </ul>
    ${cut}${currentLine}`;
}

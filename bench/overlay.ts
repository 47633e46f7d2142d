/**
 * @module
 * Scenario 5, the stream overlay (SPEC 8: "phase file write to overlay repaint within debounce +
 * 50 ms at p99; heap flat for hours"). `buildcast demo` runs with its simulated builds, the bench
 * adds a build of its own to the demo's folder, and Chromium shows that build's corner overlay at
 * 480×270. Each rewrite of the build's phase file carries a marker in `progress_detail`; the page
 * notes when the marker reaches its DOM (a MutationObserver) and the animation frame that follows
 * (the repaint), and the bench reads both on its own clock, after a warm-up. With `--soak` it
 * goes on for the soak's length. The page's JS heap after a full collection, its DOM nodes and its listeners are
 * read at the start and at the end.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from './chromium.js';
import { serverCli, sleep, spawnChild, type Scope } from './lib.js';
import type { BenchOptions } from './options.js';
import { phaseJson } from './phase.js';
import { mb } from './proc-stats.js';
import { goal, info, type ScenarioResult } from './report.js';
import { LatencyHistogram } from './stats.js';

const PROJECT = 'bench-overlay';
/** Between writes: well past the debounce, so each write is one update the overlay can show. */
const WRITE_EVERY_MS = 400;
/**
 * Warm-up: enough updates, faster, for the page's code to be compiled and its caches filled, so
 * that the heap at the start is the heap of a page that has settled, not of one just loaded.
 */
const WARMUP_WRITES = 40;
const WARMUP_EVERY_MS = 150;

/** Hard limit of the scenario, in ms, from its options. */
export function overlayTimeoutMs(options: BenchOptions): number {
  return (overlaySeconds(options) + 90) * 1_000;
}

/** How long the overlay is written to: the soak's length with `--soak`, otherwise short. */
export function overlaySeconds(options: BenchOptions): number {
  if (options.soakGiven) return options.soakSeconds;
  return options.quick ? 20 : 60;
}

/** Milliseconds since the epoch, at sub-millisecond resolution, as the page reads its own. */
const epochNow = () => performance.timeOrigin + performance.now();

/** The page's clock minus the bench's, from the tightest of a few round trips. */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 15; i++) {
    const before = epochNow();
    const there = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = epochNow();
    if (after - before < best.rtt) best = { rtt: after - before, offset: there - (before + after) / 2 };
  }
  return best.offset;
}

/** Marks seen since the last call: `[marker, reached the DOM, next frame]`, page clock. */
const MARKS_SCRIPT = `(() => {
  const root = document.getElementById('overlay');
  window.benchMarks = [];
  let last = '';
  const observer = new MutationObserver(() => {
    const detail = document.querySelector('.ov-detail');
    const found = detail && /mark-(\\d+)/.exec(detail.textContent || '');
    if (!found || found[1] === last) return;
    last = found[1];
    const marker = found[1];
    const dom = performance.timeOrigin + performance.now();
    requestAnimationFrame(() => window.benchMarks.push([marker, dom, performance.timeOrigin + performance.now()]));
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  return root !== null;
})()`;

interface PageMemory {
  heapUsedBytes: number;
  nodes: number;
  listeners: number;
}

async function pageMemory(page: Page): Promise<PageMemory> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const counters = await cdp.send('Memory.getDOMCounters');
    return { heapUsedBytes: heap.usedSize, nodes: counters.nodes, listeners: counters.jsEventListeners };
  } finally {
    await cdp.detach();
  }
}

const growth = (start: number, end: number) => (start > 0 ? ((end - start) / start) * 100 : null);

/** Runs the demo, the bench's own build and the overlay in Chromium; measures, then stops it all. */
export async function runOverlay(
  options: BenchOptions,
  scope: Scope,
  progress: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const seconds = overlaySeconds(options);
  const dir = scope.tempDir('overlay');
  const file = path.join(dir, PROJECT, '.context-foundry', 'current-phase.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, phaseJson({ project: PROJECT, marker: 'start' }));
  const demo = await spawnChild(
    serverCli,
    ['demo', '--port', '0', '--dir', dir, '--db', path.join(scope.tempDir('overlay-db'), 'demo.db')].concat([
      '--debounce',
      String(options.debounceMs),
      '--claude-dir',
      scope.tempDir('claude'),
    ]),
    scope,
    { ready: /^buildcast listening on (http:\/\/\S+)$/ },
  );

  const browser = await launchBrowser();
  scope.defer(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 480, height: 270 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${demo.url}/overlay?session=project:${PROJECT}&layout=corner`);
  await page.locator('body[data-conn="live"]').waitFor({ timeout: 30_000 });
  await page.locator('.ov-project', { hasText: PROJECT }).waitFor({ timeout: 30_000 });
  if (!(await page.evaluate(MARKS_SCRIPT))) throw new Error('the overlay page has no #overlay root');
  const offset = await clockOffset(page);
  progress(
    `overlay: corner layout in Chromium against the demo, ${seconds} s of writes every ${WRITE_EVERY_MS} ms`,
  );

  const written = new Map<string, number>();
  const repaint = new LatencyHistogram(0.1, 10_000);
  const dom = new LatencyHistogram(0.1, 10_000);
  let seen = 0;
  const collect = async () => {
    const marks = (await page.evaluate('window.benchMarks.splice(0)')) as Array<[string, number, number]>;
    for (const [marker, domAt, paintAt] of marks) {
      const at = written.get(marker);
      if (at === undefined) continue;
      written.delete(marker);
      seen++;
      dom.record(domAt - offset - at);
      repaint.record(paintAt - offset - at);
    }
  };

  let memoryStart: PageMemory | null = null;
  const total = WARMUP_WRITES + Math.floor((seconds * 1_000) / WRITE_EVERY_MS);
  for (let k = 0; k < total && !scope.signal.aborted; k++) {
    // The warm-up's writes are never in `written`, so their marks are not measured.
    if (k === WARMUP_WRITES) {
      await collect();
      memoryStart = await pageMemory(page);
    }
    const marker = `mark-${k}`;
    const text = phaseJson({ project: PROJECT, marker });
    const at = epochNow();
    if (k >= WARMUP_WRITES) written.set(String(k), at);
    writeFileSync(file, text);
    await sleep(k < WARMUP_WRITES ? WARMUP_EVERY_MS : WRITE_EVERY_MS);
    if (k % 10 === 9) await collect();
  }
  await sleep(1_500);
  await collect();
  const measured = total - WARMUP_WRITES;
  const memoryEnd = await pageMemory(page);
  await page.close();
  await demo.stop();

  const start = memoryStart ?? memoryEnd;
  const summary = repaint.summary();
  const debounce = options.debounceMs;
  return {
    name: `overlay: corner layout in Chromium against a running demo, a write every ${WRITE_EVERY_MS} ms for ${seconds} s, debounce ${debounce} ms`,
    seconds: (performance.now() - started) / 1000,
    figures: [
      info('write->repaint p50', summary.p50, 'ms'),
      info('write->repaint p95', summary.p95, 'ms'),
      goal('write->repaint p99', summary.p99, 'ms', '<=', debounce + 50),
      info('write->repaint max', summary.max, 'ms'),
      info('write->DOM p50', dom.summary().p50, 'ms'),
      info('writes measured', measured, ''),
      goal('writes never shown', measured - seen, '', '<=', 0),
      info('page JS heap after GC, start', mb(start.heapUsedBytes), 'MB'),
      info('page JS heap after GC, end', mb(memoryEnd.heapUsedBytes), 'MB'),
      goal('page JS heap growth', growth(start.heapUsedBytes, memoryEnd.heapUsedBytes), '%', '<=', 5),
      info('DOM nodes, start', start.nodes, ''),
      info('DOM nodes, end', memoryEnd.nodes, ''),
      goal('DOM node growth', memoryEnd.nodes - start.nodes, '', '<=', 0),
      info('event listeners, start', start.listeners, ''),
      info('event listeners, end', memoryEnd.listeners, ''),
      goal('page errors', errors.length, '', '<=', 0),
    ],
    details: {
      offsetMs: offset,
      repaint: summary,
      dom: dom.summary(),
      memoryStart: start,
      memoryEnd,
      errors,
    },
  };
}

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import { createPageRoutes } from '../../src/server/pages.js';
import { ArrayReader, makeSession, span } from './fixtures.js';
import {
  counts,
  flat,
  makeMetrics,
  metricsFragment,
  metricsPages,
  svgWithClass,
  words,
} from './metrics-fixtures.js';

const ID = 'weather-app-20261120T140211Z';

/** Page routes whose metrics source answers with whatever `current` returns at the time. */
function createPageRoutesWith(current: () => SessionMetrics) {
  return createPageRoutes({
    reader: new ArrayReader([makeSession()]),
    clock: new FakeClock('2026-11-20T14:00:00Z'),
    packageRoot: process.cwd(),
    metrics: () => current(),
  });
}

/** The part of the section from the panel with this id to the next panel. */
function panel(body: string, id: string): string {
  const folded = flat(body);
  const start = folded.lastIndexOf('<section', folded.indexOf(`id="${id}"`));
  if (start < 0 || !folded.includes(`id="${id}"`)) return '';
  const next = folded.indexOf('<section class="panel', start + 1);
  return folded.slice(start, next < 0 ? undefined : next);
}

describe('metrics fragment', () => {
  it('is its own section that refreshes on bc:metrics, and 404s for an unknown session', async () => {
    const { app, asked } = metricsPages([makeSession()], { [ID]: makeMetrics() });
    const res = await app.request(`/fragments/sessions/${ID}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self'");
    const body = await res.text();
    expect(body.trim()).toMatch(/^<section\s+id="session-metrics"/);
    expect(flat(body)).toContain(
      `data-session-id="${ID}" data-tokens="${makeMetrics().tokens.total}" hx-get="/fragments/sessions/${ID}/metrics" hx-trigger="bc:metrics" hx-swap="outerHTML"`,
    );
    expect(body).not.toContain('<html');
    expect(asked).toEqual([ID]);
    const missing = await app.request('/fragments/sessions/nope/metrics');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('');
  });

  it('draws the metrics as they are when asked, so each bc:metrics refresh shows the latest', async () => {
    let current = makeMetrics();
    const live = createPageRoutesWith(() => current);
    const first = await (await live.request(`/fragments/sessions/${ID}/metrics`)).text();
    current = makeMetrics({ tests: { ...current.tests, stuck: [] } });
    current.tests.iterations.push({ iteration: 4, passed: 15, failed: 0, failing: [] });
    const second = await (await live.request(`/fragments/sessions/${ID}/metrics`)).text();
    expect(first).toContain('class="stuck"');
    expect(second).not.toContain('class="stuck"');
    expect(svgWithClass(second, 'tests-chart')).toContain('data-iteration="4"');
  });

  it('is part of the session page and of its live detail fragment', async () => {
    const { app } = metricsPages([makeSession()], { [ID]: makeMetrics() });
    for (const url of [`/sessions/${ID}`, `/fragments/sessions/${ID}/detail`]) {
      const body = await (await app.request(url)).text();
      expect(body, url).toContain('id="session-metrics"');
      expect(svgWithClass(body, 'token-chart'), url).not.toBe('');
      // After the timeline, before the warnings.
      expect(body.indexOf('id="timeline"')).toBeLessThan(body.indexOf('id="session-metrics"'));
      expect(body.indexOf('id="session-metrics"')).toBeLessThan(body.indexOf('id="warnings"'));
    }
  });

  it('shows the totals: tokens by type, cost, requests and the subagents share', async () => {
    const metrics = makeMetrics();
    metrics.tokens.costUsd = 5.12;
    const { body } = await metricsFragment(metrics);
    expect(words(panel(body, 'metrics-totals'))).toBe(
      'Tokens and cost Total tokens 1.1M Input 63.6k Output 47.7k Cache write 84k Cache read 954k ' +
        'Cost $5.12 Requests 34 Subagents 6% (67.5k)',
    );
  });

  it('says the cost is unknown, and why, when a model has no known price', async () => {
    const { body } = await metricsFragment(makeMetrics());
    const totals = words(panel(body, 'metrics-totals'));
    expect(totals).toContain('Cost Unknown');
    expect(totals).toContain(
      'Cost unknown: buildcast has no price for claude-haiku-9-20990101, and does not guess one.',
    );
    expect(totals).not.toMatch(/Cost \$/);
    const byModel = panel(body, 'metrics-by-model');
    expect(words(byModel)).toBe(
      'By model Model Requests Tokens Cost claude-sonnet-4-5-20250929 29 1.1M $1.87 ' +
        'claude-haiku-9-20990101 5 44k unknown price',
    );
  });

  it('shows tokens and cost per phase as bars and a table, in the order the phases ran', async () => {
    const metrics = makeMetrics();
    metrics.tokens.byPhase.reverse();
    const { body } = await metricsFragment(metrics);
    const byPhase = panel(body, 'metrics-by-phase');
    const svg = svgWithClass(byPhase, 'phase-chart');
    expect(svg.match(/<g class="phase-bar"/g)).toHaveLength(5);
    expect([...svg.matchAll(/<g class="phase-bar" data-phase="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'Scout',
      'Architect',
      'Builder',
      'Test',
      'Outside any phase',
    ]);
    // Each bar is split by token type, like the chart over time.
    expect(svg.match(/<rect class="tk-cacheRead"/g)).toHaveLength(5);
    const table = byPhase.slice(byPhase.indexOf('<table'));
    expect(words(table)).toBe(
      'Phase Tokens Cost Share Scout 336k $1.51 29% Architect 167k $0.75 15% Builder 324k $1.46 28% ' +
        'Test 324k cost unknown 28% Outside any phase 5.1k $0.02 <1%',
    );
  });

  it('adds up a phase that ran more than once into one row, its cost unknown if any run is', async () => {
    const metrics = makeMetrics();
    const test = metrics.tokens.byPhase[3]!;
    metrics.tokens.byPhase.splice(2, 0, { ...counts(1_000, 500, 0, 8_500, 0.05, 2), phase: 'Test' });
    const { body } = await metricsFragment(metrics);
    const byPhase = panel(body, 'metrics-by-phase');
    expect(byPhase.match(/<tr data-phase="Test">/g)).toHaveLength(1);
    expect(byPhase).toContain(`data-phase="Test" data-total="${test.total + 10_000}"`);
    expect(words(byPhase)).toContain('Test 334k cost unknown');
  });

  it('shows the context window as a gauge coloured by level, with used and limit', async () => {
    const gauge = async (percent: number | null, level: SessionMetrics['context']['level']) => {
      const metrics = makeMetrics();
      metrics.context = {
        ...metrics.context,
        percent,
        level,
        usedTokens: percent === null ? null : percent * 2000,
      };
      return panel((await metricsFragment(metrics)).body, 'metrics-context');
    };
    const warning = await gauge(62, 'warning');
    expect(warning).toContain('class="gauge gauge-warning" data-level="warning" data-percent="62"');
    expect(warning).toMatch(
      /<path class="gauge-value level-warning" d="M 20 100 A 80 80 0 0 1 [\d.]+ [\d.]+">/,
    );
    expect(words(warning)).toContain('62% 124k of 200k tokens claude-sonnet-4-5-20250929');
    expect(warning).toContain(
      'Context window 62% full (filling up): 124k of 200k tokens, claude-sonnet-4-5-20250929',
    );
    expect(await gauge(20, 'safe')).toContain('gauge-value level-safe');
    expect(await gauge(91, 'critical')).toContain('gauge-value level-critical');
    // A level the metrics leave out follows the thresholds: under 50 % safe, under 75 % warning.
    expect(await gauge(49, null)).toContain('data-level="safe"');
    expect(await gauge(74, null)).toContain('data-level="warning"');
    expect(await gauge(75, null)).toContain('data-level="critical"');
    const noLimit = makeMetrics();
    noLimit.context = { ...noLimit.context, limit: null, percent: null, level: null };
    expect(words(panel((await metricsFragment(noLimit)).body, 'metrics-context'))).toBe(
      'Context window — 124k tokens in context; the context window of claude-sonnet-4-5-20250929 is not known.',
    );
    const unknown = await gauge(null, null);
    expect(unknown).not.toContain('<svg');
    expect(words(unknown)).toBe('Context window — Context window use is not known yet.');
  });

  it('says honestly that no tokens are recorded, and where buildcast looks for them', async () => {
    for (const metrics of [
      null,
      makeMetrics({ tokens: { ...makeMetrics().tokens, ...counts(0, 0, 0, 0, null, 0) } }),
    ]) {
      const { body } = await metricsFragment(metrics);
      expect(words(body)).toContain(
        'No token usage recorded for this build yet. buildcast reads Claude Code transcripts from ' +
          '~/.claude/projects and OpenTelemetry sent to /v1/logs.',
      );
      expect(body).not.toContain('metrics-over-time');
      expect(body).not.toContain('metrics-by-model');
    }
    const { body } = await metricsFragment(null);
    expect(words(panel(body, 'metrics-context'))).toContain('—');
    expect(words(panel(body, 'metrics-tests'))).toContain('No test results recorded for this build yet.');
    expect(body).not.toContain('<svg');
  });

  it('never uses a style attribute, which the page CSP would block', async () => {
    const { app } = metricsPages([makeSession()], { [ID]: makeMetrics() });
    for (const url of [`/sessions/${ID}`, `/fragments/sessions/${ID}/metrics`, '/', '/fragments/backfill']) {
      const body = await (await app.request(url)).text();
      expect(body, url).not.toMatch(/\sstyle\s*=/i);
      expect(body, url).not.toMatch(/<style/i);
    }
  });
});

describe('metrics from an untrusted build', () => {
  const evil = '<script>alert(1)</script>';
  const session = makeSession({
    phases: [
      span('"><img src=x onerror=alert(2)>', '1/7', 1, '2026-11-20T13:40:00Z', '2026-11-20T13:50:00Z'),
      span(evil, '2/7', 2, '2026-11-20T13:50:00Z', null),
    ],
  });
  const metrics = makeMetrics();
  metrics.tokens.byPhase[0]!.phase = '"><img src=x onerror=alert(2)>';
  metrics.tokens.byPhase[1]!.phase = evil;
  metrics.tokens.byModel[1]!.model = '<iframe src=javascript:alert(3)>';
  metrics.context.model = '<svg onload=alert(4)>';
  metrics.tests.stuck = ['<b onmouseover=alert(5)>parses</b>', evil];
  metrics.tests.iterations[2]!.failing = [...metrics.tests.stuck];
  metrics.tests.iterations[1]!.failing = [...metrics.tests.stuck];

  it('escapes phase, model and test names everywhere they appear', async () => {
    const { body } = await metricsFragment(metrics, session);
    for (const bad of ['<script', '<img', '<iframe', '<svg onload', '<b onmouseover']) {
      expect(body, bad).not.toContain(bad);
    }
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).toContain('data-phase="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"');
    expect(body).toContain('&lt;iframe src=javascript:alert(3)&gt;');
    expect(words(body)).toContain(
      `The same 2 tests have failed for 3 iterations running: <b onmouseover=alert(5)>parses</b>, ${evil}.`,
    );
  });
});

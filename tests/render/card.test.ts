import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { Session } from '../../src/shared/protocol.js';
import { createPageRoutes } from '../../src/server/pages.js';
import { ArrayReader, makeAgent, makeSession, span } from './fixtures.js';
import { makeMetrics, metricsPages, words } from './metrics-fixtures.js';

const packageRoot = process.cwd();

async function card(session: Session, now = '2026-11-20T14:00:00Z'): Promise<string> {
  const app = createPageRoutes({
    reader: new ArrayReader([session]),
    clock: new FakeClock(now),
    packageRoot,
  });
  const res = await app.request(`/fragments/cards/${session.id}`);
  expect(res.status).toBe(200);
  return res.text();
}

const text = (markup: string): string =>
  markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('session card', () => {
  it('is one article that refreshes itself on bc:session', async () => {
    const body = await card(makeSession());
    expect(body.trim()).toMatch(/^<article/);
    expect(body).toContain('id="card-weather-app-20261120T140211Z"');
    expect(body).toContain('class="card state-running"');
    expect(body).toContain('data-state="running"');
    expect(body).toContain('hx-get="/fragments/cards/weather-app-20261120T140211Z"');
    expect(body).toContain('hx-trigger="bc:session"');
    expect(body).toContain('hx-swap="outerHTML"');
  });

  it('shows the project, state, phase, activity, progress, iteration, tokens, cost and source', async () => {
    const body = await card(makeSession());
    expect(body).toContain('<a href="/sessions/weather-app-20261120T140211Z">weather-app</a>');
    expect(body).toContain('class="badge badge-running"');
    const words = text(body);
    expect(words).toContain('Test 4/7 testing');
    expect(words).toContain('Running unit tests (iteration 2)');
    expect(body).toContain('<progress class="bar" max="100" value="57"');
    expect(words).toContain('57%');
    expect(words).toContain('Test iteration 2');
    expect(words).toContain('Tokens 12.3k');
    expect(words).toContain('Cost $0.42');
    expect(body).toContain('class="source source-live"');
  });

  it('draws the phase pipeline with durations for done phases', async () => {
    const body = await card(makeSession());
    const segments = [
      ...body.matchAll(/class="seg seg-(\w+)[^"]*"[\s\S]*?<span class="seg-name">([^<]+)</g),
    ].map((match) => `${match[2]}:${match[1]}`);
    expect(segments.slice(0, 5)).toEqual([
      'Scout:done',
      'Architect:done',
      'Builder:done',
      'Test:current',
      'Screenshot:upcoming',
    ]);
    expect(body).not.toContain('Codebase Analysis');
    expect(body).toContain('title="Scout: done in 4m 12s"');
    expect(body).toContain('<span class="elapsed" data-since="2026-11-20T13:55:00Z">5m 00s</span>');
  });

  it('stamps freshness with the server clock, green, yellow or red by age', async () => {
    const fresh = await card(makeSession({ updatedAt: '2026-11-20T13:59:57Z' }));
    expect(fresh).toMatch(/class="fresh fresh-green"\s+data-fresh="2026-11-20T13:59:57Z"/);
    expect(text(fresh)).toContain('Updated 3s ago');
    const older = await card(makeSession({ updatedAt: '2026-11-20T13:59:48Z' }));
    expect(older).toContain('fresh-yellow');
    expect(text(older)).toContain('Updated 12s ago');
    const stale = await card(makeSession({ updatedAt: '2026-11-20T13:58:00Z', state: 'stalled' }));
    expect(stale).toContain('fresh-red');
    expect(text(stale)).toContain('Updated 2m ago');
    expect(stale).toContain('class="badge badge-stalled"');
    expect(text(fresh)).toContain('Running for 20m 00s');
  });

  it('says when a finished build finished, in the neutral stamp, however long ago', async () => {
    for (const state of ['completed', 'failed'] as const) {
      const ended = { state, updatedAt: '2026-11-20T13:57:00Z', endedAt: '2026-11-20T13:57:00Z' };
      const body = await card(makeSession(ended));
      expect(body).toMatch(/class="fresh fresh-ended"\s+data-ended="2026-11-20T13:57:00Z"/);
      expect(body).not.toMatch(/fresh-(green|yellow|red)|data-fresh=/);
      expect(text(body)).toContain('Finished 3m ago');
      expect(text(await card(makeSession(ended), '2026-11-22T14:00:00Z'))).toContain('Finished 2d ago');
    }
  });

  it('says "—" for unknown tokens, cost, iteration and progress', async () => {
    const words = text(
      await card(
        makeSession({ tokensTotal: null, costUsd: null, testIteration: null, progressPercent: null }),
      ),
    );
    expect(words).toContain('Tokens —');
    expect(words).toContain('Cost —');
    expect(words).toContain('Test iteration —');
  });

  it('shows a warnings badge only when the session has warnings', async () => {
    expect(await card(makeSession())).not.toContain('badge-warn');
    const warned = await card(
      makeSession({
        warnings: [
          {
            file: '/w/.context-foundry/current-phase.json',
            reason: 'invalid JSON',
            at: '2026-11-20T13:59:00Z',
          },
          {
            file: '/w/.context-foundry/session-summary.json',
            reason: 'empty file',
            at: '2026-11-20T13:59:00Z',
          },
        ],
      }),
    );
    expect(warned).toMatch(
      /class="badge badge-warn" href="\/sessions\/weather-app-20261120T140211Z#warnings"/,
    );
    expect(text(warned)).toContain('2 warnings');
  });

  it('shows a finished build as completed with how long it took, no ticking counter', async () => {
    const body = await card(
      makeSession({
        state: 'completed',
        activity: 'completed',
        currentPhase: 'Feedback',
        endedAt: '2026-11-20T13:59:00Z',
        phases: [span('Scout', '1/7', 1, '2026-11-20T13:40:00Z', '2026-11-20T13:59:00Z')],
      }),
    );
    expect(body).toContain('class="card state-completed"');
    expect(text(body)).toContain('Took 19m 00s');
    expect(body).not.toMatch(/<dd><span class="elapsed" data-since/);
  });

  it('says the cost is unknown when tokens are counted but a model has no known price', async () => {
    const words = text(await card(makeSession({ tokensTotal: 80_000, costUsd: null })));
    expect(words).toContain('Tokens 80k');
    expect(words).toContain('Cost unknown');
  });
});

describe('session card with metrics', () => {
  const running = makeSession({ id: 'run-1' });
  const finished = makeSession({
    id: 'done-1',
    state: 'completed',
    endedAt: '2026-11-20T13:59:00Z',
    updatedAt: '2026-11-20T13:59:00Z',
  });
  const byId = {
    'run-1': makeMetrics({ sessionId: 'run-1' }),
    'done-1': makeMetrics({ sessionId: 'done-1' }),
  };

  it('shows the latest test result of a running build under its iteration', async () => {
    const { app } = metricsPages([running], byId);
    const body = await (await app.request('/fragments/cards/run-1')).text();
    expect(text(body)).toContain('Test iteration 2 13 ✓ passed 2 ✗ failed');
    expect(body).toMatch(/<span class="pass"\s*>13<span aria-hidden="true"> ✓<\/span>/);
    expect(body).toMatch(/<span class="fail"\s*>2<span aria-hidden="true"> ✗<\/span>/);
  });

  it('asks for metrics only for cards of builds still running, so long lists stay fast', async () => {
    const { app, asked } = metricsPages([running, finished], byId);
    const all = await (await app.request('/fragments/sessions?tab=all')).text();
    expect(asked).toEqual(['run-1']);
    const finishedCard = all.slice(all.indexOf('id="card-done-1"'));
    expect(finishedCard).not.toContain('test-result');
    expect(all).toContain('class="test-result"');
  });

  it('leaves the iteration alone when the latest result has no counts', async () => {
    const metrics = makeMetrics({
      tests: {
        iterations: [{ iteration: 1, passed: null, failed: null, failing: [] }],
        current: 1,
        stuck: [],
      },
    });
    const { app } = metricsPages([running], { 'run-1': metrics });
    const body = await (await app.request('/fragments/cards/run-1')).text();
    expect(body).not.toContain('test-result');
    expect(text(body)).toContain('Test iteration 2');
  });
});

describe('session card: blocked pipeline and agents', () => {
  it('marks the failed phase and every phase it blocked, and says so in words', async () => {
    const body = await card(
      makeSession({ state: 'failed', activity: 'failed', endedAt: '2026-11-20T13:59:00Z' }),
    );
    const segments = [
      ...body.matchAll(/class="seg seg-(\w+)[^"]*"[\s\S]*?<span class="seg-name">([^<]+)</g),
    ].map((match) => `${match[2]}:${match[1]}`);
    expect(segments.slice(3)).toEqual([
      'Test:failed',
      'Screenshot:blocked',
      'Documentation:blocked',
      'Deploy:blocked',
      'Feedback:blocked',
      'GitHub Integration:blocked',
    ]);
    expect(body).toContain('title="Deploy: blocked (Test failed)"');
    expect(text(body)).toContain('Test failed · 5 phases blocked');
    expect(await card(makeSession())).not.toContain('pipeline-note');
  });

  it('sums up the agents of a running build, and asks for none for finished ones', async () => {
    const asked: string[] = [];
    const running = makeSession({ id: 'run-1' });
    const finished = makeSession({
      id: 'done-1',
      state: 'completed',
      endedAt: '2026-11-20T13:59:00Z',
      updatedAt: '2026-11-20T13:59:00Z',
    });
    const app = createPageRoutes({
      reader: new ArrayReader([running, finished]),
      clock: new FakeClock('2026-11-20T14:00:00Z'),
      packageRoot,
      agents: (id) => {
        asked.push(id);
        return [
          makeAgent({ id: 'a', sessionId: id }),
          makeAgent({ id: 'b', sessionId: id }),
          makeAgent({ id: 'c', sessionId: id, status: 'failed', error: 'boom' }),
        ];
      },
    });
    const all = await (await app.request('/fragments/sessions?tab=all')).text();
    expect(asked).toEqual(['run-1']);
    const runningCard = all.slice(
      all.indexOf('id="card-run-1"'),
      all.indexOf('</article>', all.indexOf('id="card-run-1"')),
    );
    expect(words(runningCard)).toContain('3 agents: 2 active, 1 failed');
    expect(runningCard).toContain('class="agents-count agents-failed"');
    const finishedCard = all.slice(all.indexOf('id="card-done-1"'));
    expect(finishedCard.slice(0, finishedCard.indexOf('</article>'))).not.toContain('card-agents');
  });

  it('shows no agents line when the build has reported none', async () => {
    const app = createPageRoutes({
      reader: new ArrayReader([makeSession()]),
      clock: new FakeClock('2026-11-20T14:00:00Z'),
      packageRoot,
      agents: () => [],
    });
    const body = await (await app.request('/fragments/cards/weather-app-20261120T140211Z')).text();
    expect(body).not.toContain('card-agents');
  });
});

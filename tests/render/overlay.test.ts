/**
 * The overlay's markup: a document of its own with nothing to click and nothing inline, a root
 * that tells the client what it shows, the panels asked for, and build text always escaped.
 */
import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import { parseOverlayParams, type OverlayParams } from '../../src/shared/overlay-params.js';
import { plannedPhases } from '../../src/server/pages.js';
import { renderOverlayPage, renderOverlayRoot, type OverlayView } from '../../src/render/overlay.js';
import { makeAgent, makeLogLine, makeSession } from './fixtures.js';

const NOW = Date.parse('2026-11-20T14:00:00Z');

const params = (query = ''): OverlayParams => {
  const search = new URLSearchParams(query);
  return parseOverlayParams((name) => search.get(name));
};

function view(
  query = '',
  session: Session | null = makeSession(),
  extra: Partial<OverlayView> = {},
): OverlayView {
  return {
    params: params(query),
    session,
    plan: session === null ? [] : plannedPhases(session, null),
    tests: { iteration: 2, passed: 12, failed: 2, failing: ['forecast parses wind'] },
    agents: [makeAgent(), makeAgent({ id: 'tester-1', name: 'Tester', status: 'failed' })],
    logs: [1, 2, 3, 4].map((seq) => makeLogLine(seq, `\u001b[32mline ${seq}\u001b[0m`)),
    ...extra,
  };
}

const text = (markup: string): string =>
  markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('overlay page', () => {
  it('is a document of its own: its stylesheet, one module script, no links, nothing inline', () => {
    const page = renderOverlayPage(view('layout=lower-third&theme=light&scale=1.5'), NOW).toString();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<link rel="stylesheet" href="/assets/overlay.css" />');
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<script type="module" src="/assets/client/overlay.js"></script>');
    expect(page).toMatch(/class="overlay layout-lower-third theme-light scale-150"/);
    expect(page).not.toMatch(/<a\s|style=|<style|\son[a-z]+=|htmx/);
    expect(page).toContain('<title>weather-app · buildcast overlay</title>');
  });

  it('marks its root with what it follows and what its moments are made of', () => {
    const root = renderOverlayRoot(view('session=project:weather-app'), NOW).toString();
    expect(root).toMatch(/^<div\s+id="overlay"/);
    for (const attribute of [
      'data-follow="project"',
      'data-session-id="weather-app-20261120T140211Z"',
      'data-project="weather-app"',
      'data-started-at="2026-11-20T13:40:00Z"',
      'data-state="running"',
      'data-phase="Test"',
      'data-tests="failing"',
    ])
      expect(root).toContain(attribute);
  });

  it('shows the phase, pipeline, tests, tokens, cost, elapsed time and freshness in the corner', () => {
    const shown = text(renderOverlayRoot(view(), NOW).toString());
    expect(shown).toContain('weather-app Running 20m 00s');
    expect(shown).toContain('Test 4/7 testing Running unit tests (iteration 2)');
    expect(shown).toContain('57%');
    expect(shown).toContain('Tests ✓ 12 ✗ 2 iteration 2 Tokens 12.3k Cost $0.42');
    expect(shown).toContain('Updated 3s ago');
    expect(shown).not.toContain('agents');
    expect(shown).not.toContain('line 1');
  });

  it('draws only the panels asked for, in their own order', () => {
    const root = renderOverlayRoot(view('panels=cost,phase'), NOW).toString();
    expect(root).toContain('ov-phase');
    expect(root).toContain('ov-cost');
    for (const absent of ['ov-pipeline', 'ov-tests', 'ov-tokens', 'ov-agents', 'ov-log'])
      expect(root).not.toContain(absent);
  });

  it('lists agents and more log lines on the scoreboard, as plain text with keys', () => {
    const root = renderOverlayRoot(view('layout=full'), NOW).toString();
    expect(text(root)).toContain('2 agents: 1 active , 1 failed');
    expect(root).toContain('data-key="tester-1"');
    expect(root.match(/class="ov-log-line/g)).toHaveLength(4);
    expect(root).toContain('data-key="4"');
    expect(root).not.toContain('\u001b');
    expect(text(root)).toContain('line 4');
    expect(renderOverlayRoot(view('layout=ticker&panels=log'), NOW).toString()).not.toContain('ov-log');
  });

  it('says what it waits for while there is no build', () => {
    expect(text(renderOverlayRoot(view('', null), NOW).toString())).toBe('buildcast Waiting for a build…');
    expect(text(renderOverlayRoot(view('session=project:todo-api', null), NOW).toString())).toBe(
      'buildcast Waiting for a build of todo-api…',
    );
    const byId = renderOverlayRoot(view('session=todo-1', null), NOW).toString();
    expect(byId).toContain('data-follow="id"');
    expect(byId).toContain('data-session-id="todo-1"');
    expect(byId).toContain('data-project="todo-1"');
  });

  it('escapes whatever a build writes', () => {
    const hostile = makeSession({ project: '<b>x</b>', progressDetail: '<img src=x onerror=alert(1)>' });
    const root = renderOverlayRoot(view('', hostile), NOW).toString();
    expect(root).not.toContain('<img');
    expect(root).not.toContain('<b>x');
    expect(root).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('marks tests that all pass, and tests not run yet', () => {
    const passing = renderOverlayRoot(
      view('', makeSession(), { tests: { iteration: 3, passed: 14, failed: 0, failing: [] } }),
      NOW,
    );
    expect(passing.toString()).toContain('data-tests="passing"');
    expect(renderOverlayRoot(view('', makeSession(), { tests: null }), NOW).toString()).toContain(
      'data-tests="none"',
    );
  });
});

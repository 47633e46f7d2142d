import { describe, expect, it } from 'vitest';
import type { BuildTask } from '../../src/collector/types.js';
import type { Session } from '../../src/shared/protocol.js';
import { renderPlan } from '../../src/render/plan-table.js';
import { plannedPhases } from '../../src/server/pages.js';
import { makeSession, span } from './fixtures.js';
import { flat, words } from './metrics-fixtures.js';

const NOW = Date.parse('2026-11-20T14:00:00Z');

function plan(session: Session, tasks: BuildTask[] | null = null): string {
  return flat(renderPlan(plannedPhases(session, tasks), session, NOW).toString());
}

/** The `<tr>` of one phase, as flat markup. */
function row(markup: string, phase: string): string {
  const at = markup.indexOf(`data-phase="${phase}"`);
  if (at < 0) return '';
  return markup.slice(markup.lastIndexOf('<tr', at), markup.indexOf('</tr>', at) + '</tr>'.length);
}

const task = (id: string, status: BuildTask['status'], dependsOn: string[] = []): BuildTask => ({
  id,
  name: `Build ${id}`,
  status,
  dependsOn,
  files: [],
  agent: null,
  error: null,
});

describe('phase plan table', () => {
  it('shows each phase with a status badge, start, end and duration, the running one ticking', () => {
    const markup = plan(makeSession());
    expect(words(row(markup, 'Scout'))).toBe('Scout 1/7 Done 13:40:00 13:44:12 4m 12s');
    expect(row(markup, 'Scout')).toContain('<tr class="t-row t-completed" data-status="completed"');
    expect(row(markup, 'Test')).toContain(
      '<span class="pill pill-running" data-status="running">Running</span>',
    );
    expect(row(markup, 'Test')).toContain(
      '<span class="elapsed" data-since="2026-11-20T13:55:00Z">5m 00s</span>',
    );
    expect(words(row(markup, 'Deploy'))).toBe('Deploy 6/8 Queued — — —');
  });

  it('says why a phase is blocked, next to its badge', () => {
    const failed = makeSession({ state: 'failed', activity: 'failed', endedAt: '2026-11-20T14:00:00Z' });
    const markup = plan(failed);
    expect(row(markup, 'Test')).toContain('data-status="failed"');
    // A build that has ended ticks nothing.
    expect(markup).not.toContain('data-since');
    const deploy = row(markup, 'Deploy');
    expect(deploy).toContain('<tr class="t-row t-blocked" data-status="blocked"');
    expect(deploy).toContain(
      '<span class="pill pill-blocked" data-status="blocked">Blocked</span> <span class="plan-reason">Test failed</span>',
    );
  });

  it('marks skipped phases "not run" and the optional ones as optional', () => {
    const markup = plan(
      makeSession({
        phasesCompleted: ['Scout', 'Architect', 'Builder', 'Test'],
        phases: [],
        currentPhase: 'Documentation',
        phaseNumber: '5/8',
        phaseIndex: 5,
      }),
    );
    expect(words(row(markup, 'Screenshot'))).toBe('Screenshot 4.5/8 Skipped not run — — —');
    expect(words(row(markup, 'GitHub Integration'))).toBe('GitHub Integration 7.5/8 optional Queued — — —');
    expect(row(markup, 'Deploy')).not.toContain('optional');
  });

  it('nests Builder’s tasks under it with their states, dependencies, agents and why they are blocked', () => {
    const markup = plan(makeSession(), [
      { ...task('task-1', 'completed'), agent: 'builder-1' },
      { ...task('task-2', 'failed', ['task-1']), error: 'tsc: 3 errors' },
      task('task-3', 'queued', ['task-2']),
      task('task-4', 'running', ['task-1']),
    ]);
    const nested = markup.slice(markup.indexOf('<tr class="t-tasks" data-phase="Builder">'));
    expect(markup.indexOf('<tr class="t-tasks"')).toBeGreaterThan(markup.indexOf('data-phase="Builder"'));
    expect(markup.indexOf('<tr class="t-tasks"')).toBeLessThan(markup.indexOf('data-phase="Test"'));
    expect(words(nested.slice(0, nested.indexOf('</p>')))).toBe(
      '4 parallel tasks: 1 running, 1 done, 1 failed, 1 blocked',
    );
    const item = (id: string) => {
      const at = nested.indexOf(`data-task-id="${id}"`);
      return nested.slice(nested.lastIndexOf('<li', at), nested.indexOf('</li>', at));
    };
    expect(words(item('task-1'))).toBe('Build task-1 task-1 Done agent builder-1');
    expect(item('task-2')).toContain('class="plan-task task-failed"');
    expect(words(item('task-2'))).toBe('Build task-2 task-2 Failed after task-1 tsc: 3 errors');
    expect(item('task-3')).toContain('data-status="blocked"');
    expect(words(item('task-3'))).toBe(
      'Build task-3 task-3 Blocked after task-2 depends on task-2, which failed',
    );
  });

  it('escapes what the build wrote in phase names, task names, dependencies and errors', () => {
    const markup = plan(
      makeSession({
        phases: [span('<img src=x onerror=alert(1)>', '<b>3.5</b>', 3.5, '2026-11-20T13:55:00Z', null)],
        currentPhase: '<img src=x onerror=alert(1)>',
      }),
      [
        {
          id: '<i>t1</i>',
          name: '<script>alert(2)</script>',
          status: 'failed',
          dependsOn: ['<u>x</u>'],
          files: [],
          agent: '<svg onload=alert(3)>',
          error: '</td><script>alert(4)</script>',
        },
      ],
    );
    for (const tag of ['<img', '<b>', '<script', '<i>', '<u>', '<svg', '</td><script'])
      expect(markup).not.toContain(tag);
    expect(markup).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('says so when there is no pipeline to show', () => {
    const session = makeSession();
    expect(renderPlan([], session, NOW).toString()).toContain('No phases recorded yet.');
  });
});

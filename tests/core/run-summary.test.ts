import { describe, expect, it } from 'vitest';
import { summaryOutcome } from '../../src/core/run-summary.js';

const run = { id: 'weather-app-20261120T140000Z', project: 'weather-app', startedAt: '2026-11-20T14:00:00Z' };
const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-20T15:00:00Z');

describe('summaryOutcome', () => {
  it('ends the run it belongs to at the time the build gives', () => {
    const summary = {
      completed: true,
      failed: false,
      completedAt: at('2026-11-20T14:30:00Z'),
      sessionId: 'weather-app',
    };
    expect(summaryOutcome(run, summary, at('2026-11-20T14:30:05Z'), NOW)).toEqual({
      state: 'completed',
      endedAt: '2026-11-20T14:30:00.000Z',
    });
  });

  it('uses the time the file was written when the summary gives none', () => {
    const summary = { completed: true, failed: false, completedAt: null, sessionId: null };
    expect(summaryOutcome(run, summary, at('2026-11-20T14:40:00Z'), NOW)?.endedAt).toBe(
      '2026-11-20T14:40:00.000Z',
    );
  });

  it('fails the run on a failed summary', () => {
    const summary = { completed: false, failed: true, completedAt: null, sessionId: 'weather-app' };
    expect(summaryOutcome(run, summary, at('2026-11-20T14:10:00Z'), NOW)?.state).toBe('failed');
  });

  it('leaves the run alone for a summary finished before it started (an earlier run left it)', () => {
    const stale = {
      completed: true,
      failed: false,
      completedAt: at('2026-11-20T13:55:00Z'),
      sessionId: 'weather-app',
    };
    expect(summaryOutcome(run, stale, at('2026-11-20T13:55:00Z'), NOW)).toBeNull();
    const undated = { completed: true, failed: false, completedAt: null, sessionId: null };
    expect(summaryOutcome(run, undated, at('2026-11-20T13:58:00Z'), NOW)).toBeNull();
  });

  it('leaves the run alone for a summary of another project, or one that ends nothing', () => {
    const other = {
      completed: true,
      failed: false,
      completedAt: at('2026-11-20T14:30:00Z'),
      sessionId: 'todo-api',
    };
    expect(summaryOutcome(run, other, at('2026-11-20T14:30:00Z'), NOW)).toBeNull();
    const neither = { completed: false, failed: false, completedAt: null, sessionId: 'weather-app' };
    expect(summaryOutcome(run, neither, at('2026-11-20T14:30:00Z'), NOW)).toBeNull();
  });
});

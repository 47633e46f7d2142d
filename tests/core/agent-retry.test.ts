/** When a failed agent's work was taken over and completed by a retry (issue 10). */
import { describe, expect, it } from 'vitest';
import { retriedBy, sameWork } from '../../src/core/agent-retry.js';
import { makeAgent } from '../render/fixtures.js';

const failed = makeAgent({ id: 'builder-3', name: 'Builder 3: cache', status: 'failed', task: 'task-5' });
const retry = (fields: Parameters<typeof makeAgent>[0]) =>
  makeAgent({ id: 'builder-9', name: 'Builder 9', status: 'completed', task: null, ...fields });

describe('agent retries', () => {
  it('knows a retry by its task, by an id that extends the failed one, or by its name', () => {
    expect(sameWork(failed, retry({ task: 'task-5' }))).toBe(true);
    expect(sameWork(failed, retry({ task: 'task-6' }))).toBe(false);
    expect(sameWork({ ...failed, task: null }, retry({ id: 'builder-3-retry' }))).toBe(true);
    expect(sameWork({ ...failed, task: null }, retry({ id: 'builder-30' }))).toBe(false);
    expect(sameWork({ ...failed, task: null }, retry({ name: 'Builder 3 (retry): cache' }))).toBe(true);
    expect(sameWork({ ...failed, task: null }, retry({ name: 'Builder 3 [Retry 2]: Cache' }))).toBe(true);
    expect(sameWork({ ...failed, task: null }, retry({ name: 'Builder 4: cache' }))).toBe(false);
  });

  it('counts only a later retry of the same session that completed', () => {
    expect(retriedBy(failed, retry({ task: 'task-5' }))).toBe(true);
    expect(retriedBy(failed, retry({ task: 'task-5', status: 'active' }))).toBe(false);
    expect(retriedBy(failed, retry({ task: 'task-5', status: 'failed' }))).toBe(false);
    expect(retriedBy(failed, retry({ task: 'task-5', sessionId: 'todo-api-20261120T150000Z' }))).toBe(false);
    expect(retriedBy(failed, retry({ task: 'task-5', startedAt: '2026-11-20T13:00:00Z' }))).toBe(false);
    expect(retriedBy({ ...failed, status: 'completed' }, retry({ task: 'task-5' }))).toBe(false);
  });
});

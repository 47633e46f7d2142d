import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  MAX_EVENT_LINE_LENGTH,
  MAX_EVENT_TEXT_LENGTH,
  dedupeEvents,
  orderEvents,
  parseEventLine,
  parseEventLines,
  parseEventLog,
} from '../../src/collector/events-file.js';
import { TRUNCATED } from '../../src/collector/limits.js';
import type { BuildEvent } from '../../src/collector/types.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../fixtures/side-files/${name}`, import.meta.url), 'utf8');

function eventOf(line: unknown): BuildEvent {
  const parsed = parseEventLine(typeof line === 'string' ? line : JSON.stringify(line));
  if (parsed.kind !== 'event') throw new Error(`not an event: ${JSON.stringify(parsed)}`);
  return parsed.event;
}

const AT = '2026-11-20T14:10:00Z';

describe('parseEventLine: one readable line per event type', () => {
  it.each<[string, Record<string, unknown>, string, BuildEvent['level']]>([
    ['phase_change', { from: 'Builder', to: 'Test' }, 'phase_change: Builder → Test', 'info'],
    [
      'phase_change',
      { phase: 'Test', status: 'testing', detail: 'Running unit tests (iteration 2)' },
      'phase_change: Test (testing) — Running unit tests (iteration 2)',
      'info',
    ],
    ['phase_change', { phase: 'Deploy', status: 'failed' }, 'phase_change: Deploy (failed)', 'error'],
    ['iteration_start', { iteration: 2 }, 'iteration 2 started', 'info'],
    [
      'iteration_complete',
      { iteration: 2, passed: 14, failed: 1 },
      'iteration 2 complete: 14 passed, 1 failed',
      'warn',
    ],
    [
      'iteration_complete',
      { test_iteration: 1, detail: '12 passed, 3 failed: fixing 3 failures' },
      'iteration 1 complete: 12 passed, 3 failed',
      'warn',
    ],
    [
      'iteration_complete',
      { iteration: 3, passed: 15, failed: 0 },
      'iteration 3 complete: 15 passed, 0 failed',
      'info',
    ],
    ['iteration_complete', { detail: 'tests ran' }, 'iteration complete: tests ran', 'info'],
    [
      'task_complete',
      { task_id: 'task-2', name: 'Forecast API client' },
      'task complete: Forecast API client',
      'info',
    ],
    [
      'task_complete',
      { task_id: 'task-4', status: 'failed', error: 'tsc failed' },
      'task failed: task-4: tsc failed',
      'error',
    ],
    [
      'context_update',
      { percent: 45, tokens: 90000, max_tokens: 200000 },
      'context: 45% used, 90000 / 200000 tokens',
      'info',
    ],
    ['log_line', { line: 'npm run build' }, 'npm run build', 'info'],
    ['log_line', { message: 'disk almost full', level: 'warning' }, 'disk almost full', 'warn'],
    ['error', { message: 'npm install failed' }, 'error: npm install failed', 'error'],
    ['error', { error: { message: 'EACCES' } }, 'error: EACCES', 'error'],
    ['error', { message: 'quiet', level: 'debug' }, 'error: quiet', 'error'],
    ['completion', { status: 'completed' }, 'completion: completed', 'info'],
    [
      'completion',
      { status: 'failed', detail: 'Deploy failed' },
      'completion: failed — Deploy failed',
      'error',
    ],
    ['agent_spawned', { message: 'builder-2 started' }, 'agent_spawned: builder-2 started', 'info'],
  ])('%s %j → %j', (type, data, text, level) => {
    const event = eventOf({ type, session_id: 'weather-app', timestamp: AT, sequence: 7, data });
    expect(event).toEqual({
      type,
      sessionId: 'weather-app',
      at: Date.parse(AT),
      sequence: 7,
      data,
      text,
      level,
    });
  });

  it('reads envelope drift: other key names, epoch seconds, a sequence as text, no data object', () => {
    expect(
      eventOf({
        event: 'Log Line',
        sessionId: 'app',
        ts: 1795184000,
        seq: '12',
        message: 'hi',
        level: 'DEBUG',
      }),
    ).toEqual({
      type: 'log_line',
      sessionId: 'app',
      at: 1795184000 * 1000,
      sequence: 12,
      data: { message: 'hi', level: 'DEBUG' },
      text: 'hi',
      level: 'debug',
    });
  });

  it('keeps an event with no session, time or sequence, and a string as data', () => {
    expect(eventOf({ type: 'log_line', data: 'plain text' })).toMatchObject({
      sessionId: null,
      at: null,
      sequence: null,
      data: { message: 'plain text' },
      text: 'plain text',
    });
  });

  it('makes the text one short line', () => {
    const event = eventOf({
      type: 'log_line',
      data: { line: `first\n\tsecond   third ${'x'.repeat(5000)}` },
    });
    expect(event.text.startsWith('first second third x')).toBe(true);
    expect(event.text).toHaveLength(MAX_EVENT_TEXT_LENGTH);
    expect(event.text.endsWith(TRUNCATED)).toBe(true);
  });

  it('reads a line of almost 1 MB, cutting its text', () => {
    const line = JSON.stringify({
      type: 'log_line',
      sequence: 1,
      data: { line: 'y'.repeat(MAX_EVENT_LINE_LENGTH - 100) },
    });
    const event = eventOf(line);
    expect(event.text).toHaveLength(MAX_EVENT_TEXT_LENGTH);
    expect((event.data.line as string).length).toBeLessThan(5000);
  });

  it.each<[string, string]>([
    [
      'a line over 1 MB',
      JSON.stringify({ type: 'log_line', data: { line: 'z'.repeat(MAX_EVENT_LINE_LENGTH) } }),
    ],
    ['invalid JSON', '{"type":"log_line",'],
    ['binary garbage', '\u0000\u0001\u00ff\ufffdPK\u0003\u0004'],
    ['an array', '["phase_change"]'],
    ['a number', '42'],
    ['no type', '{"session_id":"a","sequence":1}'],
    ['an empty type', '{"type":"  "}'],
  ])('reports %s as a problem with a reason', (_, line) => {
    const parsed = parseEventLine(line);
    expect(parsed.kind).toBe('problem');
    if (parsed.kind === 'problem') expect(parsed.reason.length).toBeGreaterThan(5);
  });

  it.each(['', '   ', '\r'])('skips the blank line %j', (line) => {
    expect(parseEventLine(line)).toEqual({ kind: 'skip' });
  });

  it('never lets a "__proto__" key in data change the object', () => {
    const event = eventOf('{"type":"log_line","data":{"__proto__":{"polluted":true},"line":"ok"}}');
    expect(Object.getPrototypeOf(event.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseEventLog, orderEvents and dedupeEvents on a drifting log', () => {
  it('reads the good lines, reports the bad ones by number, and keeps the unfinished last line', async () => {
    const log = parseEventLog(await fixture('events-drift.jsonl'));
    expect(log.problems.map((problem) => problem.line)).toEqual([5, 10, 11]);
    expect(log.rest).toBe('{"type":"log_line","session_id":"weather-app","sequence":');
    expect(log.events).toHaveLength(10);
  });

  it('puts the events in sequence order, once each', async () => {
    const log = parseEventLog(await fixture('events-drift.jsonl'));
    const events = dedupeEvents(orderEvents(log.events));
    expect(events.map((event) => [event.sequence, event.text])).toEqual([
      [1, 'task complete: Forecast API client'],
      [2, 'npm run build done in 3.2s'],
      [3, 'phase_change: Builder → Test'],
      [4, 'iteration 2 started'],
      [5, 'iteration 2 complete: 14 passed, 1 failed'],
      [6, 'context: 45% used, 90000 / 200000 tokens'],
      [7, 'error: npm install failed: EACCES'],
      [9, 'completion: failed — Tests still failing'],
      [null, 'flat event without data'],
    ]);
    expect(events.map((event) => event.level)).toEqual([
      'info',
      'debug',
      'info',
      'info',
      'warn',
      'info',
      'error',
      'error',
      'warn',
    ]);
  });

  it('orders by timestamp, then arrival, where sequences are missing or tie', () => {
    const make = (sequence: number | null, at: number | null, text: string) => ({ sequence, at, text });
    const events = [
      make(null, 300, 'c'),
      make(2, null, 'e'),
      make(null, 100, 'a'),
      make(2, 50, 'd'),
      make(null, null, 'g'),
      make(null, 100, 'b'),
      make(1, 999, 'f'),
    ];
    expect(orderEvents(events).map((event) => event.text)).toEqual(['f', 'd', 'e', 'a', 'b', 'c', 'g']);
    expect(events[0]?.text).toBe('c');
  });

  it('dedupes by session and sequence, keeping events without a sequence', () => {
    const make = (sessionId: string | null, sequence: number | null, text: string) => ({
      sessionId,
      sequence,
      text,
    });
    const events = [
      make('a', 1, 'first'),
      make('a', 1, 'again'),
      make('b', 1, 'other session'),
      make(null, 1, 'no session'),
      make(null, 1, 'no session again'),
      make('a', null, 'unnumbered'),
      make('a', null, 'unnumbered'),
    ];
    expect(dedupeEvents(events).map((event) => event.text)).toEqual([
      'first',
      'other session',
      'no session',
      'unnumbered',
      'unnumbered',
    ]);
  });
});

describe('parseEventLines', () => {
  it('keeps the events of complete lines in order and counts the lines it could not read', () => {
    const read = parseEventLines([
      '{"type":"log_line","sequence":1,"data":{"message":"one"}}',
      '',
      '{"type":"log_line","sequence":2',
      '{"type":"error","sequence":3,"data":{"message":"npm install failed"}}',
    ]);
    expect(read.events.map((event) => [event.sequence, event.text])).toEqual([
      [1, 'one'],
      [3, 'error: npm install failed'],
    ]);
    expect(read.bad).toBe(1);
  });
});

describe('parseEventLine: hostile lines', () => {
  it('reads a level named like an Object.prototype member as no level at all', () => {
    for (const level of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const event = eventOf({ type: 'log_line', data: { line: 'hello', level } });
      expect(event.level).toBe('info');
    }
  });

  it('refuses a line nested 10,000 levels deep as a problem', () => {
    const line = `{"type":"log_line","data":{"message":${'{"message":'.repeat(10_000)}"x"${'}'.repeat(10_000)}}}`;
    expect(parseEventLine(line)).toEqual({ kind: 'problem', reason: 'nested more than 64 levels deep' });
  });
});

/**
 * Every frame the overlay can be sent, with a leak planted in each text field a build fills:
 * none survives redaction, and the counts, states and times a viewer reads do.
 */
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/shared/protocol.js';
import { redactId, redactMessage, redactPlan, redactSession } from '../../src/shared/redact-frames.js';
import { makeAgent, makeLogLine, makeSession, span } from '../render/fixtures.js';
import { makeMetrics } from '../render/metrics-fixtures.js';

const HOME = '/home/alice/secret-project';
const KEY = 'sk-ant-api03-Abcdefghijklmnop_qrstuvwxyz0123456789';
const MAIL = 'alice@example.com';
const URL_WITH_PASSWORD = 'https://alice:hunter2pass@git.example.com/r.git';
const LEAKS = ['/home/alice', KEY, MAIL, 'hunter2pass'];

const leaky = (label: string) => `${label} ${HOME} ${KEY} ${MAIL} ${URL_WITH_PASSWORD}`;

function expectNoLeak(value: unknown): void {
  const text = JSON.stringify(value);
  for (const leak of LEAKS) expect(text).not.toContain(leak);
}

const session = makeSession({
  id: `leaky-${KEY}`,
  project: leaky('project'),
  workdir: HOME,
  activity: leaky('activity'),
  currentPhase: leaky('phase'),
  phasesCompleted: ['Scout', leaky('done')],
  progressDetail: leaky('detail'),
  phases: [span(leaky('span'), '1/7', 1, '2026-11-20T13:40:00Z', null)],
  warnings: [
    { file: `${HOME}/.context-foundry/current-phase.json`, reason: leaky('why'), at: '2026-11-20T13:41:00Z' },
  ],
});

describe('redaction of frames', () => {
  it('leaves nothing a build wrote in any frame, and keeps what a viewer reads', () => {
    const metrics = makeMetrics({ sessionId: session.id });
    const frames: ServerMessage[] = [
      {
        type: 'hello',
        protocol: 1,
        serverTime: '2026-11-20T14:00:00Z',
        sessionId: session.id,
        heartbeatMs: 5000,
      },
      { type: 'snapshot', sessions: [session] },
      { type: 'session', session },
      {
        type: 'metrics',
        metrics: {
          ...metrics,
          tokens: {
            ...metrics.tokens,
            byPhase: [{ ...metrics.tokens.byPhase[0]!, phase: leaky('p') }],
            byModel: [{ ...metrics.tokens.byModel[0]!, model: leaky('m') }],
          },
          context: { ...metrics.context, model: leaky('ctx') },
          tests: {
            iterations: [{ iteration: 1, passed: 12, failed: 2, failing: [leaky('test')] }],
            current: 1,
            stuck: [leaky('stuck')],
          },
        },
      },
      {
        type: 'agent',
        agent: makeAgent({
          id: `agent-${KEY}`,
          sessionId: session.id,
          type: leaky('t'),
          name: leaky('n'),
          reportedStatus: leaky('s'),
          phase: leaky('ph'),
          error: leaky('e'),
          source: leaky('src'),
        }),
      },
      { type: 'log', sessionId: session.id, lines: [makeLogLine(1, leaky('line'), { source: HOME })] },
      {
        type: 'plan',
        sessionId: session.id,
        plan: [
          {
            name: leaky('plan'),
            number: '3/7',
            status: 'running',
            startedAt: null,
            endedAt: null,
            durationMs: null,
            clock: 'build',
            reason: leaky('r'),
            tasks: [
              {
                id: KEY,
                name: leaky('task'),
                status: 'failed',
                dependsOn: [HOME],
                agent: MAIL,
                error: leaky('err'),
                blockedBy: leaky('b'),
              },
            ],
          },
        ],
      },
      { type: 'error', code: 'bad_message', message: leaky('message') },
    ];
    for (const frame of frames) {
      expect(JSON.stringify(frame)).toContain(KEY);
      const redacted = redactMessage(frame);
      expect(redacted.type).toBe(frame.type);
      expectNoLeak(redacted);
    }

    const shown = redactSession(session);
    expect(shown).toMatchObject({
      state: 'running',
      phaseNumber: '4/7',
      phaseIndex: 4,
      phaseTotal: 7,
      progressPercent: 57,
      testIteration: 2,
      tokensTotal: 12_345,
      costUsd: 0.42,
      startedAt: session.startedAt,
      updatedAt: session.updatedAt,
    });
    expect(shown.phasesCompleted[0]).toBe('Scout');
    expect(shown.progressDetail).toBe('detail [path] [secret] [email] [url]');
  });

  it('drops the colours of a log line first, so that an escape sequence cannot split a secret', () => {
    const split = `using ${KEY.slice(0, 10)}\u001b[1m${KEY.slice(10)}\u001b[0m`;
    const frame = redactMessage({ type: 'log', sessionId: 'a', lines: [makeLogLine(1, split)] });
    expect(JSON.stringify(frame)).not.toContain(KEY.slice(10));
  });

  it('passes heartbeats, pongs and backfill progress through untouched', () => {
    const frames: ServerMessage[] = [
      { type: 'heartbeat', serverTime: '2026-11-20T14:00:00Z' },
      { type: 'pong', serverTime: '2026-11-20T14:00:00Z' },
      {
        type: 'backfill',
        progress: { filesDone: 1, filesTotal: 2, bytesDone: 3, bytesTotal: 4, done: false },
      },
    ];
    for (const frame of frames) expect(redactMessage(frame)).toBe(frame);
  });

  it('keeps ids with nothing to hide, and hides the others behind the same stand-in every time', () => {
    expect(redactId('weather-app-20261120T140211Z')).toBe('weather-app-20261120T140211Z');
    const hidden = redactId(session.id);
    expect(hidden).toMatch(/^redacted-[\w-]{12}$/);
    expect(redactId(session.id)).toBe(hidden);
    expect(redactId(`${session.id}x`)).not.toBe(hidden);
  });

  it('keeps the extra fields of a plan the pages draw', () => {
    const plan = redactPlan([
      {
        name: HOME,
        number: null,
        status: 'queued' as const,
        startedAt: null,
        endedAt: null,
        durationMs: null,
        clock: 'build' as const,
        reason: null,
        tasks: [],
        canonical: false,
      },
    ]);
    expect(plan).toEqual([expect.objectContaining({ name: '[path]', canonical: false })]);
  });
});

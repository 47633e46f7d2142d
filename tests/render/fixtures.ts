/**
 * @module
 * Sessions for the page tests, and a tiny array-backed `SessionReader` that lists and counts
 * with the registry's own rules (src/core/session-list.ts), newest change first.
 */
import type { Agent, LogLine, PhaseSpan, Session } from '../../src/shared/protocol.js';
import { countSessions, listSessions } from '../../src/core/session-list.js';
import { isLaterRun } from '../../src/core/run-index.js';
import { RunOrder } from '../../src/core/run-order.js';
import type {
  SessionCounts,
  SessionPage,
  SessionQuery,
  SessionReader,
} from '../../src/core/session-query.js';

/** A running Context Foundry build in its Test phase, three phases done. */
export function makeSession(overrides: Partial<Session> = {}): Session {
  return {
    id: 'weather-app-20261120T140211Z',
    project: 'weather-app',
    workdir: '/home/dev/weather-app',
    state: 'running',
    activity: 'testing',
    currentPhase: 'Test',
    phaseNumber: '4/7',
    phaseIndex: 4,
    phaseTotal: 7,
    phasesCompleted: ['Scout', 'Architect', 'Builder'],
    progressDetail: 'Running unit tests (iteration 2)',
    progressPercent: 57,
    testIteration: 2,
    startedAt: '2026-11-20T13:40:00Z',
    updatedAt: '2026-11-20T13:59:57Z',
    endedAt: null,
    source: 'live',
    phases: [
      span('Scout', '1/7', 1, '2026-11-20T13:40:00Z', '2026-11-20T13:44:12Z'),
      span('Architect', '2/7', 2, '2026-11-20T13:44:12Z', '2026-11-20T13:50:00Z'),
      span('Builder', '3/7', 3, '2026-11-20T13:50:00Z', '2026-11-20T13:55:00Z'),
      { ...span('Test', '4/7', 4, '2026-11-20T13:55:00Z', null), status: 'running' },
    ],
    warnings: [],
    tokensTotal: 12_345,
    costUsd: 0.42,
    ...overrides,
  };
}

/** A completed phase span (or a running one when `endedAt` is null). */
export function span(
  name: string,
  number: string | null,
  index: number | null,
  startedAt: string,
  endedAt: string | null,
): PhaseSpan {
  return {
    name,
    number,
    index,
    status: endedAt === null ? 'running' : 'completed',
    startedAt,
    endedAt,
    durationMs: endedAt === null ? null : Date.parse(endedAt) - Date.parse(startedAt),
    clock: 'build',
  };
}

/** An agent of the fixture session: a builder, active, half-way, started at 13:50. */
export function makeAgent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: 'builder-1',
    sessionId: 'weather-app-20261120T140211Z',
    type: 'builder',
    name: 'Builder 1',
    status: 'active',
    reportedStatus: null,
    phase: 'Builder',
    progressPercent: 50,
    tokensUsed: 48_200,
    error: null,
    task: null,
    retried: false,
    startedAt: '2026-11-20T13:50:00Z',
    updatedAt: '2026-11-20T13:59:30Z',
    endedAt: null,
    stalled: false,
    source: 'push',
    ...overrides,
  };
}

/** A log line of the fixture session, number `seq`, a second apart from 13:59:00. */
export function makeLogLine(seq: number, text: string, overrides: Partial<LogLine> = {}): LogLine {
  return {
    seq,
    at: new Date(Date.parse('2026-11-20T13:59:00Z') + seq * 1000).toISOString(),
    level: 'info',
    text,
    source: 'push',
    ...overrides,
  };
}

/** A `SessionReader` over a plain array, with raw files by session id. */
export class ArrayReader implements SessionReader {
  constructor(
    readonly sessions: Session[] = [],
    readonly raws: Record<string, string> = {},
  ) {}

  list(query: SessionQuery): SessionPage {
    const order = new RunOrder();
    order.load(this.sessions);
    return listSessions(order, query);
  }

  get(id: string): Session | undefined {
    return this.sessions.find((session) => session.id === id);
  }

  raw(id: string): string | null {
    return this.raws[id] ?? null;
  }

  /** The latest run of a project, by the registry's own rule. */
  latestOfProject(project: string): Session | undefined {
    let latest: Session | undefined;
    for (const session of this.sessions) {
      if (session.project === project && (!latest || isLaterRun(session, latest))) latest = session;
    }
    return latest;
  }

  counts(): SessionCounts {
    return countSessions(this.sessions);
  }
}

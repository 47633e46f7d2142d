/**
 * The demo against a real buildcast server, wired as `buildcast demo` wires it: within the demo's
 * first simulated minute both builds show tokens and cost, their metrics have tokens by phase and
 * by model and a context gauge, and those numbers agree with the agents' and the log's. The
 * demo's clock follows real time (so the server sees the builds as they happen) and stops at the
 * minute, so what the server shows then is all it could have learnt by then.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import type { Agent, LogLine, Session } from '../../src/shared/protocol.js';
import { FakeClock } from '../../src/shared/clock.js';
import { prepareDemoTranscripts, runDemo } from '../../src/demo/demo.js';
import { MAIN_MODEL, FAST_MODEL } from '../../src/demo/models.js';
import { eventually, removeDir, sleep, startTestServer, tempDir } from '../helpers/server.js';

const SPEED = 12;
/** The demo's first minute, on its own clock. */
const FIRST_MINUTE_MS = 60_000 / SPEED;

/** Moves `clock` along with real time, up to `limitMs` after `startMs`, or until `done()`. */
async function pace(clock: FakeClock, startMs: number, limitMs: number, done = () => false): Promise<void> {
  while (clock.now() < startMs + limitMs && !done()) {
    const target = Math.min(Date.now(), startMs + limitMs);
    if (target > clock.now()) clock.advance(target - clock.now());
    await sleep(5);
  }
}

interface SessionDetail {
  session: Session;
  agents: Agent[];
  logs: LogLine[];
}

describe('the demo against a real server', () => {
  it('shows tokens, cost, tokens by phase and model and the context gauge within its first minute, consistently', async () => {
    const root = tempDir();
    const builds = path.join(root, 'builds');
    const claudeDir = await prepareDemoTranscripts(builds);
    const server = await startTestServer({
      roots: [builds],
      claudeDirs: [claudeDir],
      db: path.join(root, 'demo.db'),
    });
    const get = async <T>(route: string): Promise<T> => (await (await fetch(server.url + route)).json()) as T;
    const startMs = Date.now();
    const clock = new FakeClock(startMs);
    const controller = new AbortController();
    let ended = false;
    const demo = runDemo({
      root: builds,
      speed: SPEED,
      clock,
      signal: controller.signal,
      claudeDir,
      push: { url: server.url, lines: false },
    }).finally(() => (ended = true));
    try {
      await pace(clock, startMs, FIRST_MINUTE_MS);

      const sessions = await eventually(async () => {
        const list = (await get<{ sessions: Session[] }>('/api/sessions')).sessions;
        const shown = list.filter((s) => (s.tokensTotal ?? 0) > 0 && (s.costUsd ?? 0) > 0);
        return shown.length === 2 ? shown : undefined;
      }, 20_000);
      expect(sessions.map((s) => s.project).sort()).toEqual(['todo-api', 'weather-app']);

      for (const session of sessions) {
        // The server reads as the files grow: wait until it has read all the demo wrote by the minute.
        const { metrics, detail } = await eventually(async () => {
          const metrics = await get<SessionMetrics | null>(`/api/sessions/${session.id}/metrics`);
          const detail = await get<SessionDetail>(`/api/sessions/${session.id}`);
          const agents = detail.agents.filter((agent) => agent.source !== 'transcript');
          const agentTokens = agents.reduce((sum, agent) => sum + (agent.tokensUsed ?? 0), 0);
          const context = detail.logs.filter((line) => line.text.startsWith('context:')).at(-1);
          const percent = context ? Number(/context: ([\d.]+)% used/.exec(context.text)?.[1]) : null;
          const settled =
            metrics !== null &&
            agentTokens > 0 &&
            metrics.tokens.subagent.total === agentTokens &&
            metrics.context.percent === percent;
          return settled ? { metrics, detail } : undefined;
        }, 20_000);

        const { tokens, context } = metrics;
        expect(tokens.total, session.project).toBeGreaterThan(0);
        expect(tokens.costUsd, session.project).toBeGreaterThan(0);
        // Every request counts for the phase it was sent in, none for no phase.
        expect(tokens.byPhase.length, session.project).toBeGreaterThanOrEqual(2);
        for (const row of tokens.byPhase) {
          expect(row.phase, session.project).not.toBeNull();
          expect(row.total).toBeGreaterThan(0);
          expect(row.costUsd).toBeGreaterThan(0);
        }
        expect(tokens.byPhase.map((row) => row.phase)).toEqual(
          detail.session.phases.slice(0, tokens.byPhase.length).map((phase) => phase.name),
        );
        expect(tokens.byModel.map((row) => row.model).sort()).toEqual([FAST_MODEL.id, MAIN_MODEL.id].sort());
        expect(tokens.byModel.every((row) => row.priced && (row.costUsd ?? 0) > 0)).toBe(true);
        expect(context).toMatchObject({
          limit: MAIN_MODEL.contextWindow,
          model: MAIN_MODEL.id,
          level: 'safe',
        });
        expect(context.percent).toBeGreaterThan(5);

        // Each agent shows once: the build reports its agents, so the subagents its transcript
        // shows for them are not listed again (their tokens are the metrics' subagent tokens).
        const reported = detail.agents.filter((agent) => agent.source !== 'transcript');
        expect(reported.length, session.project).toBeGreaterThanOrEqual(1);
        expect(detail.agents, session.project).toEqual(reported);
        expect(detail.session.tokensTotal).toBe(tokens.total);
      }

      // Let the demo run to its end: the failed build's cost stops where it failed.
      await pace(clock, startMs, Number.POSITIVE_INFINITY, () => ended);
      await demo;
      const todo = await eventually(
        () => server.registry.list({ project: 'todo-api', state: 'failed' }).sessions[0],
        20_000,
      );
      await server.tailer.settle();
      server.metrics.flush();
      const after = await get<SessionMetrics>(`/api/sessions/${todo.id}/metrics`);
      const lastPoint = after.tokens.series.at(-1);
      expect(Date.parse(lastPoint?.at ?? '')).toBeLessThanOrEqual(Date.parse(todo.endedAt ?? ''));
      expect(after.tokens.byPhase.map((row) => row.phase)).toEqual(todo.phases.map((phase) => phase.name));
      expect(after.tokens.byPhase.at(-1)?.phase).toBe('Deploy');
    } finally {
      controller.abort();
      await pace(clock, startMs, Number.POSITIVE_INFINITY, () => ended);
      await demo.catch(() => {});
      await server.close();
      removeDir(root);
    }
  }, 120_000);
});

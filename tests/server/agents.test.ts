/**
 * A build's agents against a real server over a real folder (issue 10): their times are the
 * build's own and survive a restart, a retried failure is not the build's failure, and agents
 * are shown once: transcript subagents are not listed beside the agents the build reports, end
 * with their build, and count each streamed response once.
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/protocol.js';
import { agentsFragmentPath, cardFragmentPath } from '../../src/shared/paths.js';
import type { ServerHandle } from '../../src/server/main.js';
import {
  eventually,
  phase,
  removeDir,
  sleep,
  startTestServer,
  tempDir,
  writePhaseFile,
} from '../helpers/server.js';

const STARTED = '2026-11-20T14:00:00Z';
const ID = 'weather-app-20261120T140000Z';

/** One `events.jsonl` line that names an agent, as Context Foundry writes it. */
function agentEvent(sequence: number, type: string, at: string, data: Record<string, unknown>): string {
  return `${JSON.stringify({ type, session_id: 'weather-app', timestamp: at, sequence, data })}\n`;
}

/** An 808 ms Scout: spawned, working, done, by the build's clock. */
const SCOUT_LOG =
  agentEvent(1, 'log_line', '2026-11-20T14:00:01.100Z', {
    agent_id: 'scout',
    agent_name: 'Scout',
    status: 'spawning',
  }) +
  agentEvent(2, 'log_line', '2026-11-20T14:00:01.200Z', { agent_id: 'scout', status: 'active' }) +
  agentEvent(3, 'task_complete', '2026-11-20T14:00:01.908Z', { agent_id: 'scout', task_name: 'research' });

/** A subagent's assistant line of a Claude Code transcript (SPEC 1.5). */
function subagentLine(id: string, at: string, cwd: string, output: number): string {
  return `${JSON.stringify({
    type: 'assistant',
    isSidechain: true,
    agentId: 'a1b2c3d',
    cwd,
    sessionId: 'cc-session-1',
    requestId: `req_${id}`,
    timestamp: at,
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-5-20250929',
      role: 'assistant',
      usage: {
        input_tokens: 10,
        output_tokens: output,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  })}\n`;
}

describe('agents of a build', () => {
  let server: ServerHandle | null = null;
  let root: string;
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  function folders(): { workdir: string; log: string; db: string; claude: string; transcript: string } {
    root = tempDir();
    const workdir = path.join(root, 'builds', 'weather-app');
    const events = path.join(workdir, 'logs', 'events', 'weather-app');
    mkdirSync(events, { recursive: true });
    const claude = path.join(root, 'claude');
    const project = path.join(claude, 'projects', workdir.replaceAll('/', '-'));
    mkdirSync(project, { recursive: true });
    return {
      workdir,
      log: path.join(events, 'events.jsonl'),
      db: path.join(root, 'buildcast.db'),
      claude,
      transcript: path.join(project, 'cc-session-1.jsonl'),
    };
  }

  const start = (dirs: ReturnType<typeof folders>) =>
    startTestServer({ roots: [path.join(root, 'builds')], db: dirs.db, claudeDirs: [dirs.claude] });

  const pushAgent = (body: Record<string, unknown>) =>
    fetch(`${server!.url}/api/agent-update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: 'weather-app', ...body }),
    });

  const agentsOf = async (): Promise<Agent[]> =>
    ((await (await fetch(`${server!.url}/api/sessions/${ID}`)).json()) as { agents: Agent[] }).agents;
  const times = (agents: Agent[]) => agents.map(({ id, startedAt, endedAt }) => ({ id, startedAt, endedAt }));

  it('times agents from events by the events’ own timestamps, and keeps every time across a restart', async () => {
    const dirs = folders();
    writePhaseFile(dirs.workdir, phase({ started_at: STARTED, last_updated: STARTED }));
    writeFileSync(dirs.log, SCOUT_LOG);
    server = await start(dirs);
    await eventually(async () =>
      (await agentsOf()).some((a) => a.id === 'scout' && a.status === 'completed'),
    );
    expect((await pushAgent({ agent_id: 'tester', agent_name: 'Tester', status: 'active' })).status).toBe(
      200,
    );
    await sleep(30);
    expect((await pushAgent({ agent_id: 'tester', status: 'completed' })).status).toBe(200);
    const before = await agentsOf();
    // The 808 ms Scout: its times are the ones its build wrote, not when buildcast read them.
    expect(times(before)[0]).toEqual({
      id: 'scout',
      startedAt: '2026-11-20T14:00:01.100Z',
      endedAt: '2026-11-20T14:00:01.908Z',
    });
    await server.close();
    await sleep(1_100);

    // Restarted on the same database; meanwhile the build rewrote its log whole (by rename), so
    // it is read again from the start.
    const copy = `${dirs.log}.tmp`;
    writeFileSync(copy, SCOUT_LOG);
    renameSync(copy, dirs.log);
    server = await start(dirs);
    await server.collector.flushPending();
    await sleep(200);
    await server.collector.flushPending();
    const after = await agentsOf();
    expect(times(after)).toEqual(times(before));
    expect(after.map((a) => a.status)).toEqual(['completed', 'completed']);
  });

  it('does not count a retried agent as failed in a completed build', async () => {
    const dirs = folders();
    writePhaseFile(
      dirs.workdir,
      phase({ started_at: STARTED, current_phase: 'Builder', phase_number: '3/7', status: 'building' }),
    );
    server = await start(dirs);
    await eventually(() => server!.registry.get(ID));
    const builder = { agent_type: 'builder', phase: 'Builder' };
    await pushAgent({
      ...builder,
      agent_id: 'builder-1',
      agent_name: 'Builder 1: api',
      status: 'completed',
      task_id: 'task-1',
    });
    await pushAgent({
      ...builder,
      agent_id: 'builder-3',
      agent_name: 'Builder 3: cache',
      status: 'failed',
      task_id: 'task-5',
      error_message: 'cache tests failed',
    });
    // The same id failing, then reporting again and completing: simply completed.
    await pushAgent({
      ...builder,
      agent_id: 'builder-2',
      agent_name: 'Builder 2: ui',
      status: 'failed',
      task_id: 'task-3',
    });
    await pushAgent({ ...builder, agent_id: 'builder-2', status: 'completed', task_id: 'task-3' });
    const card = async () =>
      (await (await fetch(`${server!.url}${cardFragmentPath(ID)}`)).text()).replace(/\s+/g, ' ');
    // While nothing has taken builder-3's work over, its failure shows.
    expect(await card()).toMatch(/data-status="failed"\s*>\s*1 failed/);
    await pushAgent({
      ...builder,
      agent_id: 'builder-3-retry',
      agent_name: 'Builder 3 (retry): cache',
      status: 'active',
      task_id: 'task-5',
    });
    await pushAgent({ ...builder, agent_id: 'builder-3-retry', status: 'completed', task_id: 'task-5' });
    writePhaseFile(
      dirs.workdir,
      phase({ started_at: STARTED, current_phase: 'Feedback', phase_number: '7/8', status: 'completed' }),
    );
    await eventually(() => server!.registry.get(ID)?.state === 'completed');
    const agents = await agentsOf();
    expect(agents.map((a) => [a.id, a.status, a.retried])).toEqual([
      ['builder-1', 'completed', false],
      ['builder-3', 'failed', true],
      ['builder-2', 'completed', false],
      ['builder-3-retry', 'completed', false],
    ]);
    // The session page's agents panel sums the finished build up without a failure in it.
    const panel = (await (await fetch(`${server.url}${agentsFragmentPath(ID)}`)).text()).replace(/\s+/g, ' ');
    const summary = /<p class="agents-summary">(.*?)<\/p>/.exec(panel)?.[1] ?? '';
    expect(summary).toMatch(/4 agents:.*1 retried.*3 completed/);
    expect(summary).not.toContain('failed');
  });

  it('lists no transcript subagents beside the agents the build reports', async () => {
    const dirs = folders();
    writePhaseFile(
      dirs.workdir,
      phase({ started_at: STARTED, current_phase: 'Builder', phase_number: '3/7', status: 'building' }),
    );
    writeFileSync(dirs.transcript, subagentLine('1', '2026-11-20T14:01:00Z', dirs.workdir, 500));
    server = await start(dirs);
    await server.tailer.backfillDone;
    server.metrics.flush();
    // Before the build reports any agent, its transcript's subagent is all there is to show.
    await eventually(async () => (await agentsOf()).some((a) => a.id === 'subagent-a1b2c3d'));
    await pushAgent({ agent_id: 'builder-1', agent_name: 'Builder 1', status: 'active' });
    appendFileSync(dirs.transcript, subagentLine('2', '2026-11-20T14:02:00Z', dirs.workdir, 700));
    // Its tokens still count in the build's metrics.
    await eventually(async () => {
      server!.metrics.flush();
      const metrics = (await (await fetch(`${server!.url}/api/sessions/${ID}/metrics`)).json()) as {
        tokens: { subagent: { output: number } };
      };
      return metrics.tokens.subagent.output === 1_200;
    });
    expect((await agentsOf()).map((a) => a.id)).toEqual(['builder-1']);
    const card = (await (await fetch(`${server.url}${cardFragmentPath(ID)}`)).text()).replace(/\s+/g, ' ');
    expect(card).toMatch(/1 agent:.*1 active/);
  });

  it('ends transcript subagents when their build ends, and counts a streamed response once', async () => {
    const dirs = folders();
    writePhaseFile(
      dirs.workdir,
      phase({ started_at: STARTED, current_phase: 'Builder', phase_number: '3/7', status: 'building' }),
    );
    server = await start(dirs);
    await eventually(() => server!.registry.get(ID));
    // One streamed response, written twice as it grows, read in two reads.
    appendFileSync(dirs.transcript, subagentLine('1', '2026-11-20T14:01:00Z', dirs.workdir, 100));
    const subagent = async () => (await agentsOf()).find((a) => a.id === 'subagent-a1b2c3d');
    await eventually(async () => (await subagent())?.tokensUsed === 110);
    appendFileSync(dirs.transcript, subagentLine('1', '2026-11-20T14:01:02Z', dirs.workdir, 900));
    await eventually(async () => (await subagent())?.tokensUsed !== 110);
    expect(await subagent()).toMatchObject({ status: 'active', tokensUsed: 910 });

    writePhaseFile(
      dirs.workdir,
      phase({ started_at: STARTED, current_phase: 'Builder', phase_number: '3/7', status: 'failed' }),
    );
    await eventually(() => server!.registry.get(ID)?.state === 'failed');
    expect(await subagent()).toMatchObject({
      status: 'completed',
      endedAt: '2026-11-20T14:01:02.000Z',
      tokensUsed: 910,
    });
  });
});

/**
 * Agents, events and logs through a real server: updates that come before their session are
 * kept, events are ordered and counted once, log frames carry only new lines, and a restart
 * keeps it all.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, LogLine, LogMessage } from '../../src/shared/protocol.js';
import { FakeClock } from '../../src/shared/clock.js';
import { parseAgentUpdate } from '../../src/collector/agent-update.js';
import { StallWatch } from '../../src/core/stall.js';
import { AgentBook } from '../../src/core/agent-book.js';
import type { ServerHandle } from '../../src/server/main.js';
import { SessionRegistry } from '../../src/core/registry.js';
import { openStore } from '../../src/store/store.js';
import { WriteCoalescer } from '../../src/store/write-coalescer.js';
import {
  eventually,
  FrameClient,
  phase,
  removeDir,
  startTestServer,
  tempDir,
  writePhaseFile,
} from '../helpers/server.js';

const ID = 'weather-app-20261120T140211Z';

describe('agents, events and logs', () => {
  let server: ServerHandle | null = null;
  let root: string;
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  const post = async (route: string, body: unknown, type = 'application/json') => {
    const response = await fetch(`${server!.url}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const detail = async () =>
    (await (await fetch(`${server!.url}/api/sessions/${ID}`)).json()) as {
      agents: Agent[];
      logs: LogLine[];
      plan: unknown[];
    };

  it('keeps an agent update that comes before its session and applies it when the session appears', async () => {
    root = tempDir();
    server = await startTestServer({ db: path.join(root, 'b.db') });
    const early = await post('/api/agent-update', {
      session_id: 'weather-app',
      agent_id: 'builder-1',
      agent_type: 'builder',
      agent_name: 'API client',
      status: 'spawning',
    });
    expect(early).toMatchObject({ status: 202, body: { status: 'pending', agent_id: 'builder-1' } });

    const client = await FrameClient.connect(`${server.url.replace('http', 'ws')}/ws`);
    await post(
      '/api/phase-update',
      phase({ current_phase: 'Builder', phase_number: '3/7', status: 'building' }),
    );
    const frame = await client.waitFor((f) => f.type === 'agent');
    expect(frame.type === 'agent' && frame.agent).toMatchObject({
      id: 'builder-1',
      sessionId: ID,
      status: 'spawning',
      name: 'API client',
    });

    const update = await post('/api/agent-update', {
      session_id: 'weather-app',
      agent_id: 'builder-1',
      status: 'Working',
      progress_percent: 40,
      tokens_used: 1200,
    });
    expect(update).toMatchObject({
      status: 200,
      body: { status: 'received', agent_status: 'active', broadcasted_to: 1 },
    });
    const same = await post('/api/agent-update', {
      session_id: ID,
      agent_id: 'builder-1',
      status: 'working',
      progress_percent: 40,
    });
    expect(same.body).toMatchObject({ changed: false, broadcasted_to: 0 });
    const odd = await post('/api/agent-update', {
      session_id: ID,
      agent_id: 'builder-2',
      status: 'contemplating',
    });
    expect(odd.body).toMatchObject({ agent_status: 'active' });
    expect((await detail()).agents.find((a) => a.id === 'builder-2')).toMatchObject({
      reportedStatus: 'contemplating',
    });

    expect((await post('/api/agent-update', { session_id: ID })).body).toEqual({
      error: { code: 'bad_fields', message: 'missing agent_id' },
    });
    expect((await post('/api/agent-update', '[1]')).status).toBe(400);
    client.close();
  });

  it('turns events.jsonl into an ordered, de-duplicated log tail and agents, sending only new lines', async () => {
    root = tempDir();
    const workdir = path.join(root, 'builds', 'weather');
    writePhaseFile(workdir, phase({ current_phase: 'Builder', phase_number: '3/7', status: 'building' }));
    const events = path.join(workdir, 'logs', 'events', 'weather-app');
    mkdirSync(events, { recursive: true });
    const line = (sequence: number, type: string, data: Record<string, unknown>) =>
      JSON.stringify({
        type,
        session_id: 'weather-app',
        timestamp: `2026-11-20T14:1${sequence}:00Z`,
        sequence,
        data,
      });
    writeFileSync(
      path.join(events, 'events.jsonl'),
      [
        line(2, 'log_line', { line: 'second' }),
        line(1, 'log_line', { line: 'first' }),
        line(2, 'log_line', { line: 'second' }),
        line(3, 'task_complete', {
          agent_id: 'builder-1',
          task_id: 'task-1',
          agent_name: 'API client',
          status: 'completed',
        }),
        'not json at all',
        '',
      ].join('\n'),
    );
    server = await startTestServer({ roots: [path.join(root, 'builds')], db: path.join(root, 'b.db') });
    await eventually(async () => (await detail()).logs.length >= 3);
    const first = await detail();
    expect(first.logs.map((l) => l.text)).toEqual([
      expect.stringContaining('first'),
      expect.stringContaining('second'),
      expect.stringMatching(/task/),
    ]);
    expect(first.agents).toEqual([
      expect.objectContaining({ id: 'builder-1', status: 'completed', source: 'events' }),
    ]);
    expect(server.registry.get(ID)!.warnings).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/event line/) }),
    ]);

    const client = await FrameClient.connect(`${server.url.replace('http', 'ws')}/ws/${ID}`);
    appendFileSync(
      path.join(events, 'events.jsonl'),
      `${line(4, 'error', { message: 'npm install failed' })}\n`,
    );
    const frame = (await client.waitFor((f) => f.type === 'log')) as LogMessage;
    expect(frame.lines).toHaveLength(1);
    expect(frame.lines[0]).toMatchObject({ level: 'error', source: 'events' });

    const pushed = await post(
      `/api/broadcast/${ID}`,
      '\u001b[31mFAIL\u001b[0m src/api.test.ts <script>alert(1)</script>',
      'text/plain',
    );
    expect(pushed.body).toMatchObject({ status: 'received', broadcasted_to: 1 });
    const next = (await client.waitFor(
      (f) => f.type === 'log' && f.lines[0]!.source === 'push',
    )) as LogMessage;
    expect(next.lines).toHaveLength(1);
    expect(next.lines[0]!.text).toContain('<script>');
    client.close();

    // A restart keeps agents and the log tail, and reads no event twice.
    await server.close();
    server = await startTestServer({ roots: [path.join(root, 'builds')], db: path.join(root, 'b.db') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await detail();
    expect(after.logs.map((l) => l.seq)).toEqual(first.logs.map((l) => l.seq).concat([4, 5]));
    expect(after.agents.map((a) => a.id)).toEqual(['builder-1']);
  });

  it('keeps the log tail bounded', async () => {
    root = tempDir();
    server = await startTestServer({ db: path.join(root, 'b.db') });
    await post('/api/phase-update', phase());
    for (let i = 0; i < 1_050; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => post(`/api/broadcast/${ID}`, `line ${i + j}`, 'text/plain')),
      );
    }
    const tail = (await (await fetch(`${server.url}/api/sessions/${ID}/logs?limit=1000`)).json()) as {
      lines: LogLine[];
    };
    expect(tail.lines).toHaveLength(1_000);
    expect(tail.lines.at(-1)!.seq).toBe(1_050);
    const huge = await post(`/api/broadcast/${ID}`, 'x'.repeat(200_000), 'text/plain');
    expect(huge.status).toBe(200);
    const last = (await (await fetch(`${server.url}/api/sessions/${ID}/logs?limit=1`)).json()) as {
      lines: LogLine[];
    };
    expect(last.lines[0]!.text.length).toBeLessThan(9_000);
  });
});

describe('agent stall marking', () => {
  it('marks a silent agent stalled once, and not one that finished', () => {
    const clock = new FakeClock();
    const store = openStore(':memory:');
    const registry = new SessionRegistry({ store, writer: new WriteCoalescer({ store, clock }), clock });
    const published: Agent[] = [];
    const book = new AgentBook({
      store: store.activity,
      registry,
      clock,
      stallMs: 60_000,
    });
    book.changes.on('agent', (agent) => published.push(agent));
    const update = (body: Record<string, unknown>) => {
      const result = parseAgentUpdate({ session_id: 'weather-app', ...body });
      if (!result.ok) throw new Error(result.problem.message);
      return book.apply(result.value, 'push');
    };
    expect(update({ agent_id: 'a', status: 'active' })).toMatchObject({ status: 'pending' });
    registry.put({
      id: 'weather-app-x',
      project: 'weather-app',
      workdir: null,
      state: 'running',
      activity: null,
      currentPhase: 'Builder',
      phaseNumber: null,
      phaseIndex: null,
      phaseTotal: null,
      phasesCompleted: [],
      progressDetail: null,
      progressPercent: null,
      testIteration: null,
      startedAt: new Date(clock.now()).toISOString(),
      updatedAt: new Date(clock.now()).toISOString(),
      endedAt: null,
      source: 'push',
      phases: [],
      warnings: [],
      tokensTotal: null,
      costUsd: null,
    });
    book.sessionChanged(registry.get('weather-app-x')!);
    update({ agent_id: 'b', status: 'completed' });
    expect(published.map((a) => [a.id, a.status, a.stalled])).toEqual([
      ['a', 'active', false],
      ['b', 'completed', false],
    ]);
    const watch = new StallWatch(clock, 60_000, [book], 1_000);
    watch.start();
    clock.advance(61_000);
    clock.advance(600_000);
    expect(published.slice(2).map((a) => [a.id, a.stalled])).toEqual([['a', true]]);
    update({ agent_id: 'a', status: 'active', progress_percent: 50 });
    expect(published.at(-1)).toMatchObject({ id: 'a', stalled: false, progressPercent: 50 });
    watch.stop();
    store.close();
  });
});

describe('event log problems', () => {
  it('shows a broken event line on the session until the file reads well again', async () => {
    const root = tempDir();
    const workdir = path.join(root, 'builds', 'weather');
    writePhaseFile(workdir, phase());
    const server = await startTestServer({ roots: [path.join(root, 'builds')], db: path.join(root, 'b.db') });
    try {
      await eventually(() => server.registry.get(ID));
      const events = path.join(workdir, '.context-foundry', 'logs', 'events', 'weather-app');
      mkdirSync(events, { recursive: true });
      writeFileSync(path.join(events, 'events.jsonl'), '{"broken\n');
      await eventually(() => server.registry.get(ID)!.warnings.length === 1);
      appendFileSync(
        path.join(events, 'events.jsonl'),
        '{"type":"log_line","sequence":1,"data":{"line":"ok"}}\n',
      );
      await eventually(() => server.registry.get(ID)!.warnings.length === 0);
    } finally {
      await server.close();
      removeDir(root);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { ServerMessage, Session } from '../../src/shared/protocol.js';
import { Hub, type Transport } from '../../src/live/hub.js';
import { contentHash as hashSession } from '../../src/shared/hash.js';
import { makeAgent, makeLogLine, makeSession } from '../render/fixtures.js';
import { makeMetrics } from '../render/metrics-fixtures.js';

class RecordingTransport implements Transport {
  frames: ServerMessage[] = [];
  /** The `type` the hub named beside each frame's text. */
  named: string[] = [];
  buffered = 0;
  closed: { code: number; reason: string } | null = null;
  destroyed = false;
  failing = false;
  send(text: string, type: ServerMessage['type']): void {
    if (this.failing) throw new Error('socket hung up');
    this.frames.push(JSON.parse(text) as ServerMessage);
    this.named.push(type);
  }
  bufferedAmount(): number {
    return this.buffered;
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  destroy(): void {
    this.destroyed = true;
  }
  types(): string[] {
    return this.frames.map((f) => f.type);
  }
  /** Frames after the greeting (hello, snapshot and, on one session, its metrics). */
  after(count: number): ServerMessage[] {
    return this.frames.slice(count);
  }
}

const session = (id: string, detail: string): Session =>
  makeSession({ id, project: id, progressDetail: detail });

/** A hub with a client following every session and one following only `a`, greeted and idle. */
function audience() {
  const hub = new Hub({ clock: new FakeClock(), snapshot: () => [] });
  const all = new RecordingTransport();
  const onlyA = new RecordingTransport();
  hub.connect(all, null);
  hub.connect(onlyA, 'a');
  const seen = () => ({ all: all.after(2), onlyA: onlyA.after(2) });
  return { hub, all, onlyA, seen };
}

describe('hub', () => {
  it('sends a session frame only when that client last saw another hash', () => {
    const clock = new FakeClock();
    const known = session('a', 'one');
    const hub = new Hub({ clock, snapshot: () => [{ session: known, hash: hashSession(known) }] });
    const early = new RecordingTransport();
    hub.connect(early, null);
    expect(early.types()).toEqual(['hello', 'snapshot']);
    expect(hub.publish(known, hashSession(known))).toBe(0);

    const changed = session('a', 'two');
    expect(hub.publish(changed, hashSession(changed))).toBe(1);
    const late = new RecordingTransport();
    hub.connect(late, null);
    expect(hub.publish(changed, hashSession(changed))).toBe(1);
    expect(early.types()).toEqual(['hello', 'snapshot', 'session']);
    expect(late.types()).toEqual(['hello', 'snapshot', 'session']);
    expect(hub.framesSent).toBe(2);
  });

  it('tells how many clients the last session frame of a session reached', () => {
    const { hub } = audience();
    expect(hub.lastSent('a')).toBe(0);
    expect(hub.publish(session('a', 'x'), 'h1')).toBe(2);
    expect(hub.lastSent('a')).toBe(2);
    expect(hub.publish(session('b', 'x'), 'h2')).toBe(1);
    expect(hub.lastSent('b')).toBe(1);
    expect(hub.lastSent('a')).toBe(2);
    // The same content again reaches no one, and says so.
    expect(hub.publish(session('a', 'x'), 'h1')).toBe(0);
    expect(hub.lastSent('a')).toBe(0);
  });

  it('gives a client of one session only that session', () => {
    const { hub, seen } = audience();
    hub.publish(session('a', 'x'), 'h1');
    hub.publish(session('b', 'x'), 'h2');
    const ids = (frames: ServerMessage[]) =>
      frames.map((f) => (f.type === 'session' ? f.session.id : f.type));
    expect(ids(seen().onlyA)).toEqual(['a']);
    expect(ids(seen().all)).toEqual(['a', 'b']);
  });

  it('greets a client of one session with its metrics, then sends metrics only when they change', () => {
    const first = makeMetrics({ sessionId: 'a' });
    const hub = new Hub({
      clock: new FakeClock(),
      snapshot: () => [],
      metrics: (id) => (id === 'a' ? { metrics: first, hash: 'm1' } : null),
    });
    const onlyA = new RecordingTransport();
    const onlyB = new RecordingTransport();
    const all = new RecordingTransport();
    hub.connect(onlyA, 'a');
    hub.connect(onlyB, 'b');
    hub.connect(all, null);
    expect(onlyA.types()).toEqual(['hello', 'snapshot', 'metrics']);
    expect(onlyB.types()).toEqual(['hello', 'snapshot']);

    // onlyA already has m1; `all` has never had metrics of a.
    expect(hub.publishMetrics(first, 'm1')).toBe(1);
    expect(hub.publishMetrics(first, 'm1')).toBe(0);
    const next = makeMetrics({ sessionId: 'a' });
    expect(hub.publishMetrics(next, 'm2')).toBe(2);
    expect(onlyA.types()).toEqual(['hello', 'snapshot', 'metrics', 'metrics']);
    expect(onlyB.types()).toEqual(['hello', 'snapshot']);
    expect(all.types()).toEqual(['hello', 'snapshot', 'metrics', 'metrics']);
    // A metrics hash is its own key: the session's hash under the same text does not suppress it.
    hub.publish(session('a', 'x'), 'm3');
    expect(hub.publishMetrics(next, 'm3')).toBe(2);
  });

  it('sends an agent frame per agent only when that agent changed, to followers of its session', () => {
    const { hub, seen } = audience();
    const builder = makeAgent({ id: 'builder-1', sessionId: 'a' });
    const tester = makeAgent({ id: 'tester', sessionId: 'a', name: 'Tester' });
    expect(hub.publishAgent(builder, 'g1')).toBe(2);
    expect(hub.publishAgent(builder, 'g1')).toBe(0);
    // Another agent of the same session with the same hash is still news.
    expect(hub.publishAgent(tester, 'g1')).toBe(2);
    expect(hub.publishAgent({ ...builder, progressPercent: 80 }, 'g2')).toBe(2);
    expect(hub.publishAgent(makeAgent({ id: 'builder-1', sessionId: 'b' }), 'g1')).toBe(1);
    const agents = (frames: ServerMessage[]) =>
      frames.map((f) => (f.type === 'agent' ? `${f.agent.sessionId}/${f.agent.id}` : f.type));
    expect(agents(seen().onlyA)).toEqual(['a/builder-1', 'a/tester', 'a/builder-1']);
    expect(agents(seen().all)).toEqual(['a/builder-1', 'a/tester', 'a/builder-1', 'b/builder-1']);
  });

  it('sends a plan only when it changed, to followers of its session', () => {
    const { hub, seen } = audience();
    const plan = [{ name: 'Builder' }] as never;
    expect(hub.publishPlan('a', plan, 'p1')).toBe(2);
    expect(hub.publishPlan('a', plan, 'p1')).toBe(0);
    expect(hub.publishPlan('b', plan, 'p1')).toBe(1);
    expect(hub.publishPlan('a', plan, 'p2')).toBe(2);
    const plans = (frames: ServerMessage[]) => frames.map((f) => (f.type === 'plan' ? f.sessionId : f.type));
    expect(plans(seen().onlyA)).toEqual(['a', 'a']);
    expect(plans(seen().all)).toEqual(['a', 'b', 'a']);
  });

  it('sends every log line batch to followers of its session, repeats included', () => {
    const { hub, seen } = audience();
    const lines = [makeLogLine(1, 'Running unit tests')];
    expect(hub.broadcastLog('a', lines)).toBe(2);
    expect(hub.broadcastLog('a', lines)).toBe(2);
    expect(hub.broadcastLog('b', lines)).toBe(1);
    expect(seen().onlyA.map((f) => f.type === 'log' && f.sessionId)).toEqual(['a', 'a']);
    expect(seen().all.map((f) => f.type === 'log' && f.sessionId)).toEqual(['a', 'a', 'b']);
  });

  it('sends backfill progress and heartbeats to every client, whatever it follows', () => {
    const { hub, seen } = audience();
    const progress = { filesDone: 1, filesTotal: 4, bytesDone: 10, bytesTotal: 40, done: false };
    hub.broadcastBackfill(progress);
    hub.broadcastBackfill(progress);
    hub.heartbeat();
    for (const frames of Object.values(seen()))
      expect(frames.map((f) => f.type)).toEqual(['backfill', 'backfill', 'heartbeat']);
  });

  it('serializes a frame once however many clients get it, and names its type beside it', () => {
    const { hub, all, onlyA } = audience();
    let reads = 0;
    const counted = session('a', 'x');
    Object.defineProperty(counted, 'progressDetail', {
      enumerable: true,
      get: () => {
        reads++;
        return 'x';
      },
    });
    expect(hub.publish(counted, 'h1')).toBe(2);
    expect(reads).toBe(1);
    hub.publishMetrics(makeMetrics({ sessionId: 'a' }), 'm1');
    hub.publishAgent(makeAgent({ sessionId: 'a' }), 'g1');
    hub.publishPlan('a', [], 'p1');
    hub.broadcastLog('a', []);
    hub.broadcastBackfill({ filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, done: true });
    hub.heartbeat();
    for (const client of [all, onlyA]) {
      expect(client.named).toEqual(client.types());
      expect(client.named).toEqual([
        'hello',
        'snapshot',
        'session',
        'metrics',
        'agent',
        'plan',
        'log',
        'backfill',
        'heartbeat',
      ]);
    }
  });

  it('says in hello how often it sends a heartbeat', () => {
    const hub = new Hub({ clock: new FakeClock(), snapshot: () => [], heartbeatMs: 20_000 });
    const client = new RecordingTransport();
    hub.connect(client, null);
    expect(client.frames[0]).toMatchObject({
      type: 'hello',
      protocol: 1,
      sessionId: null,
      heartbeatMs: 20_000,
    });
  });

  it('cuts off a client that does not keep up or fails, without touching the others', () => {
    const dropped: string[] = [];
    const hub = new Hub({
      clock: new FakeClock(),
      snapshot: () => [],
      maxBufferedBytes: 1_000,
      onDrop: (_c, reason) => dropped.push(reason),
    });
    const slow = new RecordingTransport();
    const broken = new RecordingTransport();
    const healthy = new RecordingTransport();
    hub.connect(slow, null);
    hub.connect(broken, null);
    hub.connect(healthy, null);
    slow.buffered = 5_000;
    broken.failing = true;
    expect(hub.publish(session('a', 'x'), 'h1')).toBe(1);
    expect(hub.size).toBe(1);
    expect(slow.destroyed).toBe(true);
    expect(slow.closed).toBeNull();
    expect(broken.destroyed).toBe(true);
    expect(dropped).toEqual([
      'send buffer over limit: the client is not keeping up',
      'send failed: socket hung up',
    ]);
    expect(healthy.types()).toEqual(['hello', 'snapshot', 'session']);
    // Every kind of frame goes past the same check.
    slow.buffered = 0;
    healthy.buffered = 5_000;
    hub.heartbeat();
    expect(hub.size).toBe(0);
    expect(healthy.destroyed).toBe(true);
  });

  it('sends heartbeats on its interval', () => {
    const clock = new FakeClock();
    const hub = new Hub({ clock, snapshot: () => [], heartbeatMs: 5_000 });
    const client = new RecordingTransport();
    hub.connect(client, null);
    hub.start();
    clock.advance(15_000);
    expect(client.types().filter((t) => t === 'heartbeat')).toHaveLength(3);
    hub.closeAll();
    expect(client.closed?.code).toBe(1001);
    clock.advance(15_000);
    expect(client.types().filter((t) => t === 'heartbeat')).toHaveLength(3);
  });
});

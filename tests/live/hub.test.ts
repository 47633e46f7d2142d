import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { ServerMessage, Session } from '../../src/shared/protocol.js';
import { Hub, type Transport } from '../../src/live/hub.js';
import { contentHash as hashSession } from '../../src/shared/hash.js';
import { makeSession } from '../render/fixtures.js';

class RecordingTransport implements Transport {
  frames: ServerMessage[] = [];
  buffered = 0;
  closed: { code: number; reason: string } | null = null;
  failing = false;
  send(text: string): void {
    if (this.failing) throw new Error('socket hung up');
    this.frames.push(JSON.parse(text) as ServerMessage);
  }
  bufferedAmount(): number {
    return this.buffered;
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  types(): string[] {
    return this.frames.map((f) => f.type);
  }
}

const session = (id: string, detail: string): Session =>
  makeSession({ id, project: id, progressDetail: detail });

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
  });

  it('gives a client of one session only that session', () => {
    const hub = new Hub({ clock: new FakeClock(), snapshot: () => [] });
    const one = new RecordingTransport();
    hub.connect(one, 'b');
    hub.publish(session('a', 'x'), 'h1');
    hub.publish(session('b', 'x'), 'h2');
    expect(
      one.frames.filter((f) => f.type === 'session').map((f) => (f as { session: Session }).session.id),
    ).toEqual(['b']);
  });

  it('drops a client that does not keep up or fails, without touching the others', () => {
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
    expect(slow.closed?.code).toBe(1008);
    expect(dropped).toHaveLength(2);
    expect(healthy.types()).toEqual(['hello', 'snapshot', 'session']);
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

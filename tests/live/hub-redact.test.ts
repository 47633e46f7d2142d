/**
 * The hub's redacted clients (the stream overlay): every frame they get has what a build wrote
 * redacted, on the same publish path as everyone else's, and the change-only rule holds for what
 * they are shown.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { contentHash } from '../../src/shared/hash.js';
import type { ServerMessage, Session } from '../../src/shared/protocol.js';
import { Hub, type Transport } from '../../src/live/hub.js';
import { makeAgent, makeLogLine, makeSession } from '../render/fixtures.js';
import { makeMetrics } from '../render/metrics-fixtures.js';

const KEY = 'sk-ant-api03-Abcdefghijklmnop_qrstuvwxyz0123456789';

/** Keeps the text of every frame it is sent. */
class TextTransport implements Transport {
  readonly texts: string[] = [];
  send(text: string): void {
    this.texts.push(text);
  }
  bufferedAmount(): number {
    return 0;
  }
  close(): void {}
  destroy(): void {}
  frames(): ServerMessage[] {
    return this.texts.map((text) => JSON.parse(text) as ServerMessage);
  }
}

const leaky = (detail: string): Session =>
  makeSession({ id: 'a', project: 'a', progressDetail: detail, workdir: '/home/alice/a' });

function twoClients(known: Session[] = []) {
  const hub = new Hub({
    clock: new FakeClock(),
    snapshot: () => known.map((session) => ({ session, hash: contentHash(session) })),
    metrics: () => null,
  });
  const plain = new TextTransport();
  const redacted = new TextTransport();
  hub.connect(plain, null);
  const client = hub.connect(redacted, null, { redact: true });
  return { hub, plain, redacted, client };
}

describe('hub, redacted clients', () => {
  it('redacts every kind of frame for them and nothing for the others', () => {
    const { hub, plain, redacted, client } = twoClients([leaky(`greeting ${KEY}`)]);
    expect(client.redact).toBe(true);
    hub.publish(leaky(`key ${KEY}`), 'h1');
    hub.publishMetrics(
      makeMetrics({ sessionId: 'a', tests: { iterations: [], current: null, stuck: [KEY] } }),
      'm1',
    );
    hub.publishAgent(makeAgent({ sessionId: 'a', error: `refused ${KEY}` }), 'g1');
    hub.publishPlan('a', [], 'p1');
    hub.broadcastLog('a', [makeLogLine(1, `export ANTHROPIC_API_KEY=${KEY}`)]);
    hub.reply(client, { type: 'error', code: 'bad_message', message: `echo ${KEY}` });

    const types = ['hello', 'snapshot', 'session', 'metrics', 'agent', 'plan', 'log', 'error'];
    expect(redacted.frames().map((f) => f.type)).toEqual(types);
    for (const text of redacted.texts) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('/home/alice');
    }
    expect(redacted.frames()[2]).toMatchObject({
      session: { progressDetail: 'key [secret]', workdir: '[path]', phaseNumber: '4/7', tokensTotal: 12_345 },
    });
    expect(plain.texts.filter((text) => text.includes(KEY))).toHaveLength(5);
  });

  it('makes the redacted copy once per publish, however many clients get it', () => {
    /** How often a publish reads the session's text, with `count` redacted clients. */
    const readsWith = (count: number): number => {
      const hub = new Hub({ clock: new FakeClock(), snapshot: () => [] });
      const clients = Array.from({ length: count }, () => new TextTransport());
      for (const transport of clients) hub.connect(transport, null, { redact: true });
      let reads = 0;
      const counted = leaky(KEY);
      Object.defineProperty(counted, 'progressDetail', {
        enumerable: true,
        get: () => {
          reads++;
          return KEY;
        },
      });
      expect(hub.publish(counted, 'h1')).toBe(count);
      for (const transport of clients) expect(transport.texts[2]).toContain('[secret]');
      return reads;
    };
    expect(readsWith(5)).toBe(readsWith(1));
  });

  it('sends them nothing for a change that redaction hides, and the others get it', () => {
    const first = leaky(`key ${KEY}`);
    const { hub, plain, redacted } = twoClients([first]);
    const rotated = leaky(`key ${KEY.replace('Abc', 'Xyz')}`);
    expect(hub.publish(rotated, contentHash(rotated))).toBe(1);
    expect(plain.frames().map((f) => f.type)).toEqual(['hello', 'snapshot', 'session']);
    expect(redacted.frames().map((f) => f.type)).toEqual(['hello', 'snapshot']);

    const moved = { ...rotated, progressDetail: 'key rotated' };
    expect(hub.publish(moved, contentHash(moved))).toBe(2);
    expect(redacted.frames().map((f) => f.type)).toEqual(['hello', 'snapshot', 'session']);
  });

  it('hides a session id that holds a secret behind the same stand-in in every frame', () => {
    const session = makeSession({ id: `build-${KEY}`, project: 'build' });
    const { hub, redacted } = twoClients([session]);
    hub.publish({ ...session, progressDetail: 'next' }, 'h2');
    hub.broadcastLog(session.id, [makeLogLine(1, 'hello')]);
    const [, snapshot, update, log] = redacted.frames();
    const id = snapshot?.type === 'snapshot' ? snapshot.sessions[0]?.id : undefined;
    expect(id).toMatch(/^redacted-/);
    expect(update).toMatchObject({ type: 'session', session: { id } });
    expect(log).toMatchObject({ type: 'log', sessionId: id });
  });
});

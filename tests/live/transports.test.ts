/**
 * The live transports over real streams and real sockets: a Hono SSE stream names each event by
 * the type the hub gives it and counts what the network has not taken yet; a `ws` socket that
 * falls behind is cut off at once, not left open through a close handshake.
 */
import type { AddressInfo } from 'node:net';
import { SSEStreamingApi } from 'hono/streaming';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/clock.js';
import { Hub } from '../../src/live/hub.js';
import { eventStreamTransport, socketTransport } from '../../src/live/transports.js';
import { eventually, floodLogs, lastLogSeq } from '../helpers/server.js';
import { makeLogLine } from '../render/fixtures.js';

/** A real Hono SSE stream and what a reader of its response would get. */
function sseStream() {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const stream = new SSEStreamingApi(writable, readable);
  const reader = stream.responseReadable.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (until: RegExp) => {
    while (!until.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value as Uint8Array);
    }
    return text;
  };
  return { stream, readUntil };
}

describe('SSE transport', () => {
  it('writes each frame as an event named by the type the hub gives, without reading the frame', async () => {
    const { stream, readUntil } = sseStream();
    const transport = eventStreamTransport(stream, undefined);
    // Not JSON at all: a transport that parsed frames to find their type would throw here.
    transport.send('not json', 'heartbeat');
    expect(await readUntil(/\n\n/)).toBe('event: heartbeat\ndata: not json\n\n');
  });

  it('greets a client through the hub with hello then snapshot events', async () => {
    const { stream, readUntil } = sseStream();
    const hub = new Hub({ clock: systemClock, snapshot: () => [] });
    hub.connect(eventStreamTransport(stream, undefined), null);
    const text = await readUntil(/event: snapshot\n.*\n\n/);
    expect(text).toMatch(
      /^event: hello\ndata: \{"type":"hello".*\n\nevent: snapshot\ndata: \{"type":"snapshot","sessions":\[\]\}\n\n$/,
    );
  });

  it('counts frames the reader has not taken as unsent', async () => {
    const { stream, readUntil } = sseStream();
    const transport = eventStreamTransport(stream, { writableLength: 7, destroy: () => {} });
    expect(transport.bufferedAmount()).toBe(7);
    const frame = JSON.stringify({ type: 'log', text: 'x'.repeat(10_000) });
    for (let i = 0; i < 5; i++) transport.send(frame, 'log');
    expect(transport.bufferedAmount()).toBeGreaterThanOrEqual(4 * frame.length);
    await readUntil(/(event: log\n[^\n]*\n\n){5}/);
    await eventually(() => transport.bufferedAmount() === 7);
  });

  it('ends when the hub closes or drops it, or when the client goes away', async () => {
    const closed = eventStreamTransport(sseStream().stream, undefined);
    closed.close(1001, 'server shutting down');
    await closed.ended;

    let destroyed = false;
    const { stream } = sseStream();
    const dropped = eventStreamTransport(stream, { writableLength: 0, destroy: () => (destroyed = true) });
    dropped.destroy();
    await dropped.ended;
    expect(destroyed).toBe(true);
    expect(stream.aborted).toBe(true);

    const { stream: gone } = sseStream();
    const left = eventStreamTransport(gone, undefined);
    gone.abort();
    await left.ended;
  });
});

describe('WebSocket transport', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  /** A real `ws` server on port 0 whose connections are handed to `hub`, and a way to connect to it. */
  async function socketServer(hub: Hub) {
    const accepted: WebSocket[] = [];
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (socket) => {
      accepted.push(socket);
      const client = hub.connect(socketTransport(socket), null);
      socket.on('close', () => hub.disconnect(client));
    });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const open = async () => {
      const socket = new WebSocket(url);
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      await eventually(() => accepted.length === wss.clients.size);
      cleanups.push(() => socket.terminate());
      return { socket, server: accepted.at(-1)! };
    };
    cleanups.push(() => wss.close());
    return { open };
  }

  it('cuts off a client that stopped reading at once, while another keeps getting every frame', async () => {
    const dropped: string[] = [];
    const hub = new Hub({
      clock: systemClock,
      snapshot: () => [],
      maxBufferedBytes: 256 * 1024,
      onDrop: (_client, reason) => dropped.push(reason),
    });
    const { open } = await socketServer(hub);
    const slow = await open();
    const healthy = await open();
    const seen = lastLogSeq(healthy.socket);
    slow.socket.pause();
    const flood = await floodLogs(hub, seen, () => dropped.length > 0);
    expect(dropped).toEqual(['send buffer over limit: the client is not keeping up']);
    expect(hub.size).toBe(1);
    // Cut, not closed politely: a close frame would wait behind megabytes nobody reads, for 30 s.
    await eventually(() => slow.server.readyState === WebSocket.CLOSED);

    hub.broadcastLog('weather', [makeLogLine(flood.frames + 1, 'still here')]);
    await eventually(() => seen() === flood.frames + 1);
  });

  it('closes politely on shutdown, telling the client why', async () => {
    const hub = new Hub({ clock: systemClock, snapshot: () => [] });
    const { open } = await socketServer(hub);
    const { socket } = await open();
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    hub.closeAll();
    await expect(closed).resolves.toEqual({ code: 1001, reason: 'server shutting down' });
  });
});

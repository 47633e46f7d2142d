/**
 * @module
 * The two kinds of live connection, adapted to the hub's `Transport`: a `ws` WebSocket
 * (`/ws`, `/ws/:id`) and a Server-Sent Events stream (`/api/stream`). The Hono routes that
 * accept them live in src/server/live-routes.ts.
 */
import type { Transport } from './hub.js';

/** What the hub uses of a `ws` WebSocket (the server side of `/ws`). */
export interface SocketLike {
  send(data: string): void;
  /** Bytes queued by `ws` and by the TCP socket under it, not yet handed to the network. */
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
  /** Destroys the socket without a close handshake. */
  terminate(): void;
}

/** A WebSocket as a hub transport: cut off with `terminate`, never left waiting on a close handshake. */
export function socketTransport(socket: SocketLike): Transport {
  return {
    send: (text) => socket.send(text),
    bufferedAmount: () => socket.bufferedAmount,
    close: (code, reason) => socket.close(code, reason),
    destroy: () => socket.terminate(),
  };
}

/** What the hub uses of Hono's SSE stream (`SSEStreamingApi`). */
export interface EventStreamLike {
  writeSSE(message: { event?: string; data: string }): Promise<void>;
  close(): Promise<void>;
  abort(): void;
  onAbort(listener: () => void): void;
}

/** The Node response the stream is written to (`c.env.outgoing` under @hono/node-server). */
export interface ResponseLike {
  readonly writableLength: number;
  destroy(): void;
}

/** An SSE stream as a hub transport, and a promise that settles when the stream is over. */
export interface EventStreamTransport extends Transport {
  /** Resolves when the client went away, or the hub closed or dropped it. */
  readonly ended: Promise<void>;
}

/**
 * An SSE stream as a hub transport. Each frame is written as `event: <type>` with its JSON as
 * `data`, the type coming from the hub rather than from parsing the frame again. The Node
 * response waits for the network, so frames it has not taken yet wait in the stream: those
 * count as unsent too (in UTF-16 units, close enough to bytes for a limit).
 */
export function eventStreamTransport(
  stream: EventStreamLike,
  response: ResponseLike | undefined,
): EventStreamTransport {
  let queued = 0;
  let end: () => void = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  stream.onAbort(() => end());
  return {
    ended,
    send(text, type) {
      queued += text.length;
      const written = () => {
        queued -= text.length;
      };
      stream.writeSSE({ event: type, data: text }).then(written, written);
    },
    bufferedAmount: () => queued + (response?.writableLength ?? 0),
    close() {
      end();
      void stream.close();
    },
    destroy() {
      end();
      response?.destroy();
      stream.abort();
    },
  };
}

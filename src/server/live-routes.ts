/**
 * @module
 * Live routes (SPEC 3): WebSocket `/ws` (all sessions) and `/ws/:id` (one), and SSE
 * `/api/stream`, each adapted to the hub's `Transport`. Upgrades are validated before the
 * handshake: a browser page from another origin may not open a socket (SPEC 7).
 */
import { Hono } from 'hono';
import type { Context, Next } from 'hono';
import { streamSSE } from 'hono/streaming';
import { upgradeWebSocket, type WebSocketLike } from '@hono/node-server';
import type { ClientMessage, ServerMessage } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { sendError } from './errors.js';
import type { Hub, HubClient } from '../live/hub.js';

export interface LiveDeps {
  hub: Hub;
  clock: Clock;
}

/** Browsers send `Origin`; a page served from another host must not read our frames. */
function sameOrigin(c: Context, next: Next) {
  const origin = c.req.header('origin');
  if (origin) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return Promise.resolve(sendError(c, 403, 'forbidden_origin', `bad Origin header "${origin}"`));
    }
    if (host !== c.req.header('host')) {
      return Promise.resolve(
        sendError(c, 403, 'forbidden_origin', `origin ${origin} may not open this stream`),
      );
    }
  }
  return next();
}

function parseClientMessage(data: unknown): ClientMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as { type?: unknown };
    return value?.type === 'ping' ? { type: 'ping' } : null;
  } catch {
    return null;
  }
}

export function createLiveRoutes({ hub, clock }: LiveDeps): Hono {
  const live = new Hono();

  const socket = (c: Context) => {
    const sessionId = c.req.param('id') ?? null;
    let client: HubClient | null = null;
    return {
      onOpen(
        _event: Event,
        ws: { raw?: WebSocketLike; send(t: string): void; close(code?: number, reason?: string): void },
      ) {
        const raw = ws.raw as (WebSocketLike & { bufferedAmount?: number }) | undefined;
        client = hub.connect(
          {
            send: (text) => ws.send(text),
            bufferedAmount: () => raw?.bufferedAmount ?? 0,
            close: (code, reason) => ws.close(code, reason),
          },
          sessionId,
        );
      },
      onMessage(event: MessageEvent) {
        if (!client) return;
        const message = parseClientMessage(event.data);
        if (message === null) {
          hub.reply(client, { type: 'error', code: 'bad_message', message: 'expected {"type":"ping"}' });
          return;
        }
        switch (message.type) {
          case 'ping':
            hub.reply(client, { type: 'pong', serverTime: new Date(clock.now()).toISOString() });
            break;
        }
      },
      onClose() {
        if (client) hub.disconnect(client);
        client = null;
      },
      onError() {
        if (client) hub.disconnect(client);
        client = null;
      },
    };
  };
  live.get('/ws', sameOrigin, upgradeWebSocket(socket));
  live.get('/ws/:id', sameOrigin, upgradeWebSocket(socket));

  live.get('/api/stream', sameOrigin, (c) => {
    const sessionId = c.req.query('session') || null;
    const outgoing = (c.env as { outgoing?: { writableLength?: number } } | undefined)?.outgoing;
    return streamSSE(c, async (stream) => {
      let closed = false;
      const done = new Promise<void>((resolve) => stream.onAbort(resolve));
      const client = hub.connect(
        {
          send: (text) => {
            const type = (JSON.parse(text) as ServerMessage).type;
            void stream.writeSSE({ event: type, data: text });
          },
          bufferedAmount: () => outgoing?.writableLength ?? 0,
          close: () => {
            closed = true;
            void stream.close();
          },
        },
        sessionId,
      );
      if (!closed) await done;
      hub.disconnect(client);
    });
  });

  return live;
}

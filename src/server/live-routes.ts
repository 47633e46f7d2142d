/**
 * @module
 * Live routes (SPEC 3): WebSocket `/ws` (all sessions) and `/ws/:id` (one), and SSE
 * `/api/stream`, each handed to the hub through its transport (src/live/transports.ts).
 * Upgrades are validated before the handshake: a browser page from another origin may not open
 * a socket (SPEC 7).
 */
import { Hono } from 'hono';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { WSEvents } from 'hono/ws';
import { upgradeWebSocket, type WebSocketLike } from '@hono/node-server';
import type { WebSocket } from 'ws';
import type { ClientMessage } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { sendError } from './errors.js';
import type { Hub, HubClient } from '../live/hub.js';
import { eventStreamTransport, socketTransport, type ResponseLike } from '../live/transports.js';

export interface LiveDeps {
  hub: Hub;
  clock: Clock;
}

/** Browsers send `Origin`; a page served from another host must not read our frames. */
export function sameOrigin(c: Context, next: Next) {
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

/** What a socket follows (every session, or one) and whether its frames are redacted. */
export interface SocketPlan {
  sessionId: string | null;
  redact: boolean;
}

/** A WebSocket route that hands each connection to the hub as `plan` says. */
export function hubSocket({ hub, clock }: LiveDeps, plan: (c: Context) => SocketPlan): MiddlewareHandler {
  const socket = (c: Context): WSEvents<WebSocketLike> => {
    const { sessionId, redact } = plan(c);
    let client: HubClient | null = null;
    return {
      onOpen(_event, ws) {
        // @hono/node-server hands over the `ws` socket itself (main.ts makes the server): only it
        // can tell its unsent bytes and be cut off without a close handshake.
        const raw = ws.raw as WebSocket | undefined;
        if (!raw) {
          ws.close(1011, 'no socket to serve');
          return;
        }
        client = hub.connect(socketTransport(raw), sessionId, { redact });
      },
      onMessage(event) {
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
  return upgradeWebSocket(socket);
}

export function createLiveRoutes(deps: LiveDeps): Hono {
  const { hub } = deps;
  const live = new Hono();
  const socket = hubSocket(deps, (c) => ({ sessionId: c.req.param('id') ?? null, redact: false }));
  live.get('/ws', sameOrigin, socket);
  live.get('/ws/:id', sameOrigin, socket);

  live.get('/api/stream', sameOrigin, (c) => {
    const sessionId = c.req.query('session') || null;
    const outgoing = (c.env as { outgoing?: ResponseLike } | undefined)?.outgoing;
    return streamSSE(c, async (stream) => {
      const transport = eventStreamTransport(stream, outgoing);
      const client = hub.connect(transport, sessionId);
      await transport.ended;
      hub.disconnect(client);
    });
  });

  return live;
}

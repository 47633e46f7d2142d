/**
 * @module
 * The page's one WebSocket: connects, reads frames, notices a dead connection by its missing
 * heartbeats, and reconnects with exponential backoff and jitter (SPEC 2 "Heartbeat").
 */
import type { ServerMessage } from '../shared/protocol.js';
import { deadAfterMs, DEFAULT_HEARTBEAT_MS } from './heartbeat.js';

/** First retry delay; doubles each failed attempt up to {@link MAX_DELAY_MS}. */
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** A connection that lived this long was a good one: the next failure starts backoff afresh. */
const GOOD_CONNECTION_MS = 10_000;

/** How the connection stands, for the status indicator. */
export type ConnectionState =
  { kind: 'connecting' } | { kind: 'live' } | { kind: 'reconnecting'; retryAt: number } | { kind: 'offline' };

export interface ConnectionEvents {
  frame(frame: ServerMessage): void;
  state(state: ConnectionState): void;
}

/** Delay before retry number `attempt` (0-based): 0.5 s, 1 s, 2 s … 15 s, each ±20 % so pages do not retry in step. */
function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.min(MAX_DELAY_MS, Math.round(base * (0.8 + random() * 0.4)));
}

/** The socket URL for this page: `/ws`, or `/ws/<id>` on a session page; `wss:` under https. */
export function socketUrl(location: Location, sessionId: string | undefined): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const path = sessionId ? `/ws/${encodeURIComponent(sessionId)}` : '/ws';
  return `${scheme}//${location.host}${path}`;
}

const BACKFILL_COUNTS = ['filesDone', 'filesTotal', 'bytesDone', 'bytesTotal'] as const;

/** Frames are checked for their shape once, here; a frame of a type this page does not know passes through. */
function parseFrame(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as {
    type?: unknown;
    session?: { id?: unknown };
    sessions?: unknown;
    metrics?: { sessionId?: unknown };
    progress?: Record<string, unknown>;
    agent?: { id?: unknown; sessionId?: unknown };
    sessionId?: unknown;
    lines?: unknown;
  };
  if (typeof frame.type !== 'string') return null;
  if (frame.type === 'session' && typeof frame.session?.id !== 'string') return null;
  if (frame.type === 'snapshot' && !Array.isArray(frame.sessions)) return null;
  if (frame.type === 'metrics' && typeof frame.metrics?.sessionId !== 'string') return null;
  if (
    frame.type === 'agent' &&
    (typeof frame.agent?.sessionId !== 'string' || typeof frame.agent.id !== 'string')
  )
    return null;
  // Each line is checked where it is drawn (log-tail.ts); a bad one is skipped, not the frame.
  if (frame.type === 'log' && (typeof frame.sessionId !== 'string' || !Array.isArray(frame.lines)))
    return null;
  if (frame.type === 'plan' && typeof frame.sessionId !== 'string') return null;
  if (frame.type === 'backfill') {
    const progress = frame.progress;
    if (typeof progress !== 'object' || progress === null || typeof progress.done !== 'boolean') return null;
    if (BACKFILL_COUNTS.some((key) => typeof progress[key] !== 'number')) return null;
  }
  return value as ServerMessage;
}

export class Connection {
  readonly #url: string;
  readonly #events: ConnectionEvents;
  #ws: WebSocket | null = null;
  #attempt = 0;
  #openedAt = 0;
  #lastFrameAt: number | null = null;
  /** Silence that means the socket is dead; `hello` says how often the server beats. */
  #deadAfterMs = deadAfterMs(DEFAULT_HEARTBEAT_MS);
  #retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(url: string, events: ConnectionEvents) {
    this.#url = url;
    this.#events = events;
    addEventListener('online', () => this.#retryNow());
    addEventListener('offline', () => {
      if (this.#ws === null) this.#events.state({ kind: 'offline' });
    });
  }

  /** When the last frame of any kind arrived (ms), or null before the first. */
  get lastFrameAt(): number | null {
    return this.#lastFrameAt;
  }

  /** Opens the socket. */
  start(): void {
    this.#connect();
  }

  /** Called every second: a live socket silent for a few heartbeats is closed and replaced. */
  check(now: number): void {
    if (this.#ws?.readyState !== WebSocket.OPEN || this.#lastFrameAt === null) return;
    if (now - this.#lastFrameAt > this.#deadAfterMs) this.#drop();
  }

  #connect(): void {
    this.#retryTimer = null;
    this.#events.state({ kind: 'connecting' });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url);
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      this.#openedAt = Date.now();
      this.#lastFrameAt = this.#openedAt;
      this.#events.state({ kind: 'live' });
    };
    ws.onmessage = (event: MessageEvent) => {
      this.#lastFrameAt = Date.now();
      const frame = parseFrame(event.data);
      if (frame?.type === 'hello') this.#deadAfterMs = deadAfterMs(frame.heartbeatMs);
      if (frame) this.#events.frame(frame);
    };
    // `error` is always followed by `close`, which does the work.
    ws.onclose = () => this.#drop();
  }

  /** Forgets the socket (without waiting for a dead network to finish closing it) and plans the next try. */
  #drop(): void {
    const ws = this.#ws;
    if (ws === null) return;
    this.#ws = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close();
    if (this.#openedAt !== 0 && Date.now() - this.#openedAt >= GOOD_CONNECTION_MS) this.#attempt = 0;
    this.#openedAt = 0;
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (!navigator.onLine) {
      // The `online` event brings it back; retrying before that only burns battery.
      this.#events.state({ kind: 'offline' });
      return;
    }
    const delay = backoffDelay(this.#attempt++);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
    this.#events.state({ kind: 'reconnecting', retryAt: Date.now() + delay });
  }

  #retryNow(): void {
    if (this.#ws !== null) return;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#attempt = 0;
    this.#connect();
  }
}

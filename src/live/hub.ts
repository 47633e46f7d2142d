/**
 * @module
 * The hub owns every live connection (WebSocket and SSE alike) and pushes only what changed:
 * each client remembers the last hash it was sent per session (SPEC 2), a frame is serialized
 * once per change however many clients get it, one client's failure never touches another,
 * and a client whose send buffer keeps growing is dropped (SPEC 7).
 */
import {
  PROTOCOL_VERSION,
  type Agent,
  type BackfillProgress,
  type LogLine,
  type PlanPhase,
  type ServerMessage,
  type Session,
  type SessionMetrics,
} from '../shared/protocol.js';
import type { Clock, TimerHandle } from '../shared/clock.js';

/** What the hub needs of a connection; the WebSocket and SSE routes adapt theirs to it. */
export interface Transport {
  send(text: string): void;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

export interface HubClient {
  readonly id: number;
  /** The one session this client follows, or null for all. */
  readonly sessionId: string | null;
  readonly transport: Transport;
  readonly lastHash: Map<string, string>;
}

export interface HubOptions {
  clock: Clock;
  /** The sessions a new client starts with, newest first, with their hashes. */
  snapshot: (sessionId: string | null) => Array<{ session: Session; hash: string }>;
  /** A followed session's current metrics, sent right after its snapshot. */
  metrics?: (sessionId: string) => { metrics: SessionMetrics; hash: string } | null;
  heartbeatMs?: number;
  /** A client with more than this many bytes unsent is dropped. */
  maxBufferedBytes?: number;
  onDrop?: (client: HubClient, reason: string) => void;
}

export class Hub {
  readonly #clients = new Map<number, HubClient>();
  readonly #clock: Clock;
  readonly #snapshot: HubOptions['snapshot'];
  readonly #metrics: NonNullable<HubOptions['metrics']>;
  readonly #heartbeatMs: number;
  readonly #maxBuffered: number;
  readonly #onDrop: NonNullable<HubOptions['onDrop']>;
  #nextId = 1;
  #heartbeat: TimerHandle | null = null;
  #framesSent = 0;

  constructor({
    clock,
    snapshot,
    metrics = () => null,
    heartbeatMs = 5_000,
    maxBufferedBytes = 8 * 1024 * 1024,
    onDrop = () => {},
  }: HubOptions) {
    this.#clock = clock;
    this.#snapshot = snapshot;
    this.#metrics = metrics;
    this.#heartbeatMs = heartbeatMs;
    this.#maxBuffered = maxBufferedBytes;
    this.#onDrop = onDrop;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** How many clients follow a session now (those following all sessions, and that one's own). */
  audience(sessionId: string): number {
    let count = 0;
    for (const client of this.#clients.values()) {
      if (client.sessionId === null || client.sessionId === sessionId) count++;
    }
    return count;
  }

  /** Session frames sent since start (for health and benchmarks). */
  get framesSent(): number {
    return this.#framesSent;
  }

  /** Registers a connection and greets it with `hello` then `snapshot`. */
  connect(transport: Transport, sessionId: string | null): HubClient {
    const client: HubClient = { id: this.#nextId++, sessionId, transport, lastHash: new Map() };
    this.#clients.set(client.id, client);
    const serverTime = new Date(this.#clock.now()).toISOString();
    const sessions: Session[] = [];
    for (const { session, hash } of this.#snapshot(sessionId)) {
      sessions.push(session);
      client.lastHash.set(session.id, hash);
    }
    this.#deliver(
      client,
      JSON.stringify({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        serverTime,
        sessionId,
      } satisfies ServerMessage),
    );
    this.#deliver(client, JSON.stringify({ type: 'snapshot', sessions } satisfies ServerMessage));
    const current = sessionId === null ? null : this.#metrics(sessionId);
    if (current) {
      client.lastHash.set(metricsKey(current.metrics.sessionId), current.hash);
      this.#deliver(
        client,
        JSON.stringify({ type: 'metrics', metrics: current.metrics } satisfies ServerMessage),
      );
    }
    return client;
  }

  disconnect(client: HubClient): void {
    this.#clients.delete(client.id);
  }

  /** Sends a `session` frame to every client whose last hash for it differs; returns how many. */
  publish(session: Session, hash: string): number {
    let frame: string | null = null;
    let sent = 0;
    for (const client of this.#clients.values()) {
      if (client.sessionId !== null && client.sessionId !== session.id) continue;
      if (client.lastHash.get(session.id) === hash) continue;
      frame ??= JSON.stringify({ type: 'session', session } satisfies ServerMessage);
      client.lastHash.set(session.id, hash);
      if (this.#deliver(client, frame)) sent++;
    }
    this.#framesSent += sent;
    return sent;
  }

  /** Sends a `metrics` frame to every client whose last metrics hash for that session differs. */
  publishMetrics(metrics: SessionMetrics, hash: string): number {
    const key = metricsKey(metrics.sessionId);
    let frame: string | null = null;
    let sent = 0;
    for (const client of this.#clients.values()) {
      if (client.sessionId !== null && client.sessionId !== metrics.sessionId) continue;
      if (client.lastHash.get(key) === hash) continue;
      frame ??= JSON.stringify({ type: 'metrics', metrics } satisfies ServerMessage);
      client.lastHash.set(key, hash);
      if (this.#deliver(client, frame)) sent++;
    }
    return sent;
  }

  /** Sends an `agent` frame to every client whose last hash for that agent differs. */
  publishAgent(agent: Agent, hash: string): number {
    const key = `agent\u0000${agent.sessionId}\u0000${agent.id}`;
    let frame: string | null = null;
    let sent = 0;
    for (const client of this.#clients.values()) {
      if (client.sessionId !== null && client.sessionId !== agent.sessionId) continue;
      if (client.lastHash.get(key) === hash) continue;
      frame ??= JSON.stringify({ type: 'agent', agent } satisfies ServerMessage);
      client.lastHash.set(key, hash);
      if (this.#deliver(client, frame)) sent++;
    }
    return sent;
  }

  /** Sends a session's phase plan to clients whose last plan hash for it differs. */
  publishPlan(sessionId: string, plan: PlanPhase[], hash: string): number {
    const key = `plan\u0000${sessionId}`;
    let frame: string | null = null;
    let sent = 0;
    for (const client of this.#clients.values()) {
      if (client.sessionId !== null && client.sessionId !== sessionId) continue;
      if (client.lastHash.get(key) === hash) continue;
      frame ??= JSON.stringify({ type: 'plan', sessionId, plan } satisfies ServerMessage);
      client.lastHash.set(key, hash);
      if (this.#deliver(client, frame)) sent++;
    }
    return sent;
  }

  /** Tells every client how far the first read of Claude Code history has come. */
  broadcastBackfill(progress: BackfillProgress): void {
    if (this.#clients.size === 0) return;
    const frame = JSON.stringify({ type: 'backfill', progress } satisfies ServerMessage);
    for (const client of this.#clients.values()) this.#deliver(client, frame);
  }

  /** Sends new log lines of a session to every client following it; returns how many. */
  broadcastLog(sessionId: string, lines: LogLine[]): number {
    let frame: string | null = null;
    let sent = 0;
    for (const client of this.#clients.values()) {
      if (client.sessionId !== null && client.sessionId !== sessionId) continue;
      frame ??= JSON.stringify({ type: 'log', sessionId, lines } satisfies ServerMessage);
      if (this.#deliver(client, frame)) sent++;
    }
    return sent;
  }

  /** Sends one frame to a single client (replies such as `pong`). */
  reply(client: HubClient, message: ServerMessage): void {
    this.#deliver(client, JSON.stringify(message));
  }

  start(): void {
    this.stop();
    this.#heartbeat = this.#clock.setInterval(() => this.heartbeat(), this.#heartbeatMs);
  }

  stop(): void {
    if (this.#heartbeat) this.#clock.clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  heartbeat(): void {
    if (this.#clients.size === 0) return;
    const frame = JSON.stringify({
      type: 'heartbeat',
      serverTime: new Date(this.#clock.now()).toISOString(),
    } satisfies ServerMessage);
    for (const client of this.#clients.values()) this.#deliver(client, frame);
  }

  /** Closes every connection (shutdown). */
  closeAll(reason = 'server shutting down'): void {
    this.stop();
    for (const client of this.#clients.values()) {
      try {
        client.transport.close(1001, reason);
      } catch {
        // The connection is already gone; nothing to tell it.
      }
    }
    this.#clients.clear();
  }

  #deliver(client: HubClient, frame: string): boolean {
    if (client.transport.bufferedAmount() > this.#maxBuffered) {
      this.#drop(client, 'send buffer over limit: the client is not keeping up');
      return false;
    }
    try {
      client.transport.send(frame);
      return true;
    } catch (error) {
      this.#drop(client, `send failed: ${(error as Error).message}`);
      return false;
    }
  }

  #drop(client: HubClient, reason: string): void {
    if (!this.#clients.delete(client.id)) return;
    try {
      client.transport.close(1008, reason.slice(0, 120));
    } catch {
      // Already closed.
    }
    this.#onDrop(client, reason);
  }
}

/** Metrics hashes live beside session hashes in a client's map, under their own key. */
function metricsKey(sessionId: string): string {
  return `metrics\u0000${sessionId}`;
}

/**
 * @module
 * The hub owns every live connection (WebSocket and SSE alike) and pushes only what changed:
 * each client remembers the last hash it was sent per key (a session, its metrics, an agent, a
 * plan; SPEC 2), every frame kind goes through one publish path that serializes it once however
 * many clients get it, one client's failure never touches another, and a client whose unsent
 * bytes pass a limit is cut off at once (SPEC 7). A client may ask for every frame redacted (the
 * stream overlay, SPEC 5): it gets a redacted copy, made once per publish for all such clients,
 * and compared by its own hash so that a change it cannot see sends it nothing.
 */
import {
  PROTOCOL_VERSION,
  type Agent,
  type BackfillProgress,
  type LogLine,
  type PlanPhase,
  type ServerMessage,
  type Session,
} from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import { Frame } from './frame.js';

/** What the hub needs of a connection; src/live/transports.ts adapts WebSocket and SSE to it. */
export interface Transport {
  /** Sends one frame; `type` is the frame's own `type`, for transports that name their events (SSE). */
  send(text: string, type: ServerMessage['type']): void;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
  /** Closes politely, telling the peer why (shutdown). */
  close(code: number, reason: string): void;
  /** Cuts the connection at once, discarding whatever is still queued. */
  destroy(): void;
}

export interface HubClient {
  readonly id: number;
  /** The one session this client follows, or null for all. */
  readonly sessionId: string | null;
  readonly transport: Transport;
  readonly lastHash: Map<string, string>;
  /** Gets every frame with what a build wrote redacted (see src/shared/redact-frames.ts). */
  readonly redact: boolean;
}

export interface ConnectOptions {
  /** Redact every frame this client gets: the overlay on a stream (SPEC 5). */
  redact?: boolean;
}

export interface HubOptions {
  clock: Clock;
  /** The sessions a new client starts with, newest first, with their hashes. */
  snapshot: (sessionId: string | null) => Array<{ session: Session; hash: string }>;
  /** A followed session's current metrics, sent right after its snapshot. */
  metrics?: (sessionId: string) => { metrics: SessionMetrics; hash: string } | null;
  heartbeatMs?: number;
  /** A client with more than this many bytes unsent is dropped (`--max-client-buffer`). */
  maxBufferedBytes?: number;
  onDrop?: (client: HubClient, reason: string) => void;
}

/** The default of `--max-client-buffer`: a client that keeps up never has 1 MiB unsent. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * One frame and who gets it: the clients following `audience` (null: every client), and with a
 * `change`, only those whose last hash under its key differs (change-only frames).
 */
interface Publication {
  audience: string | null;
  message: ServerMessage;
  change?: { key: string; hash: string };
}

/** The keys under which a client remembers what it was last sent, beside session ids. */
const changeKey = {
  session: (sessionId: string) => sessionId,
  metrics: (sessionId: string) => `metrics\u0000${sessionId}`,
  agent: (sessionId: string, agentId: string) => `agent\u0000${sessionId}\u0000${agentId}`,
  plan: (sessionId: string) => `plan\u0000${sessionId}`,
};

export class Hub {
  readonly #clients = new Map<number, HubClient>();
  readonly #clock: Clock;
  readonly #snapshot: HubOptions['snapshot'];
  readonly #metrics: NonNullable<HubOptions['metrics']>;
  readonly #heartbeatMs: number;
  readonly #maxBuffered: number;
  readonly #onDrop: NonNullable<HubOptions['onDrop']>;
  readonly #lastSent = new Map<string, number>();
  #nextId = 1;
  #heartbeat: TimerHandle | null = null;
  #framesSent = 0;

  constructor({
    clock,
    snapshot,
    metrics = () => null,
    heartbeatMs = 5_000,
    maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES,
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
    const follows = (client: HubClient) => client.sessionId === null || client.sessionId === sessionId;
    return [...this.#clients.values()].filter(follows).length;
  }

  /** Session frames sent since start (for health and benchmarks). */
  get framesSent(): number {
    return this.#framesSent;
  }

  /** How many clients the last `session` frame of this session reached (0 before the first). */
  lastSent(sessionId: string): number {
    return this.#lastSent.get(sessionId) ?? 0;
  }

  /** Registers a connection and greets it with `hello` then `snapshot` (and metrics on `/ws/:id`). */
  connect(
    transport: Transport,
    sessionId: string | null,
    { redact = false }: ConnectOptions = {},
  ): HubClient {
    const client: HubClient = { id: this.#nextId++, sessionId, transport, lastHash: new Map(), redact };
    this.#clients.set(client.id, client);
    // What the client is compared by later: the hash of what it is shown.
    const seen = (message: ServerMessage, hash: string) => (redact ? Frame.redacted(message).hash() : hash);
    const sessions: Session[] = [];
    for (const { session, hash } of this.#snapshot(sessionId)) {
      sessions.push(session);
      client.lastHash.set(changeKey.session(session.id), seen({ type: 'session', session }, hash));
    }
    this.reply(client, {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      serverTime: this.#serverTime(),
      sessionId,
      heartbeatMs: this.#heartbeatMs,
    });
    this.reply(client, { type: 'snapshot', sessions });
    const current = sessionId === null ? null : this.#metrics(sessionId);
    if (current) {
      const message: ServerMessage = { type: 'metrics', metrics: current.metrics };
      client.lastHash.set(changeKey.metrics(current.metrics.sessionId), seen(message, current.hash));
      this.reply(client, message);
    }
    return client;
  }

  disconnect(client: HubClient): void {
    this.#clients.delete(client.id);
  }

  /** Sends a `session` frame to every client whose last hash for it differs; returns how many. */
  publish(session: Session, hash: string): number {
    const sent = this.#publish({
      audience: session.id,
      message: { type: 'session', session },
      change: { key: changeKey.session(session.id), hash },
    });
    this.#framesSent += sent;
    this.#lastSent.set(session.id, sent);
    return sent;
  }

  /** Sends a `metrics` frame to every client whose last metrics hash for that session differs. */
  publishMetrics(metrics: SessionMetrics, hash: string): number {
    return this.#publish({
      audience: metrics.sessionId,
      message: { type: 'metrics', metrics },
      change: { key: changeKey.metrics(metrics.sessionId), hash },
    });
  }

  /** Sends an `agent` frame to every client whose last hash for that agent differs. */
  publishAgent(agent: Agent, hash: string): number {
    return this.#publish({
      audience: agent.sessionId,
      message: { type: 'agent', agent },
      change: { key: changeKey.agent(agent.sessionId, agent.id), hash },
    });
  }

  /** Sends a session's phase plan to clients whose last plan hash for it differs. */
  publishPlan(sessionId: string, plan: PlanPhase[], hash: string): number {
    return this.#publish({
      audience: sessionId,
      message: { type: 'plan', sessionId, plan },
      change: { key: changeKey.plan(sessionId), hash },
    });
  }

  /** Tells every client how far the first read of Claude Code history has come. */
  broadcastBackfill(progress: BackfillProgress): void {
    this.#publish({ audience: null, message: { type: 'backfill', progress } });
  }

  /** Sends new log lines of a session to every client following it; returns how many. */
  broadcastLog(sessionId: string, lines: LogLine[]): number {
    return this.#publish({ audience: sessionId, message: { type: 'log', sessionId, lines } });
  }

  /** Sends one frame to a single client (greetings, and replies such as `pong`). */
  reply(client: HubClient, message: ServerMessage): void {
    const frame = client.redact ? Frame.redacted(message) : new Frame(message);
    this.#deliver(client, frame.text(), message.type);
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
    this.#publish({ audience: null, message: { type: 'heartbeat', serverTime: this.#serverTime() } });
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

  /** The one path every published frame takes; returns how many clients it reached. */
  #publish({ audience, message, change }: Publication): number {
    const plain = new Frame(message, change?.hash);
    let redacted: Frame | null = null;
    let sent = 0;
    for (const client of this.#clients.values()) {
      if (audience !== null && client.sessionId !== null && client.sessionId !== audience) continue;
      const frame = client.redact ? (redacted ??= Frame.redacted(message)) : plain;
      if (change) {
        const hash = frame.hash();
        if (client.lastHash.get(change.key) === hash) continue;
        client.lastHash.set(change.key, hash);
      }
      if (this.#deliver(client, frame.text(), message.type)) sent++;
    }
    return sent;
  }

  #serverTime(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  #deliver(client: HubClient, frame: string, type: ServerMessage['type']): boolean {
    if (client.transport.bufferedAmount() > this.#maxBuffered) {
      this.#drop(client, 'send buffer over limit: the client is not keeping up');
      return false;
    }
    try {
      client.transport.send(frame, type);
      return true;
    } catch (error) {
      this.#drop(client, `send failed: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Forgets a client and cuts its connection at once: a polite close would queue behind the very
   * bytes it is not reading, and keep the socket open until the close handshake times out.
   */
  #drop(client: HubClient, reason: string): void {
    if (!this.#clients.delete(client.id)) return;
    try {
      client.transport.destroy();
    } catch {
      // Already gone.
    }
    this.#onDrop(client, reason);
  }
}

/**
 * @module
 * A fleet of WebSocket clients held by the benchmark process: each records, on the bench's
 * monotonic clock, when it gets the frame carrying a write's marker, and checks that no
 * `session` frame repeats the content it last got for that session (SPEC 2, SPEC 8).
 */
import WebSocket from 'ws';
import type { LatencyHistogram } from './stats.js';
import type { WriteLog } from './write-log.js';

const SESSION_PREFIX = '{"type":"session","session":';

export interface FleetCounts {
  /** `session` frames received, all clients together. */
  sessionFrames: number;
  /** Frames whose session content equals the previous one this client got for that session. */
  redundantFrames: number;
  /** Frames whose marker belongs to a write of another session (should never happen). */
  wrongSession: number;
  /** Clients whose connection ended before the fleet was closed. */
  closedEarly: number;
}

interface ClientState {
  socket: WebSocket;
  /** Last content per session id, as serialized by the server. */
  last: Map<string, string>;
  /** Last marker seen per session id, so a repeated marker is counted once. */
  lastMarker: Map<string, string>;
}

interface SessionLike {
  id?: unknown;
  progressDetail?: unknown;
}

export class ClientFleet {
  readonly counts: FleetCounts = { sessionFrames: 0, redundantFrames: 0, wrongSession: 0, closedEarly: 0 };
  readonly #clients: ClientState[] = [];
  readonly #log: WriteLog;
  readonly #latency: LatencyHistogram;
  #closing = false;

  private constructor(log: WriteLog, latency: LatencyHistogram) {
    this.#log = log;
    this.#latency = latency;
  }

  /** Opens `count` clients on `wsUrl`; resolves once each has its snapshot. */
  static async open(
    wsUrl: string,
    count: number,
    log: WriteLog,
    latency: LatencyHistogram,
    timeoutMs = 20_000,
  ): Promise<ClientFleet> {
    const fleet = new ClientFleet(log, latency);
    const ready: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) ready.push(fleet.#connect(wsUrl, timeoutMs));
    try {
      await Promise.all(ready);
    } catch (error) {
      fleet.close();
      throw error;
    }
    return fleet;
  }

  /** Ends every connection at once. */
  close(): void {
    this.#closing = true;
    for (const client of this.#clients) client.socket.terminate();
  }

  #connect(wsUrl: string, timeoutMs: number): Promise<void> {
    const socket = new WebSocket(wsUrl, { perMessageDeflate: false });
    const client: ClientState = { socket, last: new Map(), lastMarker: new Map() };
    this.#clients.push(client);
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(
        () => reject(new Error(`no snapshot from ${wsUrl} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.on('message', (data: Buffer) => {
        const received = performance.now();
        const text = data.toString('utf8');
        if (text.startsWith(SESSION_PREFIX)) {
          this.#onSession(client, text, received);
          return;
        }
        const message = JSON.parse(text) as { type?: string; sessions?: SessionLike[] };
        if (message.type === 'snapshot' && !ready) {
          for (const session of message.sessions ?? []) {
            if (typeof session.id !== 'string') continue;
            client.last.set(session.id, JSON.stringify(session));
            if (typeof session.progressDetail === 'string')
              client.lastMarker.set(session.id, session.progressDetail);
          }
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        if (!ready) reject(error);
      });
      socket.on('close', () => {
        if (!this.#closing) this.counts.closedEarly++;
      });
    });
  }

  #onSession(client: ClientState, text: string, received: number): void {
    this.counts.sessionFrames++;
    const content = text.slice(SESSION_PREFIX.length, -1);
    const session = JSON.parse(content) as SessionLike;
    if (typeof session.id !== 'string') return;
    if (client.last.get(session.id) === content) this.counts.redundantFrames++;
    client.last.set(session.id, content);
    const marker = session.progressDetail;
    if (typeof marker !== 'string' || client.lastMarker.get(session.id) === marker) return;
    client.lastMarker.set(session.id, marker);
    const write = this.#log.get(marker);
    if (!write) return;
    if (write.sessionId !== session.id) {
      this.counts.wrongSession++;
      return;
    }
    write.received++;
    if (write.measured) this.#latency.record(received - write.t0);
  }
}

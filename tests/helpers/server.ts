/**
 * Test helpers: a real buildcast server on port 0 over a real temporary folder and SQLite file,
 * and a real `ws` client that records frames.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '../../src/shared/protocol.js';
import type { Clock } from '../../src/shared/clock.js';
import type { Config } from '../../src/server/config.js';
import type { Hub } from '../../src/live/hub.js';
import { startServer, type ServerHandle } from '../../src/server/main.js';

export function tempDir(prefix = 'buildcast-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    command: 'serve',
    roots: [],
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    debounceMs: 20,
    freshMs: 10_000,
    stallMs: 600_000,
    heartbeatMs: 5_000,
    checkpoints: [],
    claudeDirs: [],
    pricing: null,
    token: null,
    overlayToken: null,
    public: false,
    allowedHosts: [],
    rate: 10_000,
    maxBodyBytes: 256 * 1024,
    maxClientBufferBytes: 1024 * 1024,
    retainDays: null,
    dir: null,
    speed: 1,
    project: 'weather-app',
    ...overrides,
  };
}

export async function startTestServer(overrides: Partial<Config> = {}, clock?: Clock): Promise<ServerHandle> {
  return startServer(testConfig(overrides), clock ? { clock } : {});
}

/** Writes `<workdir>/.context-foundry/current-phase.json` (object → JSON, string as is). */
export function writePhaseFile(workdir: string, content: object | string, { atomic = false } = {}): string {
  const folder = path.join(workdir, '.context-foundry');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'current-phase.json');
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
  if (atomic) {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } else {
    writeFileSync(file, text);
  }
  return file;
}

export function phase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: 'weather-app',
    current_phase: 'Scout',
    phase_number: '1/7',
    status: 'researching',
    progress_detail: 'Reading the task',
    test_iteration: 0,
    phases_completed: [],
    started_at: '2026-11-20T14:02:11Z',
    last_updated: '2026-11-20T14:02:11Z',
    ...overrides,
  };
}

/** A real WebSocket client that keeps every frame it gets. */
export class FrameClient {
  readonly frames: ServerMessage[] = [];
  readonly socket: WebSocket;
  readonly #waiters: Array<() => void> = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerMessage);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<FrameClient> {
    const socket = new WebSocket(url, { headers });
    const client = new FrameClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
    });
    await client.waitFor((f) => f.type === 'snapshot');
    return client;
  }

  of<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.frames.filter((f): f is Extract<ServerMessage, { type: T }> => f.type === type);
  }

  /** Resolves with the first frame (already received or coming) that matches. */
  async waitFor<T extends ServerMessage>(
    match: (frame: ServerMessage) => frame is T,
    timeoutMs?: number,
  ): Promise<T>;
  async waitFor(match: (frame: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  async waitFor(match: (frame: ServerMessage) => boolean, timeoutMs = 5_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns a value (not undefined/false) or the time runs out. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** Follows the `seq` of the last log line a socket received, without keeping the frames. */
export function lastLogSeq(socket: WebSocket): () => number {
  let seq = 0;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; lines?: Array<{ seq: number }> };
    if (frame.type === 'log' && frame.lines?.[0]) seq = frame.lines[0].seq;
  });
  return () => seq;
}

/**
 * Publishes 256 KiB log frames straight from the hub, each once `received` has it (so that client
 * keeps up), until `done()` or 1,000 frames; returns how many frames and bytes went out.
 */
export async function floodLogs(
  hub: Hub,
  received: () => number,
  done: () => boolean,
): Promise<{ frames: number; bytes: number }> {
  const text = 'x'.repeat(256 * 1024);
  let frames = 0;
  while (!done() && frames < 1_000) {
    frames++;
    hub.broadcastLog('weather-app-20261120T140211Z', [
      { seq: frames, at: '2026-11-20T14:00:00.000Z', level: 'info', text, source: 'push' },
    ]);
    await eventually(() => received() === frames);
  }
  return { frames, bytes: frames * text.length };
}

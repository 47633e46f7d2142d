import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { LatencyHistogram } from '../../bench/stats.js';
import { WriteLog } from '../../bench/write-log.js';
import { ClientFleet } from '../../bench/ws-clients.js';

const session = (progressDetail: string) => ({ id: 'p17-20261120T140211Z', project: 'p17', progressDetail });
const frame = (progressDetail: string) =>
  JSON.stringify({ type: 'session', session: session(progressDetail) });

let server: WebSocketServer | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A server that greets like buildcast and then sends `frames` to each client. */
async function serve(frames: string[]): Promise<string> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  server.on('connection', (socket: WebSocket) => {
    socket.send(JSON.stringify({ type: 'hello', protocol: 1 }));
    socket.send(JSON.stringify({ type: 'snapshot', sessions: [session('start')] }));
    setTimeout(() => {
      for (const text of frames) socket.send(text);
    }, 20);
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('ClientFleet', () => {
  it('counts a frame that repeats what the client already had, the snapshot included', async () => {
    const url = await serve([frame('start'), frame('w1'), frame('w1'), frame('w2')]);
    const log = new WriteLog(2);
    const latency = new LatencyHistogram();
    log.add('w1', { sessionId: 'p17-20261120T140211Z', t0: performance.now(), measured: true, received: 0 });
    const fleet = await ClientFleet.open(url, 2, log, latency);
    try {
      await until(() => fleet.counts.sessionFrames === 8);
      expect(fleet.counts.sessionFrames).toBe(8);
      expect(fleet.counts.redundantFrames).toBe(4);
      expect(latency.count).toBe(2);
      expect(log.get('w1')!.received).toBe(2);
      expect(fleet.counts.wrongSession).toBe(0);
    } finally {
      fleet.close();
    }
  });

  it('flags a frame whose marker belongs to another session', async () => {
    const url = await serve([frame('w9')]);
    const log = new WriteLog(1);
    log.add('w9', {
      sessionId: 'other-20261120T140211Z',
      t0: performance.now(),
      measured: true,
      received: 0,
    });
    const fleet = await ClientFleet.open(url, 1, log, new LatencyHistogram());
    try {
      await until(() => fleet.counts.sessionFrames === 1);
      expect(fleet.counts.wrongSession).toBe(1);
      expect(log.get('w9')!.received).toBe(0);
    } finally {
      fleet.close();
    }
  });
});

/**
 * SPEC 7 per-address limits: a token bucket on ingest (429 with `Retry-After` past it, driven by a
 * fake clock) whose memory stays bounded, and a cap on live streams per address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeClock } from '../../src/shared/clock.js';
import type { ServerHandle } from '../../src/server/main.js';
import { MAX_SOCKETS_PER_ADDRESS, TokenBuckets } from '../../src/server/rate-limit.js';
import { FrameClient, phase, startTestServer } from '../helpers/server.js';

describe('token buckets', () => {
  it('allow a burst of twice the rate, then ask for whole seconds until it refills', () => {
    const clock = new FakeClock();
    const buckets = new TokenBuckets({ perSecond: 2, clock });
    const answers = Array.from({ length: 5 }, () => buckets.take('10.0.0.1'));
    expect(answers).toEqual([0, 0, 0, 0, 1]);
    expect(buckets.take('10.0.0.2')).toBe(0);
    clock.advance(499);
    expect(buckets.take('10.0.0.1')).toBe(1);
    clock.advance(1);
    expect(buckets.take('10.0.0.1')).toBe(0);
    clock.advance(60_000);
    expect(Array.from({ length: 5 }, () => buckets.take('10.0.0.1'))).toEqual([0, 0, 0, 0, 1]);
  });

  it('say how long a slow rate makes a client wait', () => {
    const clock = new FakeClock();
    const buckets = new TokenBuckets({ perSecond: 0.1, clock });
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(10);
    clock.advance(9_000);
    expect(buckets.take('a')).toBe(1);
  });

  it('forget the least recently seen address once too many are known', () => {
    const clock = new FakeClock();
    const buckets = new TokenBuckets({ perSecond: 1, clock, maxAddresses: 100 });
    for (const address of ['busy', 'quiet']) {
      buckets.take(address);
      buckets.take(address);
      expect(buckets.take(address)).toBe(1);
    }
    for (let i = 0; i < 10_000; i++) {
      buckets.take(`198.51.${i >> 8}.${i & 255}`);
      if (i % 50 === 0) buckets.take('busy');
      expect(buckets.size).toBeLessThanOrEqual(100);
    }
    // Seen all along, so still remembered and still empty; the quiet one was forgotten.
    expect(buckets.take('busy')).toBe(1);
    expect(buckets.take('quiet')).toBe(0);
  });
});

describe('rate limit on a real server', () => {
  let server: ServerHandle | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const push = () =>
    fetch(`${server!.url}/api/phase-update`, { method: 'POST', body: JSON.stringify(phase()) });

  it('answers 429 rate_limited with Retry-After past the burst, on ingest only, until time passes', async () => {
    const clock = new FakeClock();
    server = await startTestServer({ rate: 2 }, clock);
    for (let i = 0; i < 4; i++) expect((await push()).status).toBe(200);
    const refused = await push();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    const line = await fetch(`${server.url}/api/broadcast/weather-app`, { method: 'POST', body: 'x' });
    expect(line.status).toBe(429);
    expect((await fetch(`${server.url}/api/sessions`)).status).toBe(200);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    clock.advance(1_000);
    expect((await push()).status).toBe(200);
  });

  it('with --rate 0 has no limit', async () => {
    server = await startTestServer({ rate: 0 }, new FakeClock());
    for (let i = 0; i < 60; i++) expect((await push()).status).toBe(200);
  });

  it('by default lets a fast build through', async () => {
    server = await startTestServer({}, new FakeClock());
    const answers = await Promise.all(Array.from({ length: 300 }, () => push()));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  });
});

describe('live streams per address', () => {
  let server: ServerHandle | null = null;
  const clients: FrameClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = null;
  });

  const refusal = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => reject(new Error('opened past the cap')));
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
      socket.once('error', reject);
    });

  it(`refuses a WebSocket or SSE stream past ${MAX_SOCKETS_PER_ADDRESS} with 429, and takes one again when one closes`, async () => {
    server = await startTestServer();
    const ws = server.url.replace('http', 'ws');
    const sse = new AbortController();
    const stream = await fetch(`${server.url}/api/stream`, { signal: sse.signal });
    expect(stream.status).toBe(200);
    for (let i = 1; i < MAX_SOCKETS_PER_ADDRESS; i++) clients.push(await FrameClient.connect(`${ws}/ws`));
    expect(await refusal(`${ws}/ws`)).toBe(429);
    expect(await refusal(`${ws}/ws/weather-app`)).toBe(429);
    const extraStream = await fetch(`${server.url}/api/stream`);
    expect(extraStream.status).toBe(429);
    expect(((await extraStream.json()) as { error: { code: string } }).error.code).toBe(
      'too_many_connections',
    );
    // Pages and pushes are not streams.
    expect((await fetch(`${server.url}/api/sessions`)).status).toBe(200);

    clients.pop()!.close();
    clients.push(await retryConnect(`${ws}/ws`));
    sse.abort();
    clients.push(await retryConnect(`${ws}/ws/weather-app`));
  });
});

/** The count drops when the server sees the close, a moment after the client's close. */
async function retryConnect(url: string): Promise<FrameClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await FrameClient.connect(url);
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

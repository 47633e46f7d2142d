/**
 * A real HTTP server on port 0 that records every request it gets, standing in for buildcast's
 * ingest routes, and a way to play a simulation on a fake clock while real requests go out.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeClock } from '../../src/shared/clock.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers each request with `answer(request)` (status 200 and `{"status":"received"}` by default). */
export async function startRecorder(
  answer: (request: RecordedRequest) => number = () => 200,
): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const status = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status < 400 ? '{"status":"received"}' : `{"error":{"code":"x","message":"status ${status}"}}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL nothing listens on: a port that was free a moment ago. */
export async function refusedUrl(): Promise<string> {
  const recorder = await startRecorder();
  await recorder.close();
  return recorder.url;
}

/** Moves `clock` in small steps, letting real I/O run between them, until `work` settles. */
export async function playOn<T>(clock: FakeClock, work: Promise<T>, stepMs = 20): Promise<T> {
  let done = false;
  work.then(
    () => (done = true),
    () => (done = true),
  );
  // Bounded by wall time, not by turns: real requests and writes take as many turns as they need.
  const deadline = Date.now() + 20_000;
  while (!done && Date.now() < deadline) {
    if (clock.pending > 0) clock.advance(stepMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return work;
}

/**
 * @module
 * Timed GET requests over one kept-alive connection: the client-side round trip, and the
 * server's own time when it sends a `Server-Timing` header (its `dur` values summed).
 */
import http from 'node:http';

export interface TimedResponse {
  status: number;
  bytes: number;
  /** Round trip from request to last byte, in ms. */
  roundTripMs: number;
  /** Sum of `Server-Timing` durations, when the server sent any. */
  serverMs: number | null;
  body: string;
}

/** Sums the `dur=` parts of a `Server-Timing` header; null when absent. */
export function serverTimingMs(header: string | string[] | undefined): number | null {
  if (header === undefined) return null;
  const text = Array.isArray(header) ? header.join(',') : header;
  let total = 0;
  let found = false;
  for (const match of text.matchAll(/dur=([\d.]+)/g)) {
    total += Number(match[1]);
    found = true;
  }
  return found ? total : null;
}

/** One GET on `agent`; rejects on network errors only. */
export function timedGet(url: string, agent: http.Agent): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(url, { agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          bytes: body.length,
          roundTripMs: performance.now() - started,
          serverMs: serverTimingMs(response.headers['server-timing']),
          body: body.toString('utf8'),
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/**
 * @module
 * Limits per client address (SPEC 7): a token bucket for ingest requests (`--rate`, 429 with
 * `Retry-After` beyond it) and a cap on open live sockets (WebSocket and SSE). Both are kept in
 * memory that cannot grow without bound: buckets of the least recently seen addresses are
 * forgotten past {@link MAX_TRACKED_ADDRESSES}, and socket counts leave with their last socket.
 *
 * Addresses are the peer's own: `X-Forwarded-For` is not trusted, so behind a reverse proxy
 * every client shares the proxy's bucket.
 */
import { Lru } from '../shared/lru.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../shared/clock.js';
import { sendError } from './errors.js';
import { isIngestPath } from './guard.js';

/**
 * Ingest requests per second per address by default. A build pushes a few updates a second at
 * most and the push benchmark drives about 5,000 a second over loopback, so 10,000 (with a burst
 * of twice that) never touches real use; it only stops a runaway loop or a flood from one address
 * from taking the whole server.
 */
export const DEFAULT_INGEST_RATE = 10_000;

/** Open WebSocket and SSE streams per address: far more tabs and overlays than one person opens. */
export const MAX_SOCKETS_PER_ADDRESS = 64;

/** Addresses whose buckets are remembered at once; the least recently seen is forgotten first. */
const MAX_TRACKED_ADDRESSES = 4_096;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in clock milliseconds. */
  at: number;
}

export interface TokenBucketOptions {
  /** Requests per second refilled; must be above 0. */
  perSecond: number;
  /** Requests allowed at once after a quiet spell; by default twice the rate. */
  burst?: number;
  clock: Clock;
  maxAddresses?: number;
}

/** One token bucket per address. */
export class TokenBuckets {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #clock: Clock;
  /** Addresses in the order they were last seen; the one seen longest ago is forgotten first. */
  readonly #buckets: Lru<string, Bucket>;

  constructor({
    perSecond,
    burst = perSecond * 2,
    clock,
    maxAddresses = MAX_TRACKED_ADDRESSES,
  }: TokenBucketOptions) {
    this.#perMs = perSecond / 1000;
    this.#burst = Math.max(1, burst);
    this.#clock = clock;
    this.#buckets = new Lru(maxAddresses);
  }

  /** Takes one request from `address`'s bucket: 0 when it may go ahead, else whole seconds to wait. */
  take(address: string): number {
    const now = this.#clock.now();
    let bucket = this.#buckets.get(address);
    if (bucket) {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
      bucket.at = now;
    } else {
      bucket = { tokens: this.#burst, at: now };
      this.#buckets.set(address, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }

  /** Addresses remembered now. */
  get size(): number {
    return this.#buckets.size;
  }
}

/** Open sockets per address, refusing one past the cap. */
export class SocketCounts {
  readonly #open = new Map<string, number>();

  constructor(readonly max = MAX_SOCKETS_PER_ADDRESS) {}

  /** Counts a socket for `address`, or returns false when it already has the most it may. */
  open(address: string): boolean {
    const count = this.#open.get(address) ?? 0;
    if (count >= this.max) return false;
    this.#open.set(address, count + 1);
    return true;
  }

  close(address: string): void {
    const count = this.#open.get(address) ?? 0;
    if (count <= 1) this.#open.delete(address);
    else this.#open.set(address, count - 1);
  }

  /** Sockets open for `address`. */
  of(address: string): number {
    return this.#open.get(address) ?? 0;
  }
}

type NodeEnv = { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;

/** The peer's address, an IPv4 client seen through an IPv6 socket written as plain IPv4. */
function clientAddress(c: Context): string {
  const address = (c.env as NodeEnv)?.incoming?.socket?.remoteAddress;
  if (address === undefined) return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** 429 `rate_limited` with `Retry-After` for an ingest request past its address's bucket. */
export function ingestRateLimit(buckets: TokenBuckets): MiddlewareHandler {
  return async (c, next) => {
    if (isIngestPath(c.req.path)) {
      const wait = buckets.take(clientAddress(c));
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return sendError(c, 429, 'rate_limited', `too many requests from this address: retry in ${wait} s`);
      }
    }
    await next();
  };
}

function isLivePath(path: string): boolean {
  return (
    path === '/ws' ||
    path.startsWith('/ws/') ||
    path === '/api/stream' ||
    path === '/overlay/ws' ||
    path.startsWith('/overlay/ws/')
  );
}

/**
 * 429 `too_many_connections` for a WebSocket upgrade or SSE stream past its address's cap. A
 * socket is counted until its connection (WebSocket) or its answer (SSE) closes, whether or not a
 * later rule refuses it.
 */
export function socketLimit(counts: SocketCounts): MiddlewareHandler {
  return async (c, next) => {
    const env = c.env as NodeEnv;
    const upgrade = c.req.header('upgrade')?.toLowerCase() === 'websocket';
    // An upgraded connection carries nothing else; an SSE answer ends with its stream.
    const closing = upgrade
      ? env?.incoming?.socket
      : c.req.path === '/api/stream'
        ? env?.outgoing
        : undefined;
    if (!closing || !isLivePath(c.req.path)) return next();
    const address = clientAddress(c);
    if (!counts.open(address)) {
      return sendError(
        c,
        429,
        'too_many_connections',
        `this address already has ${counts.max} live streams open; close some first`,
      );
    }
    closing.once('close', () => counts.close(address));
    await next();
  };
}

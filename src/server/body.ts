/**
 * @module
 * Request bodies for the ingest routes, read straight from Node's request stream with a size
 * limit (SPEC 4: 413 beyond it), and parsed as JSON with a depth limit (400 `too_deep` beyond
 * it: `JSON.parse` copes with any depth, but every walk after it would not). Reading the stream
 * directly skips building a web `ReadableStream` per request, the largest single cost of a push.
 *
 * A body over the limit is still read to its end (and thrown away) before the 413 goes out: a
 * server that answers and closes while the client is still sending makes the client's next write
 * fail, and many clients then report a broken connection instead of the answer waiting for them.
 * Only past {@link DRAIN_LIMIT_BYTES} is the connection closed instead.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Context } from 'hono';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../collector/json-text.js';
import { ApiError } from './errors.js';

/** How much of an oversized body is read and dropped so its client can read the 413; beyond it the connection is closed. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** The body as UTF-8 text; a body over `maxBytes` is refused with a 413. */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  return (await readBodyBytes(c, maxBytes)).toString('utf8');
}

/** The body as bytes; a body over `maxBytes` is refused with a 413. */
export async function readBodyBytes(c: Context, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new ApiError(
      413,
      'payload_too_large',
      `request body is over the ${Math.round(maxBytes / 1024)} KB limit`,
    );
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    if (declared > maxBytes) throw tooLarge();
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (bytes.length > maxBytes) throw tooLarge();
    return bytes;
  }
  const body = declared > DRAIN_LIMIT_BYTES ? 'closed' : await readLimited(incoming, maxBytes);
  if (typeof body === 'string') {
    // The rest of the body is never read, so this connection cannot carry another request.
    if (body === 'closed') c.header('Connection', 'close');
    throw tooLarge();
  }
  return body.length === 1 ? body[0]! : Buffer.concat(body);
}

/**
 * The body's chunks when it fits in `maxBytes`; otherwise it is read to its end and dropped
 * (`'drained'`), or, past the drain limit, left unread (`'closed'`).
 */
function readLimited(incoming: IncomingMessage, maxBytes: number): Promise<Buffer[] | 'drained' | 'closed'> {
  if (incoming.readableEnded) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | null = [];
    let size = 0;
    const settle = (result: Buffer[] | 'drained' | 'closed' | Error) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        incoming.pause();
        settle('closed');
      } else if (size > maxBytes) chunks = null;
      else chunks?.push(chunk);
    };
    const onEnd = () => settle(chunks ?? 'drained');
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error('the client closed the connection while sending its body'));
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onError);
    incoming.once('close', onClose);
  });
}

/**
 * Parses a body as JSON (a BOM dropped), refusing invalid JSON (400 `bad_json`) and JSON nested
 * more than {@link MAX_JSON_DEPTH} levels deep (400 `too_deep`). `what` names the body in the
 * messages ("request body", "OTLP body").
 */
export function parseJsonBody(text: string, what = 'request body'): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new ApiError(400, 'bad_json', `${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (nestsDeeperThan(body)) {
    throw new ApiError(400, 'too_deep', `${what} is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return value;
}

/** Reads a request body as text and JSON, turning every failure into a 400 with a code. */
export async function readJsonBody(c: Context, maxBytes: number): Promise<{ text: string; value: unknown }> {
  const text = await readBodyText(c, maxBytes);
  if (text.trim() === '') {
    throw new ApiError(400, 'bad_json', 'request body is empty: send the phase file as JSON');
  }
  return { text, value: parseJsonBody(text) };
}

/** A body as it was sent, before its `Content-Encoding` was undone. */
export type DecodedBody =
  { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413 | 415; problem: string };

type Inflate = (bytes: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;
const gunzip: Inflate = promisify(zlib.gunzip);
const inflateZlib: Inflate = promisify(zlib.inflate);
const inflateRaw: Inflate = promisify(zlib.inflateRaw);

/**
 * HTTP's `deflate` is zlib-wrapped (RFC 9110 8.4.1.2), but some clients send the bare stream:
 * a zlib header is a deflate method nibble and a check that makes the first two bytes a multiple of 31.
 */
const inflate: Inflate = (bytes, options) =>
  bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0
    ? inflateZlib(bytes, options)
    : inflateRaw(bytes, options);

/** The content codings a request body may arrive in; `identity` (or none) is the body as is. */
const CODINGS: ReadonlyMap<string, Inflate> = new Map([
  ['gzip', gunzip],
  ['x-gzip', gunzip],
  ['deflate', inflate],
]);

/**
 * Undoes a request's `Content-Encoding` (gzip or deflate), never producing more than `maxBytes`:
 * zlib stops at that size, so a small body that inflates to gigabytes (a gzip bomb) is a 413,
 * never an exhausted memory. An unknown coding is a 415 and a corrupt stream a 400.
 */
export async function decodeContentEncoding(
  bytes: Buffer,
  header: string | undefined,
  maxBytes: number,
): Promise<DecodedBody> {
  const coding = (header ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return { ok: true, bytes };
  const decode = CODINGS.get(coding);
  if (!decode) {
    const problem = `Content-Encoding "${coding.slice(0, 40)}" is not supported: send gzip, deflate or none`;
    return { ok: false, status: 415, problem };
  }
  try {
    return { ok: true, bytes: await decode(bytes, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      const problem = `request body inflates to more than the ${Math.round(maxBytes / 1024)} KB limit`;
      return { ok: false, status: 413, problem };
    }
    return {
      ok: false,
      status: 400,
      problem: `request body is not valid ${coding}: ${(error as Error).message}`,
    };
  }
}

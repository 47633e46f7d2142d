/**
 * @module
 * Request bodies for the ingest routes, read straight from Node's request stream with a size
 * limit (SPEC 4: 413 beyond it), and parsed as JSON with a depth limit (400 `too_deep` beyond
 * it: `JSON.parse` copes with any depth, but every walk after it would not). Reading the stream
 * directly skips building a web `ReadableStream` per request, the largest single cost of a push.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../collector/json-text.js';
import { ApiError } from './errors.js';

/** The body as UTF-8 text; a body over `maxBytes` is refused with a 413 and its connection closed. */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  const tooLarge = () => {
    // The rest of the body is never read, so this connection cannot carry another request.
    c.header('Connection', 'close');
    return new ApiError(
      413,
      'payload_too_large',
      `request body is over the ${Math.round(maxBytes / 1024)} KB limit`,
    );
  };
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
    return text;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
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
